-- The job queue. Claimed with one UPDATE ... FOR UPDATE SKIP LOCKED; heartbeats prove the owner lives.
CREATE TABLE jobs (
    id               uuid PRIMARY KEY,
    name             text        NOT NULL,
    status           text        NOT NULL CHECK (status IN ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED')),
    priority         integer     NOT NULL DEFAULT 0,
    dataset          text        NOT NULL,
    spec             jsonb       NOT NULL,
    training         jsonb       NOT NULL,
    attempt          integer     NOT NULL DEFAULT 0,
    max_attempts     integer     NOT NULL,
    owner            text,
    heartbeat_at     timestamptz,
    cancel_requested boolean     NOT NULL DEFAULT false,
    created_at       timestamptz NOT NULL DEFAULT now(),
    started_at       timestamptz,
    finished_at      timestamptz,
    error            text,
    epochs_done      integer     NOT NULL DEFAULT 0,
    epochs_total     integer     NOT NULL,
    model_id         uuid
);

CREATE INDEX jobs_claim_idx ON jobs (priority DESC, created_at) WHERE status = 'QUEUED';
CREATE INDEX jobs_running_idx ON jobs (heartbeat_at) WHERE status = 'RUNNING';
CREATE INDEX jobs_created_idx ON jobs (created_at DESC, id);
CREATE INDEX jobs_status_created_idx ON jobs (status, created_at DESC, id);

-- Every status change of a job, written by the database itself so no code path can forget it.
CREATE TABLE job_transitions (
    job_id      uuid        NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    seq         bigserial,
    at          timestamptz NOT NULL DEFAULT clock_timestamp(),
    from_status text,
    to_status   text        NOT NULL,
    owner       text,
    attempt     integer     NOT NULL,
    reason      text,
    PRIMARY KEY (job_id, seq)
);

CREATE FUNCTION record_job_transition() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO job_transitions (job_id, from_status, to_status, owner, attempt, reason)
        VALUES (NEW.id, NULL, NEW.status, NEW.owner, NEW.attempt, NULL);
    ELSIF NEW.status IS DISTINCT FROM OLD.status THEN
        INSERT INTO job_transitions (job_id, from_status, to_status, owner, attempt, reason)
        VALUES (NEW.id, OLD.status, NEW.status, coalesce(NEW.owner, OLD.owner), NEW.attempt, NEW.error);
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER jobs_record_transition
    AFTER INSERT OR UPDATE OF status ON jobs
    FOR EACH ROW EXECUTE FUNCTION record_job_transition();

-- Metric points, keyed so that a resumed job can never write a point twice.
CREATE TABLE metric_points (
    job_id      uuid             NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    name        text             NOT NULL,
    step        bigint           NOT NULL,
    epoch       integer          NOT NULL,
    value       double precision NOT NULL,
    recorded_at timestamptz      NOT NULL,
    PRIMARY KEY (job_id, name, step)
);

-- Model bytes live in PostgreSQL so every replica can load them.
CREATE TABLE artifacts (
    id         uuid PRIMARY KEY,
    media_type text        NOT NULL,
    content    bytea       NOT NULL,
    sha256     text        NOT NULL,
    size_bytes bigint      NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE model_versions (
    id            uuid PRIMARY KEY,
    name          text        NOT NULL,
    version       integer     NOT NULL,
    job_id        uuid UNIQUE REFERENCES jobs (id) ON DELETE SET NULL,
    dataset       text        NOT NULL,
    spec          jsonb       NOT NULL,
    training      jsonb       NOT NULL,
    labels        jsonb       NOT NULL,
    input_shape   jsonb       NOT NULL,
    normalization jsonb,
    metrics       jsonb       NOT NULL,
    artifact_id   uuid        NOT NULL REFERENCES artifacts (id),
    created_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (name, version)
);

CREATE INDEX model_versions_created_idx ON model_versions (created_at DESC);
