-- A per-job sequence on metric points, so a live stream (GET /api/v1/jobs/{id}/events) can resume
-- after the last point a client saw with "seq > cursor" and miss nothing.
--
-- Why not the (name, step) key or recorded_at: points of different series interleave and a resumed
-- run rewrites steps, so neither orders what was committed. Why not a global bigserial: values are
-- taken at INSERT but committed in any order, so a reader could pass seq 11 before seq 10 commits.
-- Here the trigger takes the next number from the job's row in metric_sequences, whose row lock is
-- held until the writing transaction commits: a second writer of the same job waits, so for one job
-- a larger seq is never visible before a smaller one. Numbers may have holes (a duplicate dropped by
-- ON CONFLICT DO NOTHING still took one), never reordering.
CREATE TABLE metric_sequences (
    job_id   uuid   PRIMARY KEY REFERENCES jobs (id) ON DELETE CASCADE,
    last_seq bigint NOT NULL
);

ALTER TABLE metric_points ADD COLUMN seq bigint;

UPDATE metric_points m SET seq = n.rn
FROM (SELECT job_id, name, step,
             row_number() OVER (PARTITION BY job_id ORDER BY recorded_at, name, step) AS rn
      FROM metric_points) n
WHERE m.job_id = n.job_id AND m.name = n.name AND m.step = n.step;

INSERT INTO metric_sequences (job_id, last_seq)
SELECT job_id, max(seq) FROM metric_points GROUP BY job_id;

ALTER TABLE metric_points ALTER COLUMN seq SET NOT NULL;

CREATE INDEX metric_points_seq_idx ON metric_points (job_id, seq);

CREATE FUNCTION next_metric_seq() RETURNS trigger AS $$
BEGIN
    INSERT INTO metric_sequences AS s (job_id, last_seq) VALUES (NEW.job_id, 1)
    ON CONFLICT (job_id) DO UPDATE SET last_seq = s.last_seq + 1
    RETURNING last_seq INTO NEW.seq;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER metric_points_seq
    BEFORE INSERT ON metric_points
    FOR EACH ROW EXECUTE FUNCTION next_metric_seq();
