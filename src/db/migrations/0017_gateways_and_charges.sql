-- Payment gateways (decisions.md §26). A workspace's accounts at real gateways, with their
-- credentials sealed under the deployment key (src/lib/secret-box.ts): never stored or
-- returned in the clear.
CREATE TABLE gateway_accounts (
  workspace_id        text COLLATE "C" NOT NULL REFERENCES workspaces (id),
  id                  text COLLATE "C" NOT NULL,
  gateway             text NOT NULL CHECK (gateway IN ('stripe', 'paypal', 'braintree', 'authorizenet', 'razorpay')),
  display_name        text NOT NULL,
  environment         text NOT NULL CHECK (environment IN ('sandbox', 'production')),
  -- The gateway's API at another address (a proxy, or a local fake in tests).
  api_base            text,
  credentials_sealed  text NOT NULL,
  -- The names of the credentials given, to show which are set without showing them.
  credential_fields   text[] NOT NULL,
  is_default          boolean NOT NULL DEFAULT false,
  metadata            jsonb NOT NULL DEFAULT '{}',
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  deleted_at          timestamptz,
  PRIMARY KEY (workspace_id, id)
);
-- At most one default account per workspace: new cards are saved there.
CREATE UNIQUE INDEX gateway_accounts_default ON gateway_accounts (workspace_id) WHERE is_default AND deleted_at IS NULL;

-- A payment method saved at a gateway account; null: the built-in test gateway.
ALTER TABLE payment_methods DROP CONSTRAINT payment_methods_gateway_check;
ALTER TABLE payment_methods ADD CONSTRAINT payment_methods_gateway_check
  CHECK (gateway IN ('test', 'stripe', 'paypal', 'braintree', 'authorizenet', 'razorpay'));
ALTER TABLE payment_methods ADD COLUMN gateway_account_id text COLLATE "C";
ALTER TABLE payment_methods ADD CONSTRAINT payment_methods_gateway_account
  FOREIGN KEY (workspace_id, gateway_account_id) REFERENCES gateway_accounts (workspace_id, id);

-- Charges (Stripe's charges): one row per payment attempt on an invoice, successful or not.
-- An invoice's payment intent is not a table: `pi_<invoice id's body>` is derived from the
-- invoice and its charges (decisions.md §26). No foreign keys: charges are written in bulk
-- with the billing run's invoices, and the invoice is in the same transaction.
CREATE TABLE charges (
  workspace_id        text COLLATE "C" NOT NULL,
  id                  text COLLATE "C" NOT NULL,
  invoice_id          text COLLATE "C" NOT NULL,
  customer_id         text COLLATE "C" NOT NULL,
  -- The invoice's attempt this charge was (1, 2 …): the latest charge is the highest.
  attempt             integer NOT NULL,
  payment_method_id   text COLLATE "C",
  gateway             text NOT NULL,
  gateway_account_id  text COLLATE "C",
  -- The gateway's reference to the payment (null when it made none, e.g. a refused card).
  gateway_payment_ref text,
  amount              bigint NOT NULL CHECK (amount >= 0),
  amount_refunded     bigint NOT NULL DEFAULT 0 CHECK (amount_refunded >= 0 AND amount_refunded <= amount),
  currency            text NOT NULL,
  status              text NOT NULL CHECK (status IN ('succeeded', 'failed', 'pending')),
  failure_code        text,
  decline_code        text,
  failure_message     text,
  created_at          timestamptz NOT NULL,
  PRIMARY KEY (workspace_id, id)
);
CREATE INDEX charges_invoice ON charges (workspace_id, invoice_id);

-- The test gateway's ledger gains what a gateway answers with (a payment reference) and
-- keeps refunds, one per idempotency key as charges are.
ALTER TABLE test_gateway_charges ADD COLUMN payment_ref text COLLATE "C";
ALTER TABLE test_gateway_charges ADD COLUMN amount_refunded bigint NOT NULL DEFAULT 0;
CREATE UNIQUE INDEX test_gateway_charges_payment_ref ON test_gateway_charges (workspace_id, payment_ref);
CREATE TABLE test_gateway_refunds (
  workspace_id     text COLLATE "C" NOT NULL,
  idempotency_key  text COLLATE "C" NOT NULL,
  refund_ref       text COLLATE "C" NOT NULL,
  payment_ref      text COLLATE "C" NOT NULL,
  amount           bigint NOT NULL CHECK (amount > 0),
  created_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, idempotency_key)
);

-- Webhooks received from gateways (/hooks/gateways/:account), verified, once per gateway
-- event id: a gateway resends until answered 2xx, and may send twice anyway.
CREATE TABLE gateway_events (
  workspace_id        text COLLATE "C" NOT NULL,
  gateway_account_id  text COLLATE "C" NOT NULL,
  gateway_event_id    text COLLATE "C" NOT NULL,
  type                text NOT NULL,
  gateway_type        text NOT NULL,
  payment_ref         text,
  refund_ref          text,
  amount              bigint,
  currency            text,
  received_at         timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, gateway_account_id, gateway_event_id)
);
