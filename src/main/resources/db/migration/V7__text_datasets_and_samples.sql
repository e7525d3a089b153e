-- Text corpora for language models and time series for forecasting: content holds the UTF-8 text
-- or the CSV text, no labels.
ALTER TABLE datasets DROP CONSTRAINT datasets_kind_check;
ALTER TABLE datasets ADD CONSTRAINT datasets_kind_check
    CHECK (kind IN ('tabular', 'image', 'text', 'timeseries'));

-- Text a language model generated after each epoch: a metric holds numbers only, and a person
-- judges a language model by reading what it writes as it learns.
CREATE TABLE job_samples (
    job_id     uuid        NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    epoch      integer     NOT NULL,
    text       text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (job_id, epoch)
);
