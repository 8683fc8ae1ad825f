-- The email outbox (modules/notifications): every message Recur sends is first a row here,
-- queued in the transaction of what it is about and already rendered (subject, text, HTML),
-- so the outbox shows exactly what goes out. The sender (notifications/sender.ts) delivers
-- it later from the worker; attachments are descriptors rendered at send time, not bytes.

CREATE TABLE email_messages (
  workspace_id     text COLLATE "C" NOT NULL REFERENCES workspaces (id),
  id               text COLLATE "C" NOT NULL,
  -- Null for mail to someone who is not a customer (e.g. the business itself).
  customer_id      text COLLATE "C",
  to_address       text NOT NULL CHECK (to_address ~ '^[^\s@]+@[^\s@]+$'),
  -- The BCP 47 tag the message was written in (the customer's first supported one).
  locale           text NOT NULL CHECK (locale ~ '^[A-Za-z]{2,3}([-_][A-Za-z0-9]{1,8})*$'),
  -- The list of templates lives in the code (notifications/models.ts); a new one needs no migration.
  template         text NOT NULL CHECK (template ~ '^[a-z][a-z_]*$'),
  subject          text NOT NULL,
  text_body        text NOT NULL,
  html_body        text NOT NULL,
  -- [{"kind": "invoice_pdf", "invoice": "in_…"}]
  attachments      jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(attachments) = 'array'),
  status           text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sending', 'sent', 'failed')),
  -- Attempts begun (a claim counts one, even if its worker died before it knew the outcome).
  attempts         integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  -- When the sender takes it next; while it is `sending`, when that claim lapses.
  next_attempt_at  timestamptz,
  last_error       text,
  -- The RFC 5322 Message-ID, fixed when queued: every attempt sends the same one, so a
  -- message sent twice (a worker died after sending) is one message to the receiver.
  message_id       text NOT NULL,
  -- Why the message exists (e.g. receipt:in_…): the same reason never queues two messages.
  dedupe_key       text NOT NULL,
  sent_at          timestamptz,
  created_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, id),
  UNIQUE (workspace_id, dedupe_key),
  FOREIGN KEY (workspace_id, customer_id) REFERENCES customers (workspace_id, id),
  CHECK ((status IN ('queued', 'sending')) = (next_attempt_at IS NOT NULL)),
  CHECK ((status = 'sent') = (sent_at IS NOT NULL)),
  CHECK (status <> 'sending' OR attempts > 0)
);
-- A customer's messages, newest first.
CREATE INDEX email_messages_customer ON email_messages (workspace_id, customer_id, id) WHERE customer_id IS NOT NULL;
-- The outbox filtered by status (the dashboard's tabs).
CREATE INDEX email_messages_status ON email_messages (workspace_id, status, id);
-- The sender's queue, across workspaces (like events_undispatched): sent and failed rows leave it.
CREATE INDEX email_messages_due ON email_messages (next_attempt_at) WHERE status IN ('queued', 'sending');
