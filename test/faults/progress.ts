/**
 * Where the workers are, read from the database while they run: what is due at a clock,
 * what a killed worker left half done. Cheap queries (partial indexes), polled every few ms.
 */
import type { FaultDatabase } from './database.ts';

export interface Work {
  /** Subscriptions to renew, drafts to finalize, payments to attempt. */
  billing: number;
  /** Events no dispatcher has handed to the consumers yet. */
  events: number;
  /** Mail to send: due, and all not yet sent (with what a killed worker has claimed). */
  emailsDue: number;
  emailsLeft: number;
  /** Webhook deliveries to make, the same way. */
  deliveriesDue: number;
  deliveriesLeft: number;
}

/** What is due at a clock `offsetMs` ahead of now (and what is left whenever it is due). */
export async function workAt(db: FaultDatabase, workspaceId: string, offsetMs: number): Promise<Work> {
  const row = await db.one<Record<keyof Work, string>>(
    `SELECT (SELECT count(*) FROM subscriptions WHERE workspace_id = $1 AND next_action_at <= $2)
          + (SELECT count(*) FROM invoices WHERE workspace_id = $1 AND status = 'draft' AND automatically_finalizes_at <= $2)
          + (SELECT count(*) FROM invoices WHERE workspace_id = $1 AND status = 'open' AND next_payment_attempt <= $2) AS billing,
            (SELECT count(*) FROM events WHERE dispatched_at IS NULL) AS events,
            m.due AS "emailsDue", m.left AS "emailsLeft", d.due AS "deliveriesDue", d.left AS "deliveriesLeft"
     FROM (SELECT count(*) FILTER (WHERE next_attempt_at <= $2) AS due, count(*) AS left FROM email_messages WHERE status IN ('queued', 'sending')) m,
          (SELECT count(*) FILTER (WHERE next_attempt_at <= $2) AS due, count(*) AS left FROM webhook_deliveries WHERE status = 'pending') d`,
    [workspaceId, new Date(Date.now() + offsetMs)],
  );
  return {
    billing: Number(row.billing),
    events: Number(row.events),
    emailsDue: Number(row.emailsDue),
    emailsLeft: Number(row.emailsLeft),
    deliveriesDue: Number(row.deliveriesDue),
    deliveriesLeft: Number(row.deliveriesLeft),
  };
}

/** Work a live worker would take now. */
export const due = (w: Work) => w.billing + w.events + w.emailsDue + w.deliveriesDue;
/** Work not finished, including what a killed worker claimed and no one may take until its lease ends. */
export const left = (w: Work) => w.billing + w.events + w.emailsLeft + w.deliveriesLeft;

/** A killed worker's sessions end once PostgreSQL sees its sockets closed (and rolls back). */
export async function sessionsGone(db: FaultDatabase, name: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while ((await db.count(`SELECT count(*) AS n FROM pg_stat_activity WHERE application_name IN ($1, $2)`, [name, `${name}-gateway`])) > 0) {
    if (Date.now() > deadline) throw new Error(`${name}'s database sessions outlived it by 15 s`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** How many more charges the gateway has made than the invoices' recorded attempts (cheap). */
export function chargesAhead(db: FaultDatabase, workspaceId: string): Promise<number> {
  return db.count(
    `SELECT (SELECT count(*) FROM test_gateway_charges WHERE workspace_id = $1)
          - (SELECT coalesce(sum(attempt_count), 0) FROM invoices WHERE workspace_id = $1 AND billing_reason = 'subscription_cycle') AS n`,
    [workspaceId],
  );
}

/**
 * Charges the gateway made that Recur has not recorded (yet): a kill between a batch's
 * charges and its commit leaves these, for the next run of that batch to find again.
 */
export async function unrecordedCharges(db: FaultDatabase, workspaceId: string): Promise<{ n: number; succeeded: number }> {
  const row = await db.one<{ n: string; succeeded: string }>(
    `SELECT count(*) AS n, count(*) FILTER (WHERE c.status = 'succeeded') AS succeeded
     FROM test_gateway_charges c
     WHERE c.workspace_id = $1 AND NOT EXISTS (
       SELECT 1 FROM invoices i
       WHERE i.workspace_id = c.workspace_id AND i.subscription_id = split_part(c.idempotency_key, ':', 2)
         AND i.cycle_period_start = to_timestamp(split_part(c.idempotency_key, ':', 3)::bigint)
         AND i.attempt_count >= split_part(c.idempotency_key, ':', 4)::int)`,
    [workspaceId],
  );
  return { n: Number(row.n), succeeded: Number(row.succeeded) };
}

/**
 * Mail the SMTP server accepted whose message is still `sending`: a kill between the send
 * and its record leaves these, to be sent again (same Message-ID) once the lease is over.
 */
export async function unrecordedMail(db: FaultDatabase, accepted: ReadonlySet<string>): Promise<number> {
  const { rows } = await db.pool.query<{ message_id: string }>(`SELECT message_id FROM email_messages WHERE status = 'sending'`);
  return rows.filter((r) => accepted.has(r.message_id)).length;
}

/** Deliveries claimed, received by the endpoint, and still pending: sent again a minute later. */
export async function unrecordedWebhooks(db: FaultDatabase, received: ReadonlySet<string>): Promise<number> {
  const { rows } = await db.pool.query<{ event_id: string }>(`SELECT event_id FROM webhook_deliveries WHERE status = 'pending' AND attempts > 0`);
  return rows.filter((r) => received.has(r.event_id)).length;
}
