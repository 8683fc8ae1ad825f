-- Serves GET /v1/subscriptions/search's metadata['key']:'value', written as containment (@>),
-- as customers_metadata and products_metadata do for their searches.
CREATE INDEX subscriptions_metadata ON subscriptions USING gin (metadata jsonb_path_ops);
