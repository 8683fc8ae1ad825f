-- Products: what a business sells; prices (a later migration) point at them.
-- The caller may choose a product's id (as Stripe allows), so ids do not always embed their
-- creation time: lists page by (created_at, id) rather than by id alone.
-- Deleting a product deletes the row (no tombstone, as Stripe). Stripe refuses to delete a
-- product that has prices: the prices migration/module must add that refusal (and a foreign
-- key from prices to products) when it lands.

CREATE TABLE products (
  workspace_id          text COLLATE "C" NOT NULL REFERENCES workspaces (id),
  id                    text COLLATE "C" NOT NULL,
  name                  text NOT NULL,
  description           text,
  active                boolean NOT NULL DEFAULT true,
  images                text[] NOT NULL DEFAULT '{}',
  marketing_features    jsonb NOT NULL DEFAULT '[]',
  metadata              jsonb NOT NULL DEFAULT '{}',
  url                   text,
  statement_descriptor  text,
  unit_label            text,
  shippable             boolean,
  package_dimensions    jsonb,
  created_at            timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, id)
);
-- Lists and search pages, newest first.
CREATE INDEX products_created ON products (workspace_id, created_at, id);
-- The active filter (catalog pages list active products).
CREATE INDEX products_active ON products (workspace_id, active, created_at, id);
-- Serves metadata['key']:'value' searches, written as containment (@>).
CREATE INDEX products_metadata ON products USING gin (metadata jsonb_path_ops);
