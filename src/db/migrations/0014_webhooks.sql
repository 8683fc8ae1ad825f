-- Outgoing webhooks (Stripe's webhook endpoints): where to send which events, and one
-- delivery per (endpoint, event) with its attempts. Deliveries are made by the worker
-- (modules/webhooks/deliverer.ts), never from a request's transaction.

CREATE TABLE webhook_endpoints (
  workspace_id    text COLLATE "C" NOT NULL REFERENCES workspaces (id),
  id              text COLLATE "C" NOT NULL,
  url             text NOT NULL CHECK (url ~ '^https?://'),
  description     text,
  -- Event types, or '*' for all of them.
  enabled_events  text[] NOT NULL CHECK (cardinality(enabled_events) BETWEEN 1 AND 100),
  metadata        jsonb NOT NULL DEFAULT '{}',
  status          text NOT NULL DEFAULT 'enabled' CHECK (status IN ('enabled', 'disabled')),
  -- The signing secret (whsec_…), sealed with the deployment's key (lib/secret-box.ts):
  -- shown once at creation, never stored in clear.
  secret_sealed   text NOT NULL,
  api_version     text NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  disabled_at     timestamptz,
  PRIMARY KEY (workspace_id, id),
  CHECK ((status = 'disabled') = (disabled_at IS NOT NULL))
);

-- The unique key makes queueing an event for an endpoint idempotent: a dispatcher batch that
-- is rolled back and run again, or two dispatchers, queue it once.
CREATE TABLE webhook_deliveries (
  workspace_id      text COLLATE "C" NOT NULL,
  id                text COLLATE "C" NOT NULL,
  endpoint_id       text COLLATE "C" NOT NULL,
  event_id          text COLLATE "C" NOT NULL,
  status            text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'succeeded', 'failed')),
  attempts          integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  -- When the deliverer takes it next; while an attempt is under way, when that attempt's
  -- claim lapses (a worker that died mid-attempt leaves it to be taken again).
  next_attempt_at   timestamptz,
  first_attempt_at  timestamptz,
  last_attempt_at   timestamptz,
  last_status_code  integer CHECK (last_status_code BETWEEN 100 AND 999),
  last_error        text,
  -- The first kilobyte of the receiver's last answer, for the delivery log.
  last_response     text,
  created_at        timestamptz NOT NULL DEFAULT now(),
  delivered_at      timestamptz,
  PRIMARY KEY (workspace_id, id),
  UNIQUE (workspace_id, endpoint_id, event_id),
  -- The endpoint's key also holds the workspace to an existing one (no key to workspaces).
  FOREIGN KEY (workspace_id, endpoint_id) REFERENCES webhook_endpoints (workspace_id, id) ON DELETE CASCADE,
  FOREIGN KEY (workspace_id, event_id) REFERENCES events (workspace_id, id),
  CHECK ((status = 'pending') = (next_attempt_at IS NOT NULL)),
  CHECK ((status = 'succeeded') = (delivered_at IS NOT NULL)),
  CHECK ((attempts = 0) = (first_attempt_at IS NULL))
);
-- An endpoint's delivery log, newest first.
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (workspace_id, endpoint_id, id);
-- The deliverer's queue, across workspaces (like events_undispatched): only pending rows.
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
-- "Has anything reached this endpoint since …?", asked when a delivery finally fails.
CREATE INDEX webhook_deliveries_endpoint_succeeded ON webhook_deliveries (workspace_id, endpoint_id, delivered_at) WHERE status = 'succeeded';
