-- Event payloads are written once, read whole and never queried inside, so they are kept as
-- the JSON text that was written: inserting text costs about a third of building jsonb
-- (measured with the billing run's events: 72 vs 134 µs a row), and with lz4 compression,
-- where the server was built with it, about 40 µs (decisions.md §21).
ALTER TABLE events ALTER COLUMN data TYPE text USING data::text;
DO $$
BEGIN
  ALTER TABLE events ALTER COLUMN data SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
  NULL; -- a server without lz4 keeps its default (pglz) compression
END
$$;
