-- Promotion codes (Stripe's promotion_codes): a customer-facing code for a coupon, with its
-- own limits. Ids are generated (they sort by creation), so lists page by id.
-- A code is unique per workspace, case-insensitively, among active promotion codes.
-- times_redeemed is incremented by subscriptions when a code is applied.
CREATE TABLE promotion_codes (
  workspace_id             text COLLATE "C" NOT NULL REFERENCES workspaces (id),
  id                       text COLLATE "C" NOT NULL,
  coupon_id                text COLLATE "C" NOT NULL,
  code                     text NOT NULL CHECK (length(code) BETWEEN 1 AND 500),
  active                   boolean NOT NULL DEFAULT true,
  -- Only this customer may redeem the code.
  customer_id              text COLLATE "C",
  max_redemptions          integer CHECK (max_redemptions >= 1),
  times_redeemed           integer NOT NULL DEFAULT 0 CHECK (times_redeemed >= 0),
  expires_at               timestamptz,
  first_time_transaction   boolean NOT NULL DEFAULT false,
  minimum_amount           bigint CHECK (minimum_amount >= 0),
  minimum_amount_currency  text CHECK (minimum_amount_currency ~ '^[a-z]{3}$'),
  metadata                 jsonb NOT NULL DEFAULT '{}',
  created_at               timestamptz NOT NULL DEFAULT now(),
  updated_at               timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, id),
  FOREIGN KEY (workspace_id, coupon_id) REFERENCES coupons (workspace_id, id),
  FOREIGN KEY (workspace_id, customer_id) REFERENCES customers (workspace_id, id),
  CHECK ((minimum_amount IS NULL) = (minimum_amount_currency IS NULL))
);
-- One active code per spelling, ignoring case; also serves the list's code filter.
CREATE UNIQUE INDEX promotion_codes_active_code ON promotion_codes (workspace_id, lower(code)) WHERE active;
CREATE INDEX promotion_codes_code ON promotion_codes (workspace_id, lower(code));
CREATE INDEX promotion_codes_coupon ON promotion_codes (workspace_id, coupon_id, id);
CREATE INDEX promotion_codes_customer ON promotion_codes (workspace_id, customer_id, id) WHERE customer_id IS NOT NULL;
