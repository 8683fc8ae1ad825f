import type { Gateways } from '../modules/payments/gateways/registry.ts';
import type { Executor } from '../db/database.ts';
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

/**
 * Who is making a request: a dashboard user (with a role) or an API key; or, on a page Recur
 * links customers to (the card-update page), the customer holding the link (`system` in the
 * audit log, as no one of the team nor any key acted).
 */
export interface Actor {
  type: ActorType;
  id: string;
  /** What the audit log shows: an email, a redacted key, or what the link was. */
  label: string;
  /** Users have their role; secret keys act with full rights in their workspace; a customer only through their link. */
  role: Role | 'secret_key' | 'publishable_key' | 'customer_link';
}

/** Everything a service call needs to know about the request it serves. */
export interface RequestContext {
  /** A transaction for writes, the pool for reads. */
  db: Executor;
  /** The workspace's payment gateways (payments/gateways/registry.ts). */
  gateways: Gateways;
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
