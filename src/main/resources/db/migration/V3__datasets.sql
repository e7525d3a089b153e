-- Uploaded datasets, whole, so every replica sees them and they survive a restart.
-- info: the DatasetInfo JSON the catalog lists without touching the content.
-- content: image uploads hold the uint8 CHW pixels of every image, back to back;
--          tabular uploads hold the CSV text (UTF-8, header row, label in the last column).
-- labels: image uploads only, one big-endian int32 class index per image.
CREATE TABLE datasets (
    name          text        PRIMARY KEY,
    kind          text        NOT NULL CHECK (kind IN ('tabular', 'image')),
    info          jsonb       NOT NULL,
    content       bytea       NOT NULL,
    labels        bytea,
    content_bytes bigint      NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    CHECK ((kind = 'image') = (labels IS NOT NULL))
);
