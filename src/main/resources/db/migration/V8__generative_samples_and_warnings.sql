-- Generative models save a PNG grid of samples after every epoch, beside language models' text.
ALTER TABLE job_samples ALTER COLUMN text DROP NOT NULL;
ALTER TABLE job_samples ADD COLUMN image bytea;
ALTER TABLE job_samples ADD CONSTRAINT job_samples_text_or_image
    CHECK (text IS NOT NULL OR image IS NOT NULL);

-- Warnings a run raised for a person to read with its results (e.g. a GAN losing diversity); the
-- job goes on. Each text once, in the order raised.
ALTER TABLE jobs ADD COLUMN warnings text[] NOT NULL DEFAULT '{}';
