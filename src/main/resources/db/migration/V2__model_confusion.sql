-- The test-split confusion matrix of a classifier, rows = actual class, columns = predicted class.
ALTER TABLE model_versions ADD COLUMN confusion jsonb;
