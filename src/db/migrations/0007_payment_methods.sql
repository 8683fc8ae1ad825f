-- Payment methods (Stripe's payment_methods), stored as the gateway's reference only: card
-- numbers never reach Recur's database, just the token's reference, brand, last4 and expiry.
-- customer_id is null once detached (detached_at says when); a detached one cannot be reused.
CREATE TABLE payment_methods (
  workspace_id     text COLLATE "C" NOT NULL REFERENCES workspaces (id),
  id               text COLLATE "C" NOT NULL,
  customer_id      text COLLATE "C",
  gateway          text NOT NULL CHECK (gateway IN ('test')),
  gateway_ref      text NOT NULL,
  type             text NOT NULL DEFAULT 'card' CHECK (type IN ('card')),
  -- {"brand", "last4", "exp_month", "exp_year", "funding", "country"}
  card             jsonb NOT NULL,
  billing_details  jsonb NOT NULL DEFAULT '{}',
  metadata         jsonb NOT NULL DEFAULT '{}',
  created_at       timestamptz NOT NULL DEFAULT now(),
  detached_at      timestamptz,
  PRIMARY KEY (workspace_id, id),
  FOREIGN KEY (workspace_id, customer_id) REFERENCES customers (workspace_id, id)
);
-- A customer's payment methods, newest first.
CREATE INDEX payment_methods_customer ON payment_methods (workspace_id, customer_id, id) WHERE customer_id IS NOT NULL;

-- The built-in test gateway's ledger: one row per idempotency key, so a charge retried with
-- the same key returns the first result and is never made twice.
CREATE TABLE test_gateway_charges (
  workspace_id     text COLLATE "C" NOT NULL REFERENCES workspaces (id),
  idempotency_key  text COLLATE "C" NOT NULL,
  payment_method   text NOT NULL,
  amount           bigint NOT NULL CHECK (amount >= 0),
  currency         text NOT NULL CHECK (currency ~ '^[a-z]{3}$'),
  status           text NOT NULL CHECK (status IN ('succeeded', 'failed')),
  failure_code     text,
  decline_code     text,
  failure_message  text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, idempotency_key)
);

ALTER TABLE customers ADD COLUMN default_payment_method_id text COLLATE "C";
ALTER TABLE customers ADD CONSTRAINT customers_default_payment_method
  FOREIGN KEY (workspace_id, default_payment_method_id) REFERENCES payment_methods (workspace_id, id);
