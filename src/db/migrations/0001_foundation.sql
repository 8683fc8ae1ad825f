-- Foundation: tenants, team, keys, audit, idempotency, events, customers.
-- Ids are text in the "C" collation: they embed their creation time, so ORDER BY id is
-- creation order and cursors are index range scans.
-- Business tables lead every key and index with workspace_id (the Citus distribution
-- column). Account-level tables (accounts, users, sessions, audit_log) belong to the team,
-- not to a workspace; see docs/decisions.md.

CREATE TABLE accounts (
  id          text COLLATE "C" PRIMARY KEY,
  name        text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE workspaces (
  id          text COLLATE "C" PRIMARY KEY,
  account_id  text COLLATE "C" NOT NULL REFERENCES accounts (id),
  mode        text NOT NULL CHECK (mode IN ('sandbox', 'live')),
  name        text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (account_id, mode)
);

CREATE TABLE users (
  account_id        text COLLATE "C" NOT NULL REFERENCES accounts (id),
  id                text COLLATE "C" NOT NULL,
  email             text NOT NULL,
  name              text,
  role              text NOT NULL CHECK (role IN ('owner', 'admin', 'support')),
  password_hash     text,
  invite_token_hash text,
  invite_expires_at timestamptz,
  invited_by        text COLLATE "C",
  created_at        timestamptz NOT NULL DEFAULT now(),
  disabled_at       timestamptz,
  PRIMARY KEY (account_id, id)
);
-- Login finds a user by email alone.
CREATE UNIQUE INDEX users_email_key ON users (lower(email));
CREATE UNIQUE INDEX users_invite_token_key ON users (invite_token_hash) WHERE invite_token_hash IS NOT NULL;

CREATE TABLE sessions (
  token_hash  text COLLATE "C" PRIMARY KEY,
  account_id  text COLLATE "C" NOT NULL,
  user_id     text COLLATE "C" NOT NULL,
  csrf_token  text NOT NULL,
  ip          text,
  user_agent  text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  FOREIGN KEY (account_id, user_id) REFERENCES users (account_id, id) ON DELETE CASCADE
);
CREATE INDEX sessions_expiry ON sessions (expires_at);

CREATE TABLE api_keys (
  workspace_id  text COLLATE "C" NOT NULL REFERENCES workspaces (id),
  id            text COLLATE "C" NOT NULL,
  type          text NOT NULL CHECK (type IN ('secret', 'publishable')),
  name          text,
  -- sha256 of the key: keys are long random strings, so a fast hash is safe to store.
  secret_hash   text COLLATE "C" NOT NULL,
  redacted      text NOT NULL,
  created_by    text COLLATE "C",
  created_at    timestamptz NOT NULL DEFAULT now(),
  last_used_at  timestamptz,
  revoked_at    timestamptz,
  PRIMARY KEY (workspace_id, id)
);
-- A request names only its key; the key tells the workspace.
CREATE UNIQUE INDEX api_keys_secret_hash_key ON api_keys (secret_hash);

CREATE TABLE audit_log (
  account_id    text COLLATE "C" NOT NULL,
  id            text COLLATE "C" NOT NULL,
  workspace_id  text COLLATE "C",
  actor_type    text NOT NULL CHECK (actor_type IN ('user', 'api_key', 'system')),
  actor_id      text COLLATE "C",
  actor_label   text,
  action        text NOT NULL,
  method        text,
  path          text,
  object_id     text COLLATE "C",
  status_code   integer,
  ip            text,
  request_id    text COLLATE "C",
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, id)
);
CREATE INDEX audit_log_workspace ON audit_log (account_id, workspace_id, id);

CREATE TABLE idempotency_keys (
  workspace_id     text COLLATE "C" NOT NULL,
  key              text COLLATE "C" NOT NULL,
  request_hash     text NOT NULL,
  method           text NOT NULL,
  path             text NOT NULL,
  response_status  integer,
  response_body    text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);

CREATE TABLE events (
  workspace_id     text COLLATE "C" NOT NULL,
  id               text COLLATE "C" NOT NULL,
  type             text NOT NULL,
  -- The id of data.object, so a record's history (e.g. a customer's timeline) is one index scan.
  object_id        text COLLATE "C" NOT NULL,
  api_version      text NOT NULL,
  data             jsonb NOT NULL,
  request_id       text COLLATE "C",
  idempotency_key  text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  dispatched_at    timestamptz,
  PRIMARY KEY (workspace_id, id)
);
CREATE INDEX events_type ON events (workspace_id, type, id);
CREATE INDEX events_object ON events (workspace_id, object_id, id);
-- The dispatcher's queue: small, because dispatched rows leave it.
CREATE INDEX events_undispatched ON events (created_at) WHERE dispatched_at IS NULL;

CREATE TABLE customers (
  workspace_id       text COLLATE "C" NOT NULL REFERENCES workspaces (id),
  id                 text COLLATE "C" NOT NULL,
  email              text,
  name               text,
  phone              text,
  description        text,
  address            jsonb,
  shipping           jsonb,
  invoice_settings   jsonb NOT NULL DEFAULT '{}',
  preferred_locales  text[] NOT NULL DEFAULT '{}',
  tax_exempt         text NOT NULL DEFAULT 'none' CHECK (tax_exempt IN ('none', 'exempt', 'reverse')),
  metadata           jsonb NOT NULL DEFAULT '{}',
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  deleted_at         timestamptz,
  PRIMARY KEY (workspace_id, id)
);
-- One email index serves both the exact list filter and case-insensitive search.
CREATE INDEX customers_email ON customers (workspace_id, lower(email)) WHERE deleted_at IS NULL;
-- Serves metadata['key']:'value' searches, written as containment (@>).
CREATE INDEX customers_metadata ON customers USING gin (metadata jsonb_path_ops);
