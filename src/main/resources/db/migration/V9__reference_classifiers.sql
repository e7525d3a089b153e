-- Each image dataset's reference classifier, trained once and shared by every replica: generative
-- models' samples are measured in its feature space (Fréchet distance, confidence). A new
-- fingerprint (the dataset changed, or the reference's recipe did) means a new row.
CREATE TABLE reference_classifiers (
    dataset       text             NOT NULL,
    fingerprint   text             NOT NULL,
    artifact      bytea            NOT NULL,
    test_accuracy double precision NOT NULL,
    train_seconds double precision NOT NULL,
    created_at    timestamptz      NOT NULL DEFAULT now(),
    PRIMARY KEY (dataset, fingerprint)
);
