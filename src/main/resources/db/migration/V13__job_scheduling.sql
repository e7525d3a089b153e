-- Issue #8 scheduling: per-job timeout, retry backoff, and who submitted a job (for the per-key
-- concurrency limit the claim enforces).
ALTER TABLE jobs ADD COLUMN timeout_seconds integer;
ALTER TABLE jobs ADD COLUMN not_before timestamptz;
ALTER TABLE jobs ADD COLUMN submitted_by text;

-- The claim counts a key's RUNNING jobs for every candidate it considers.
CREATE INDEX jobs_running_by_submitter ON jobs (submitted_by) WHERE status = 'RUNNING';
