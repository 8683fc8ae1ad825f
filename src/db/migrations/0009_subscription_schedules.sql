-- Subscription schedules (Stripe's subscription_schedules): phases of items that a
-- subscription moves through at its renewals, e.g. a downgrade at the period end.
-- phases: [{"start_date", "end_date", "items": [{"price", "quantity", "tax_rates"}],
--           "proration_behavior", "metadata"}] in unix seconds, contiguous.
CREATE TABLE subscription_schedules (
  workspace_id         text COLLATE "C" NOT NULL REFERENCES workspaces (id),
  id                   text COLLATE "C" NOT NULL,
  customer_id          text COLLATE "C" NOT NULL,
  subscription_id      text COLLATE "C",
  status               text NOT NULL CHECK (status IN ('not_started', 'active', 'completed', 'released', 'canceled')),
  end_behavior         text NOT NULL DEFAULT 'release' CHECK (end_behavior IN ('release', 'cancel')),
  phases               jsonb NOT NULL,
  current_phase        integer NOT NULL DEFAULT 0,
  released_subscription_id text COLLATE "C",
  test_clock_id        text COLLATE "C",
  metadata             jsonb NOT NULL DEFAULT '{}',
  canceled_at          timestamptz,
  completed_at         timestamptz,
  released_at          timestamptz,
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, id),
  FOREIGN KEY (workspace_id, customer_id) REFERENCES customers (workspace_id, id)
);
CREATE INDEX subscription_schedules_customer ON subscription_schedules (workspace_id, customer_id, id);
-- One live schedule per subscription.
CREATE UNIQUE INDEX subscription_schedules_subscription ON subscription_schedules (workspace_id, subscription_id) WHERE status IN ('not_started', 'active');
