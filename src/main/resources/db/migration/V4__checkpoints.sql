-- Resumable snapshots of running jobs: the network with its updater state (a DL4J ModelSerializer
-- zip) and, in state, where the run stood (epochs and batches done, ND4J random state, last metrics).
-- Keyed by the iteration they were taken at; a worker keeps only the newest few of each job.
CREATE TABLE checkpoints (
    job_id     uuid        NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    iteration  bigint      NOT NULL,
    epoch      integer     NOT NULL,
    attempt    integer     NOT NULL,
    owner      text        NOT NULL,
    media_type text        NOT NULL,
    state      jsonb       NOT NULL,
    content    bytea       NOT NULL,
    size_bytes bigint      NOT NULL,
    sha256     text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (job_id, iteration)
);

-- The checkpoint the current attempt restored (NULL: it started from scratch).
ALTER TABLE jobs ADD COLUMN resumed_epoch integer, ADD COLUMN resumed_iteration bigint;
