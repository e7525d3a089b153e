-- Why a successful run ended: all epochs, or early stopping (and which epoch's model was kept).
ALTER TABLE jobs ADD COLUMN stop_reason text;
