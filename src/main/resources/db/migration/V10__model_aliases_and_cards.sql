-- Aliases per model name (production, staging, user-defined), uploaded models (no dataset, spec or
-- training of ours), and what a model card shows: the dataset's content hash and the library versions.
CREATE TABLE model_aliases (
    name       text        NOT NULL,
    alias      text        NOT NULL,
    model_id   uuid        NOT NULL REFERENCES model_versions (id) ON DELETE CASCADE,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (name, alias)
);

CREATE INDEX model_aliases_model_idx ON model_aliases (model_id);

ALTER TABLE model_versions
    ALTER COLUMN dataset DROP NOT NULL,
    ALTER COLUMN spec DROP NOT NULL,
    ALTER COLUMN training DROP NOT NULL,
    ADD COLUMN source text NOT NULL DEFAULT 'JOB' CHECK (source IN ('JOB', 'UPLOAD', 'KERAS')),
    ADD COLUMN dataset_sha256 text,
    ADD COLUMN library_versions jsonb;
