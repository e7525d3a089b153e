-- The metric writer now reserves a batch's sequence numbers from metric_sequences itself and inserts
-- the batch in one statement (a trigger call per row capped ingest at a few thousand points/s).
-- The trigger stays for writers that do not give seq, e.g. replicas of the previous version during
-- a rolling upgrade: both take numbers from the same locked counter row, so ordering still holds.
CREATE OR REPLACE FUNCTION next_metric_seq() RETURNS trigger AS $$
BEGIN
    IF NEW.seq IS NULL THEN
        INSERT INTO metric_sequences AS s (job_id, last_seq) VALUES (NEW.job_id, 1)
        ON CONFLICT (job_id) DO UPDATE SET last_seq = s.last_seq + 1
        RETURNING last_seq INTO NEW.seq;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
