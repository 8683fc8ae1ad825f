-- Refunds and credit notes (decisions.md §28).
--
-- A refund gives back (part of) a charge through the charge's gateway. Every charge pays an
-- invoice, so every refund belongs to a credit note on that invoice: the one that asked for
-- it (refund_amount), or the one POST /v1/refunds issues with it.
CREATE TABLE refunds (
  workspace_id        text COLLATE "C" NOT NULL,
  id                  text COLLATE "C" NOT NULL,
  charge_id           text COLLATE "C" NOT NULL,
  invoice_id          text COLLATE "C" NOT NULL,
  customer_id         text COLLATE "C" NOT NULL,
  payment_method_id   text COLLATE "C",
  credit_note_id      text COLLATE "C" NOT NULL,
  amount              bigint NOT NULL CHECK (amount > 0),
  currency            text NOT NULL,
  reason              text CHECK (reason IN ('duplicate', 'fraudulent', 'requested_by_customer')),
  -- pending: the gateway took it and will say later (its webhook settles it).
  status              text NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed', 'canceled')),
  failure_reason      text,
  gateway             text NOT NULL,
  gateway_account_id  text COLLATE "C",
  -- The gateway's own id of the refund: its webhooks name it.
  gateway_refund_ref  text COLLATE "C",
  -- What the gateway was asked with: a retry of the same request asks with the same key.
  idempotency_key     text NOT NULL,
  metadata            jsonb NOT NULL DEFAULT '{}',
  created_at          timestamptz NOT NULL,
  updated_at          timestamptz NOT NULL,
  PRIMARY KEY (workspace_id, id)
);
CREATE INDEX refunds_charge ON refunds (workspace_id, charge_id);
CREATE INDEX refunds_credit_note ON refunds (workspace_id, credit_note_id);
-- Not unique: a duplicate request that loses its Idempotency-Key race at commit has
-- recorded the gateway's (same) refund too before it rolls back.
CREATE INDEX refunds_gateway_ref ON refunds (workspace_id, gateway_refund_ref) WHERE gateway_refund_ref IS NOT NULL;

-- Credit notes: numbered after their invoice (`<invoice number>-CN-01`, as Stripe's), one
-- after the other under the invoice's row lock.
CREATE TABLE credit_notes (
  workspace_id        text COLLATE "C" NOT NULL,
  id                  text COLLATE "C" NOT NULL,
  invoice_id          text COLLATE "C" NOT NULL,
  customer_id         text COLLATE "C" NOT NULL,
  number              text NOT NULL,
  currency            text NOT NULL,
  status              text NOT NULL CHECK (status IN ('issued', 'void')),
  type                text NOT NULL CHECK (type IN ('pre_payment', 'post_payment', 'mixed')),
  subtotal            bigint NOT NULL,
  discount_amount     bigint NOT NULL,
  -- [{"discount", "amount"}], amounts as decimal strings (as invoices keep theirs).
  discount_amounts    jsonb NOT NULL,
  total_excluding_tax bigint NOT NULL,
  -- [{"tax_rate", "amount", "inclusive", "taxable_amount"}]
  total_taxes         jsonb NOT NULL,
  total               bigint NOT NULL CHECK (total > 0),
  pre_payment_amount  bigint NOT NULL CHECK (pre_payment_amount >= 0),
  post_payment_amount bigint NOT NULL CHECK (post_payment_amount >= 0),
  refund_amount       bigint NOT NULL CHECK (refund_amount >= 0),
  credit_amount       bigint NOT NULL CHECK (credit_amount >= 0),
  out_of_band_amount  bigint CHECK (out_of_band_amount >= 0),
  reason              text CHECK (reason IN ('duplicate', 'fraudulent', 'order_change', 'product_unsatisfactory')),
  memo                text,
  metadata            jsonb NOT NULL DEFAULT '{}',
  voided_at           timestamptz,
  created_at          timestamptz NOT NULL,
  updated_at          timestamptz NOT NULL,
  PRIMARY KEY (workspace_id, id),
  UNIQUE (workspace_id, number),
  CHECK (pre_payment_amount + post_payment_amount = total),
  CHECK (refund_amount + credit_amount + coalesce(out_of_band_amount, 0) = post_payment_amount)
);
CREATE INDEX credit_notes_invoice ON credit_notes (workspace_id, invoice_id);
CREATE INDEX credit_notes_customer ON credit_notes (workspace_id, customer_id);

CREATE TABLE credit_note_lines (
  workspace_id        text COLLATE "C" NOT NULL,
  credit_note_id      text COLLATE "C" NOT NULL,
  position            integer NOT NULL,
  id                  text COLLATE "C" NOT NULL,
  type                text NOT NULL CHECK (type IN ('invoice_line_item', 'custom_line_item')),
  invoice_line_id     text COLLATE "C",
  description         text,
  -- Units credited (by quantity), or the custom line's quantity; null when credited by amount.
  quantity            bigint,
  unit_amount         bigint,
  unit_amount_decimal text,
  -- Gross, as the invoice line's amount: before discounts, inclusive tax inside.
  amount              bigint NOT NULL,
  discount_amount     bigint NOT NULL,
  discount_amounts    jsonb NOT NULL,
  taxes               jsonb NOT NULL,
  metadata            jsonb NOT NULL DEFAULT '{}',
  PRIMARY KEY (workspace_id, credit_note_id, position),
  UNIQUE (workspace_id, id),
  CHECK ((type = 'invoice_line_item') = (invoice_line_id IS NOT NULL))
);

-- Stripe's Invoice fields: what credit notes took off before payment (amount_due and
-- amount_remaining went down by as much) and after it.
ALTER TABLE invoices
  ADD COLUMN pre_payment_credit_notes_amount bigint NOT NULL DEFAULT 0,
  ADD COLUMN post_payment_credit_notes_amount bigint NOT NULL DEFAULT 0;
