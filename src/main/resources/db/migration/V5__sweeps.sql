-- Hyperparameter sweeps: one base job, parameters varied over trials, each trial becomes a job.
-- definition: the sweep as accepted, defaults filled in (base request and parameters).
CREATE TABLE sweeps (
    id               uuid PRIMARY KEY,
    name             text        NOT NULL,
    status           text        NOT NULL CHECK (status IN ('RUNNING', 'SUCCEEDED', 'CANCELLED')),
    search           text        NOT NULL CHECK (search IN ('GRID', 'RANDOM')),
    objective_metric text        NOT NULL,
    objective_mode   text        NOT NULL CHECK (objective_mode IN ('MAX', 'MIN')),
    max_parallel     integer     NOT NULL CHECK (max_parallel >= 1),
    seed             bigint      NOT NULL,
    definition       jsonb       NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    finished_at      timestamptz
);

CREATE INDEX sweeps_running_idx ON sweeps (created_at) WHERE status = 'RUNNING';
CREATE INDEX sweeps_created_idx ON sweeps (created_at DESC, id);

-- One row per trial. A trial waits here as PENDING (so at most max_parallel children are queued
-- or running) until it is RELEASED as a job; a cancelled sweep's pending trials become CANCELLED.
-- request: the child's SubmitJobRequest, already validated when the sweep was accepted.
CREATE TABLE sweep_trials (
    sweep_id    uuid        NOT NULL REFERENCES sweeps (id) ON DELETE CASCADE,
    trial       integer     NOT NULL,
    parameters  jsonb       NOT NULL,
    request     jsonb       NOT NULL,
    status      text        NOT NULL CHECK (status IN ('PENDING', 'RELEASED', 'CANCELLED', 'FAILED')),
    job_id      uuid UNIQUE REFERENCES jobs (id) ON DELETE SET NULL,
    error       text,
    released_at timestamptz,
    PRIMARY KEY (sweep_id, trial)
);

CREATE INDEX sweep_trials_pending_idx ON sweep_trials (sweep_id, trial) WHERE status = 'PENDING';
