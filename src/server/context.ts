import type { Kysely } from 'kysely';
import type { Database, Executor } from '../db/database.ts';
import type { SecretBox } from '../lib/secret-box.ts';
import type { ActorType } from '../modules/audit/models.ts';
import type { Role } from '../modules/auth/models.ts';
import type { WorkspaceMode } from '../modules/workspaces/models.ts';
import type { PendingWrites } from './unit-of-work.ts';

export interface WorkspaceRef {
  id: string;
  accountId: string;
  mode: WorkspaceMode;
}

/** Who is making a request: a dashboard user (with a role) or an API key. */
export interface Actor {
  type: Exclude<ActorType, 'system'>;
  id: string;
  /** What the audit log shows: an email or a redacted key. */
  label: string;
  /** Users have their role; secret keys act with full rights in their workspace. */
  role: Role | 'secret_key' | 'publishable_key';
}

/** Everything a service call needs to know about the request it serves. */
export interface RequestContext {
  /** A transaction for writes, the pool for reads. */
  db: Executor;
  /** The payment gateway's own handle, outside any transaction (DatabaseHandle.gatewayDb). */
  gatewayDb: Kysely<Database>;
  workspace: WorkspaceRef;
  actor: Actor;
  requestId: string;
  idempotencyKey: string | null;
  ip: string;
  /** Events and audit entries to insert with the write, just before commit. */
  pending: PendingWrites;
  /** Runs once the request's transaction has committed (e.g. dropping caches). */
  afterCommit(task: () => void): void;
  /** Seals and opens the secrets Recur keeps (lib/secret-box.ts). */
  secrets: SecretBox;
}

export function livemode(workspace: WorkspaceRef): boolean {
  return workspace.mode === 'live';
}
