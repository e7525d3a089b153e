-- API keys. Only the SHA-256 of a key is kept: keys are 256 random bits, so a fast hash is as safe
-- as a slow one and lets a request find its key by an indexed equality lookup.
CREATE TABLE api_keys (
    id           uuid        PRIMARY KEY,
    name         text        NOT NULL,
    role         text        NOT NULL CHECK (role IN ('READER', 'TRAINER', 'ADMIN')),
    key_hash     text        NOT NULL UNIQUE,
    key_prefix   text        NOT NULL,
    created_at   timestamptz NOT NULL,
    expires_at   timestamptz,
    last_used_at timestamptz,
    revoked_at   timestamptz
);
