-- Coupons (Stripe's coupons): percent_off or amount_off + currency, for a duration.
-- The caller may choose a coupon's id, so lists page by (created_at, id).
-- Deleting a coupon soft-deletes it (deleted_at): discounts already granted keep working,
-- while retrieve, update, list and new redemptions treat it as gone.
-- times_redeemed is incremented by subscriptions when a coupon is applied.
CREATE TABLE coupons (
  workspace_id         text COLLATE "C" NOT NULL REFERENCES workspaces (id),
  id                   text COLLATE "C" NOT NULL,
  name                 text,
  -- Exactly as sent: up to 2 decimals, (0, 100].
  percent_off          numeric(5,2) CHECK (percent_off > 0 AND percent_off <= 100),
  amount_off           bigint CHECK (amount_off > 0),
  currency             text CHECK (currency ~ '^[a-z]{3}$'),
  -- {"eur": {"amount_off": 900}, ...}: the amount in other currencies.
  currency_options     jsonb NOT NULL DEFAULT '{}',
  duration             text NOT NULL CHECK (duration IN ('once', 'repeating', 'forever')),
  duration_in_months   integer CHECK (duration_in_months >= 1),
  max_redemptions      integer CHECK (max_redemptions >= 1),
  times_redeemed       integer NOT NULL DEFAULT 0 CHECK (times_redeemed >= 0),
  redeem_by            timestamptz,
  applies_to_products  text[],
  metadata             jsonb NOT NULL DEFAULT '{}',
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now(),
  deleted_at           timestamptz,
  PRIMARY KEY (workspace_id, id),
  CHECK ((percent_off IS NULL) <> (amount_off IS NULL)),
  CHECK ((amount_off IS NULL) = (currency IS NULL)),
  CHECK ((duration = 'repeating') = (duration_in_months IS NOT NULL))
);
-- Lists, newest first, of coupons not deleted.
CREATE INDEX coupons_created ON coupons (workspace_id, created_at, id) WHERE deleted_at IS NULL;
