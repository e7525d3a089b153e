-- The metric writer now reserves a batch's sequence numbers from metric_sequences itself and inserts
-- the batch in one statement (a trigger call per row capped ingest at a few thousand points/s).
-- The trigger stays, for rows written without seq (e.g. by replicas of the previous version during
-- a rolling upgrade), and fires only for them: both take numbers from the same locked counter row,
-- so ordering still holds.
DROP TRIGGER metric_points_seq ON metric_points;

CREATE TRIGGER metric_points_seq
    BEFORE INSERT ON metric_points
    FOR EACH ROW WHEN (NEW.seq IS NULL) EXECUTE FUNCTION next_metric_seq();
