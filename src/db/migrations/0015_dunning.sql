-- Dunning (BILLING.md "Collection and dunning"): each workspace's retry schedule and what
-- happens when it runs out; without a row, the default (8 retries within 2 weeks, then cancel).
CREATE TABLE dunning_settings (
  workspace_id  text COLLATE "C" PRIMARY KEY REFERENCES workspaces (id),
  -- Days after the first failed attempt, one retry each, increasing.
  retry_days    integer[] NOT NULL CHECK (cardinality(retry_days) <= 20),
  final_action  text NOT NULL CHECK (final_action IN ('cancel', 'unpaid', 'past_due')),
  updated_at    timestamptz NOT NULL DEFAULT now()
);

-- The schedule counts from an invoice's first failed attempt.
ALTER TABLE invoices ADD COLUMN payment_failed_at timestamptz;
