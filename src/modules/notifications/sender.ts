/**
 * The sender ('email.send'): takes due messages from the outbox and hands them to the SMTP
 * server (nodemailer, SMTP_URL). decisions.md §24 is the guarantee:
 *
 * - Claim: one statement marks a batch `sending`, counts the attempt and sets
 *   `next_attempt_at` to the end of a lease (rows picked FOR UPDATE SKIP LOCKED). Until the
 *   lease ends no other worker takes them; the claim commits before anything is sent.
 * - Send, outside any transaction, within the lease (a batch still sending when the lease
 *   is nearly over is aborted and counts as failed).
 * - Record: sent, or back to `queued` with exponential backoff, or `failed`. The update
 *   names the attempt it claimed, so a worker that overran its lease cannot overwrite a
 *   later attempt's result.
 *
 * A worker that dies between the send and the record leaves the message `sending`; when the
 * lease ends another worker sends it again with the same Message-ID (at least once).
 */
import { setMaxListeners } from 'node:events';
import { createTransport } from 'nodemailer';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import { bulkUpdate } from '../../db/bulk.ts';
import type { DueWork } from '../../worker/runner.ts';
import { attachmentsOf } from './attachments.ts';
import type { EmailMessageRow } from './models.ts';

export interface EmailSenderOptions {
  /** null: nothing is sent and messages stay queued (they are shown in the dashboard). */
  smtpUrl: string | null;
  emailFrom: string;
  batchSize?: number;
  /** How long a claim lasts. */
  leaseMs?: number;
  /** Only this workspace's mail: for tests, whose files share one database. */
  workspaceId?: string;
}

export const MAX_ATTEMPTS = 10;
const FIRST_RETRY_MS = 60_000;
const LEASE_MS = 10 * 60_000;
/** A batch still sending this long before its lease ends is aborted, so no send outlives its claim. */
const LEASE_MARGIN_MS = 60_000;

/** After the n-th failed attempt: wait 1 minute × 2^(n−1) (1, 2, 4 … 256 minutes). */
export function retryDelayMs(attempts: number): number {
  return FIRST_RETRY_MS * 2 ** (attempts - 1);
}

type Outcome = { kind: 'sent' } | { kind: 'retry'; error: string } | { kind: 'failed'; error: string };

interface Attempt {
  message: Claimed;
  outcome: Outcome;
}

interface Claimed extends EmailMessageRow {
  mode: 'sandbox' | 'live';
  account_id: string;
}

export const SANDBOX_REFUSAL = 'Not sent: a sandbox workspace only sends mail to the addresses of its team, never to customers.';

export function emailSender(options: EmailSenderOptions): DueWork {
  const batchSize = options.batchSize ?? 20;
  const leaseMs = options.leaseMs ?? LEASE_MS;
  return {
    name: 'email.send',
    batchSize,
    idleMs: 1000,
    async runBatch(db, now) {
      if (!options.smtpUrl) return 0;
      const claimed = await claimDueMessages(db, now, batchSize, leaseMs, options.workspaceId);
      if (claimed.length === 0) return 0;
      const attempts = await sendBatch(db, claimed, { smtpUrl: options.smtpUrl, emailFrom: options.emailFrom, deadlineMs: Math.max(leaseMs - LEASE_MARGIN_MS, leaseMs / 2) });
      await recordAttempts(db, attempts, now);
      return claimed.length;
    },
  };
}

/** Claims up to `limit` due messages for `leaseMs`: committed before anything is sent. */
async function claimDueMessages(db: Kysely<Database>, now: Date, limit: number, leaseMs: number, workspaceId: string | undefined): Promise<Claimed[]> {
  const rows = await db
    .updateTable('email_messages as m')
    .from((eb) =>
      eb
        .selectFrom('email_messages')
        .select(['workspace_id', 'id'])
        .where('status', 'in', ['queued', 'sending'])
        .where('next_attempt_at', '<=', now)
        .$if(workspaceId !== undefined, (qb) => qb.where('workspace_id', '=', workspaceId as string))
        .orderBy('next_attempt_at')
        .limit(limit)
        .forUpdate()
        .skipLocked()
        .as('due'),
    )
    .set((eb) => ({ status: 'sending', attempts: eb('m.attempts', '+', 1), next_attempt_at: new Date(now.getTime() + leaseMs) }))
    .whereRef('m.workspace_id', '=', 'due.workspace_id')
    .whereRef('m.id', '=', 'due.id')
    .returningAll('m')
    .execute();
  if (rows.length === 0) return [];
  const workspaces = await db
    .selectFrom('workspaces')
    .select(['id', 'mode', 'account_id'])
    .where('id', 'in', [...new Set(rows.map((r) => r.workspace_id))])
    .execute();
  const byId = new Map(workspaces.map((w) => [w.id, w]));
  return rows.map((row) => {
    const workspace = byId.get(row.workspace_id);
    if (!workspace) throw new Error(`email ${row.id}: workspace ${row.workspace_id} is missing`);
    return { ...row, mode: workspace.mode, account_id: workspace.account_id };
  });
}

/** Sandbox mail may reach the team (to try things out), never customers (as Stripe's test mode). */
async function teamAddresses(db: Kysely<Database>, claimed: readonly Claimed[]): Promise<Set<string>> {
  const accounts = [...new Set(claimed.filter((m) => m.mode === 'sandbox').map((m) => m.account_id))];
  if (accounts.length === 0) return new Set();
  const users = await db.selectFrom('users').select(['account_id', 'email']).where('account_id', 'in', accounts).where('disabled_at', 'is', null).execute();
  return new Set(users.map((u) => `${u.account_id} ${u.email.toLowerCase()}`));
}

async function sendBatch(
  db: Kysely<Database>,
  claimed: readonly Claimed[],
  options: { smtpUrl: string; emailFrom: string; deadlineMs: number },
): Promise<Attempt[]> {
  const team = await teamAddresses(db, claimed);
  const transport = createTransport({
    url: options.smtpUrl,
    pool: true,
    maxConnections: 5,
    connectionTimeout: 30_000,
    greetingTimeout: 30_000,
    socketTimeout: 60_000,
  });
  const signal = AbortSignal.timeout(options.deadlineMs);
  // One deadline for the batch's sends, each of which listens to it: not a listener leak.
  setMaxListeners(claimed.length + 10, signal);
  try {
    return await Promise.all(
      claimed.map(async (message): Promise<Attempt> => {
        if (message.mode === 'sandbox' && !team.has(`${message.account_id} ${message.to_address.toLowerCase()}`)) {
          return { message, outcome: { kind: 'failed', error: SANDBOX_REFUSAL } };
        }
        try {
          await transport.sendMail({
            from: options.emailFrom,
            to: { name: '', address: message.to_address },
            subject: message.subject,
            text: message.text_body,
            html: message.html_body,
            messageId: message.message_id,
            // Every attempt is the same message: same Message-ID, same Date.
            date: message.created_at,
            attachments: await attachmentsOf(db, message),
            signal,
          });
          return { message, outcome: { kind: 'sent' } };
        } catch (error) {
          return { message, outcome: failure(message, error) };
        }
      }),
    );
  } finally {
    transport.close();
  }
}

function failure(message: EmailMessageRow, error: unknown): Outcome {
  const e = error as { message?: unknown; code?: unknown; responseCode?: unknown };
  const text = typeof e.message === 'string' ? e.message : String(error);
  // The server refused this recipient or this message for good (5xx): another try gets the same answer.
  const permanent = (e.code === 'EENVELOPE' || e.code === 'EMESSAGE') && typeof e.responseCode === 'number' && e.responseCode >= 500;
  if (permanent || message.attempts >= MAX_ATTEMPTS) return { kind: 'failed', error: text };
  return { kind: 'retry', error: text };
}

async function recordAttempts(db: Kysely<Database>, attempts: readonly Attempt[], now: Date): Promise<void> {
  const rows = attempts.map(({ message, outcome }) => ({
    workspace_id: message.workspace_id,
    id: message.id,
    // The attempt this worker claimed: if its lease ran out and another worker claimed the
    // message again, this update matches nothing.
    attempts: message.attempts,
    status: outcome.kind === 'sent' ? 'sent' : outcome.kind === 'retry' ? 'queued' : 'failed',
    next_attempt_at: outcome.kind === 'retry' ? new Date(now.getTime() + retryDelayMs(message.attempts)).toISOString() : null,
    last_error: outcome.kind === 'sent' ? null : outcome.error.slice(0, 1000),
    sent_at: outcome.kind === 'sent' ? now.toISOString() : null,
  }));
  await bulkUpdate(
    'email_messages',
    ['workspace_id', 'id', 'attempts'],
    { workspace_id: 'text', id: 'text', attempts: 'integer', status: 'text', next_attempt_at: 'timestamptz', last_error: 'text', sent_at: 'timestamptz' },
    rows,
  ).execute(db);
}
