-- Tax rates (Stripe's tax_rates): a percentage, inclusive or exclusive, applied per invoice
-- line. Never deleted: archived with active = false. percentage and inclusive are fixed at
-- creation (invoices that used a rate must keep meaning the same thing).
CREATE TABLE tax_rates (
  workspace_id  text COLLATE "C" NOT NULL REFERENCES workspaces (id),
  id            text COLLATE "C" NOT NULL,
  display_name  text NOT NULL,
  description   text,
  -- Exactly as sent: up to 4 decimals, 0–100 (numeric, never a float).
  percentage    numeric(7,4) NOT NULL CHECK (percentage >= 0 AND percentage <= 100),
  inclusive     boolean NOT NULL,
  active        boolean NOT NULL DEFAULT true,
  country       text CHECK (country ~ '^[A-Z]{2}$'),
  state         text,
  jurisdiction  text,
  tax_type      text,
  metadata      jsonb NOT NULL DEFAULT '{}',
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, id)
);
-- The list filters (active, inclusive), newest first by id.
CREATE INDEX tax_rates_active ON tax_rates (workspace_id, active, inclusive, id);
