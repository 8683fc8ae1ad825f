-- Billing: test clocks, subscriptions and their items, invoices with their lines, pending
-- invoice items, and per-workspace invoice numbering.
-- Times that the billing engine compares are timestamptz; amounts are bigint minor units.

CREATE TABLE test_clocks (
  workspace_id   text COLLATE "C" NOT NULL REFERENCES workspaces (id),
  id             text COLLATE "C" NOT NULL,
  name           text,
  frozen_time    timestamptz NOT NULL,
  status         text NOT NULL DEFAULT 'ready' CHECK (status IN ('ready', 'advancing', 'internal_failure')),
  deletes_after  timestamptz NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now(),
  deleted_at     timestamptz,
  PRIMARY KEY (workspace_id, id)
);

ALTER TABLE customers
  ADD COLUMN test_clock_id text COLLATE "C",
  -- Stripe's sign: negative is credit the customer holds, positive is money owed.
  ADD COLUMN balance bigint NOT NULL DEFAULT 0,
  ADD COLUMN currency text CHECK (currency ~ '^[a-z]{3}$'),
  ADD CONSTRAINT customers_test_clock FOREIGN KEY (workspace_id, test_clock_id) REFERENCES test_clocks (workspace_id, id);
CREATE INDEX customers_test_clock ON customers (workspace_id, test_clock_id) WHERE test_clock_id IS NOT NULL;

CREATE TABLE subscriptions (
  workspace_id               text COLLATE "C" NOT NULL REFERENCES workspaces (id),
  id                         text COLLATE "C" NOT NULL,
  customer_id                text COLLATE "C" NOT NULL,
  status                     text NOT NULL CHECK (status IN ('incomplete', 'incomplete_expired', 'trialing', 'active', 'past_due', 'unpaid', 'canceled', 'paused')),
  currency                   text NOT NULL CHECK (currency ~ '^[a-z]{3}$'),
  interval                   text NOT NULL CHECK (interval IN ('day', 'week', 'month', 'year')),
  interval_count             integer NOT NULL CHECK (interval_count >= 1),
  collection_method          text NOT NULL CHECK (collection_method IN ('charge_automatically', 'send_invoice')),
  days_until_due             integer CHECK (days_until_due >= 0),
  default_payment_method_id  text COLLATE "C",
  default_tax_rate_ids       text[] NOT NULL DEFAULT '{}',
  description                text,
  billing_cycle_anchor       timestamptz NOT NULL,
  current_period_start       timestamptz NOT NULL,
  current_period_end         timestamptz NOT NULL,
  start_date                 timestamptz NOT NULL,
  trial_start                timestamptz,
  trial_end                  timestamptz,
  trial_missing_payment_method text NOT NULL DEFAULT 'create_invoice' CHECK (trial_missing_payment_method IN ('cancel', 'pause', 'create_invoice')),
  trial_will_end_sent        boolean NOT NULL DEFAULT false,
  cancel_at                  timestamptz,
  cancel_at_period_end       boolean NOT NULL DEFAULT false,
  canceled_at                timestamptz,
  ended_at                   timestamptz,
  cancellation_details       jsonb,
  -- {"behavior": keep_as_draft | mark_uncollectible | void, "resumes_at": unix seconds | null}
  pause_collection           jsonb,
  -- Stripe discount objects: [{"id", "coupon", "promotion_code", "start", "end"}]
  discounts                  jsonb NOT NULL DEFAULT '[]',
  latest_invoice_id          text COLLATE "C",
  schedule_id                text COLLATE "C",
  test_clock_id              text COLLATE "C",
  -- When the billing engine must next look at this subscription (period end, trial end,
  -- cancel_at, pause resumption, incomplete expiry); null when nothing is due ever again.
  next_action_at             timestamptz,
  metadata                   jsonb NOT NULL DEFAULT '{}',
  created_at                 timestamptz NOT NULL DEFAULT now(),
  updated_at                 timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, id),
  FOREIGN KEY (workspace_id, customer_id) REFERENCES customers (workspace_id, id)
);
CREATE INDEX subscriptions_customer ON subscriptions (workspace_id, customer_id, id);
CREATE INDEX subscriptions_status ON subscriptions (workspace_id, status, id);
-- The renewal engine's queue, across workspaces (like events_undispatched). Subscriptions
-- on a test clock move only when their clock is advanced, so they stay out of it.
CREATE INDEX subscriptions_due ON subscriptions (next_action_at) WHERE next_action_at IS NOT NULL AND test_clock_id IS NULL;
CREATE INDEX subscriptions_clock_due ON subscriptions (workspace_id, test_clock_id, next_action_at) WHERE test_clock_id IS NOT NULL AND next_action_at IS NOT NULL;

CREATE TABLE subscription_items (
  workspace_id     text COLLATE "C" NOT NULL REFERENCES workspaces (id),
  id               text COLLATE "C" NOT NULL,
  subscription_id  text COLLATE "C" NOT NULL,
  price_id         text COLLATE "C" NOT NULL,
  quantity         bigint NOT NULL CHECK (quantity >= 0 AND quantity <= 999999999999),
  -- null: the subscription's default_tax_rates apply.
  tax_rate_ids     text[],
  metadata         jsonb NOT NULL DEFAULT '{}',
  created_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, id),
  FOREIGN KEY (workspace_id, subscription_id) REFERENCES subscriptions (workspace_id, id) ON DELETE CASCADE,
  FOREIGN KEY (workspace_id, price_id) REFERENCES prices (workspace_id, id)
);
CREATE INDEX subscription_items_subscription ON subscription_items (workspace_id, subscription_id);

-- Gap-free invoice numbers: a finalization takes its numbers by updating this row, which
-- holds its lock until the transaction ends, so a rolled-back finalization returns them.
CREATE TABLE invoice_numbering (
  workspace_id  text COLLATE "C" PRIMARY KEY REFERENCES workspaces (id),
  prefix        text NOT NULL CHECK (prefix ~ '^[A-Z0-9]{3,12}$'),
  next_number   bigint NOT NULL DEFAULT 1 CHECK (next_number >= 1)
);

CREATE TABLE invoices (
  workspace_id               text COLLATE "C" NOT NULL REFERENCES workspaces (id),
  id                         text COLLATE "C" NOT NULL,
  customer_id                text COLLATE "C" NOT NULL,
  subscription_id            text COLLATE "C",
  status                     text NOT NULL CHECK (status IN ('draft', 'open', 'paid', 'void', 'uncollectible')),
  number                     text,
  currency                   text NOT NULL CHECK (currency ~ '^[a-z]{3}$'),
  billing_reason             text NOT NULL CHECK (billing_reason IN ('subscription_create', 'subscription_cycle', 'subscription_update', 'manual')),
  collection_method          text NOT NULL CHECK (collection_method IN ('charge_automatically', 'send_invoice')),
  days_until_due             integer,
  due_date                   timestamptz,
  period_start               timestamptz NOT NULL,
  period_end                 timestamptz NOT NULL,
  -- For renewal invoices: the subscription period they bill (the exactly-once key below).
  cycle_period_start         timestamptz,
  subtotal                   bigint NOT NULL,
  total_excluding_tax        bigint NOT NULL,
  tax                        bigint NOT NULL,
  total                      bigint NOT NULL,
  total_discount_amounts     jsonb NOT NULL DEFAULT '[]',
  total_taxes                jsonb NOT NULL DEFAULT '[]',
  starting_balance           bigint NOT NULL DEFAULT 0,
  ending_balance             bigint,
  amount_due                 bigint NOT NULL,
  amount_paid                bigint NOT NULL DEFAULT 0,
  amount_remaining           bigint NOT NULL,
  attempt_count              integer NOT NULL DEFAULT 0,
  attempted                  boolean NOT NULL DEFAULT false,
  auto_advance               boolean NOT NULL DEFAULT true,
  next_payment_attempt       timestamptz,
  automatically_finalizes_at timestamptz,
  default_payment_method_id  text COLLATE "C",
  discounts                  jsonb NOT NULL DEFAULT '[]',
  default_tax_rate_ids       text[] NOT NULL DEFAULT '{}',
  customer_name              text,
  customer_email             text,
  customer_address           jsonb,
  customer_locale            text,
  description                text,
  footer                     text,
  last_payment_error         jsonb,
  test_clock_id              text COLLATE "C",
  metadata                   jsonb NOT NULL DEFAULT '{}',
  finalized_at               timestamptz,
  paid_at                    timestamptz,
  voided_at                  timestamptz,
  marked_uncollectible_at    timestamptz,
  created_at                 timestamptz NOT NULL DEFAULT now(),
  updated_at                 timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, id),
  FOREIGN KEY (workspace_id, customer_id) REFERENCES customers (workspace_id, id),
  CHECK ((billing_reason = 'subscription_cycle') = (cycle_period_start IS NOT NULL))
);
-- Each subscription period is invoiced exactly once, whatever the number of workers.
CREATE UNIQUE INDEX invoices_cycle ON invoices (workspace_id, subscription_id, cycle_period_start) WHERE cycle_period_start IS NOT NULL;
CREATE UNIQUE INDEX invoices_number ON invoices (workspace_id, number) WHERE number IS NOT NULL;
CREATE INDEX invoices_customer ON invoices (workspace_id, customer_id, id);
CREATE INDEX invoices_subscription ON invoices (workspace_id, subscription_id, id) WHERE subscription_id IS NOT NULL;
CREATE INDEX invoices_status ON invoices (workspace_id, status, id);
-- The engine's queues: drafts to finalize, open invoices to charge (not on a test clock).
CREATE INDEX invoices_to_finalize ON invoices (automatically_finalizes_at) WHERE status = 'draft' AND automatically_finalizes_at IS NOT NULL AND test_clock_id IS NULL;
CREATE INDEX invoices_to_collect ON invoices (next_payment_attempt) WHERE status = 'open' AND next_payment_attempt IS NOT NULL AND test_clock_id IS NULL;
CREATE INDEX invoices_clock_due ON invoices (workspace_id, test_clock_id) WHERE test_clock_id IS NOT NULL AND status IN ('draft', 'open');

CREATE TABLE invoice_lines (
  workspace_id          text COLLATE "C" NOT NULL,
  invoice_id            text COLLATE "C" NOT NULL,
  position              integer NOT NULL,
  id                    text COLLATE "C" NOT NULL,
  amount                bigint NOT NULL,
  currency              text NOT NULL,
  description           text,
  quantity              bigint,
  price_id              text COLLATE "C",
  product_id            text COLLATE "C",
  unit_amount_decimal   text,
  subscription_id       text COLLATE "C",
  subscription_item_id  text COLLATE "C",
  invoice_item_id       text COLLATE "C",
  proration             boolean NOT NULL DEFAULT false,
  period_start          timestamptz NOT NULL,
  period_end            timestamptz NOT NULL,
  discountable          boolean NOT NULL DEFAULT true,
  -- [{"discount", "coupon", "amount"}] and [{"tax_rate", "amount", "inclusive", "taxable_amount"}]
  discount_amounts      jsonb NOT NULL DEFAULT '[]',
  taxes                 jsonb NOT NULL DEFAULT '[]',
  metadata              jsonb NOT NULL DEFAULT '{}',
  PRIMARY KEY (workspace_id, invoice_id, position),
  FOREIGN KEY (workspace_id, invoice_id) REFERENCES invoices (workspace_id, id) ON DELETE CASCADE
);

-- Invoice items (Stripe's invoiceitems): one-off charges and prorations waiting for the
-- customer's next invoice (invoice_id null), or already on one.
CREATE TABLE invoice_items (
  workspace_id          text COLLATE "C" NOT NULL REFERENCES workspaces (id),
  id                    text COLLATE "C" NOT NULL,
  customer_id           text COLLATE "C" NOT NULL,
  subscription_id       text COLLATE "C",
  subscription_item_id  text COLLATE "C",
  invoice_id            text COLLATE "C",
  amount                bigint NOT NULL CHECK (amount >= -999999999999999 AND amount <= 999999999999999),
  currency              text NOT NULL CHECK (currency ~ '^[a-z]{3}$'),
  description           text,
  price_id              text COLLATE "C",
  product_id            text COLLATE "C",
  quantity              bigint NOT NULL DEFAULT 1,
  unit_amount_decimal   text,
  proration             boolean NOT NULL DEFAULT false,
  discountable          boolean NOT NULL DEFAULT true,
  period_start          timestamptz NOT NULL,
  period_end            timestamptz NOT NULL,
  tax_rate_ids          text[],
  metadata              jsonb NOT NULL DEFAULT '{}',
  test_clock_id         text COLLATE "C",
  created_at            timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, id),
  FOREIGN KEY (workspace_id, customer_id) REFERENCES customers (workspace_id, id)
);
CREATE INDEX invoice_items_pending ON invoice_items (workspace_id, customer_id, id) WHERE invoice_id IS NULL;
CREATE INDEX invoice_items_invoice ON invoice_items (workspace_id, invoice_id) WHERE invoice_id IS NOT NULL;
