-- Prices (Stripe's prices): how much and how often a product costs. Amounts are fixed at
-- creation (only active, metadata, nickname, lookup_key, tax_behavior while unspecified and
-- currency_options change); never deleted, archived with active = false.
-- Ids are generated (time-ordered), so lists page by id.
-- Amounts are bigint minor units; tiers and currency_options keep their amounts as strings
-- inside jsonb so no amount ever passes through a float.
-- A product that has prices cannot be deleted (the service refuses it; the foreign key is
-- the backstop).

CREATE TABLE prices (
  workspace_id              text COLLATE "C" NOT NULL REFERENCES workspaces (id),
  id                        text COLLATE "C" NOT NULL,
  product_id                text COLLATE "C" NOT NULL,
  active                    boolean NOT NULL DEFAULT true,
  currency                  text NOT NULL CHECK (currency ~ '^[a-z]{3}$'),
  unit_amount               bigint CHECK (unit_amount >= 0 AND unit_amount <= 999999999999999),
  unit_amount_decimal       text,
  type                      text NOT NULL CHECK (type IN ('one_time', 'recurring')),
  recurring_interval        text CHECK (recurring_interval IN ('day', 'week', 'month', 'year')),
  recurring_interval_count  integer CHECK (recurring_interval_count >= 1),
  billing_scheme            text NOT NULL CHECK (billing_scheme IN ('per_unit', 'tiered')),
  tiers_mode                text CHECK (tiers_mode IN ('graduated', 'volume')),
  tiers                     jsonb,
  transform_quantity        jsonb,
  currency_options          jsonb NOT NULL DEFAULT '{}',
  lookup_key                text,
  nickname                  text,
  tax_behavior              text NOT NULL DEFAULT 'unspecified' CHECK (tax_behavior IN ('inclusive', 'exclusive', 'unspecified')),
  metadata                  jsonb NOT NULL DEFAULT '{}',
  created_at                timestamptz NOT NULL DEFAULT now(),
  updated_at                timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, id),
  FOREIGN KEY (workspace_id, product_id) REFERENCES products (workspace_id, id) ON DELETE RESTRICT,
  CHECK ((type = 'recurring') = (recurring_interval IS NOT NULL AND recurring_interval_count IS NOT NULL)),
  CHECK ((billing_scheme = 'tiered') = (tiers IS NOT NULL AND tiers_mode IS NOT NULL))
);
-- The product filter, and the "does this product have prices" check on product deletion.
CREATE INDEX prices_product ON prices (workspace_id, product_id, id);
-- The active / type / currency filters, newest first by id.
CREATE INDEX prices_active ON prices (workspace_id, active, id);
-- A lookup key names one price in the workspace (Stripe: unique per account).
CREATE UNIQUE INDEX prices_lookup_key ON prices (workspace_id, lookup_key) WHERE lookup_key IS NOT NULL;
