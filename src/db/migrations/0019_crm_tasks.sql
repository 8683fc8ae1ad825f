-- CRM tasks (decisions.md "Tasks for the billing team"): follow-ups on a customer's record,
-- opened by Recur (dunning_exhausted: an invoice's retries ran out) or by people (manual).
-- A later CRM issue adds assignees, notes and tickets on top of this table.
CREATE TABLE tasks (
  workspace_id            text COLLATE "C" NOT NULL,
  id                      text COLLATE "C" NOT NULL,
  customer_id             text COLLATE "C" NOT NULL,
  kind                    text NOT NULL CHECK (kind IN ('dunning_exhausted', 'manual')),
  title                   text NOT NULL CHECK (title <> ''),
  description             text,
  status                  text NOT NULL CHECK (status IN ('open', 'completed')),
  due_at                  timestamptz,
  -- The objects the task is about (no foreign keys: like an event's object_id, a reference
  -- that outlives nothing and costs no trigger call on the billing run's path).
  related_invoice_id      text COLLATE "C",
  related_subscription_id text COLLATE "C",
  completed_at            timestamptz,
  metadata                jsonb NOT NULL DEFAULT '{}',
  created_at              timestamptz NOT NULL,
  updated_at              timestamptz NOT NULL,
  PRIMARY KEY (workspace_id, id),
  -- Customers are only ever soft-deleted, so a task's customer always exists.
  FOREIGN KEY (workspace_id, customer_id) REFERENCES customers (workspace_id, id),
  CHECK ((status = 'completed') = (completed_at IS NOT NULL))
);
-- A customer's tasks (the customer page), newest first.
CREATE INDEX tasks_customer ON tasks (workspace_id, customer_id, id);
-- The open tasks across customers (the Tasks page), newest first.
CREATE INDEX tasks_status ON tasks (workspace_id, status, id);
-- One dunning task per invoice, whatever runs the billing twice (ON CONFLICT DO NOTHING);
-- partial, so that people may later open several manual tasks about one invoice.
CREATE UNIQUE INDEX tasks_dunning_invoice ON tasks (workspace_id, kind, related_invoice_id) WHERE kind = 'dunning_exhausted';
