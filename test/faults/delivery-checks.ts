/**
 * What the killed workers delivered, after a phase (and the leases' end): mail and webhooks.
 *
 * Mail (decisions.md §24, at least once under one Message-ID): every event that calls for a
 * message (a paid invoice: a receipt; a failed renewal attempt: a payment-failed notice, for
 * a customer with an address) queued exactly one, and no message is queued without one; every
 * message was sent and the SMTP server received it, by its Message-ID, at most once per
 * attempt; every copy it received twice is the same message (Message-ID, Date, Subject,
 * recipient); it received nothing under a Message-ID the outbox does not have (a message
 * made twice under two ids would show up so).
 *
 * Webhooks (§23, at least once, deduplicated on the event id): every event of a type the
 * endpoint asks for has exactly one delivery and nothing else has one; every delivery
 * succeeded; the endpoint received each one's event at least once and at most once per
 * attempt, correctly signed, and no event it was not to get.
 */
import type { FaultDatabase } from './database.ts';
import { WEBHOOK_EVENTS } from './options.ts';
import { problems, type Problems } from './problems.ts';
import type { Receivers } from './receivers.ts';

export interface DeliveryFigures {
  /** Outbox messages by template. */
  messages: Record<string, number>;
  /** Messages the SMTP server received, and how many of them were a message's second copy or later. */
  mailReceived: number;
  mailResent: number;
  /** Messages more than one per event, or received under a Message-ID the outbox does not have: duplicates of another kind than a resend. */
  mailDuplicates: number;
  deliveries: number;
  /** Events with more than one delivery to the endpoint. */
  deliveryDuplicates: number;
  /** Requests the endpoint received, and how many carried an event it had already received. */
  webhooksReceived: number;
  webhooksRepeated: number;
}

export async function checkDeliveries(db: FaultDatabase, workspaceId: string, endpointId: string, receivers: Receivers): Promise<{ violations: string[]; figures: DeliveryFigures }> {
  const found = problems();
  const mail = await checkMail(db, workspaceId, receivers, found);
  const webhooks = await checkWebhooks(db, workspaceId, endpointId, receivers, found);
  return { violations: found.list(), figures: { ...mail, ...webhooks } };
}

/** How many times each key occurs. */
function tally<T>(items: readonly T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

async function checkMail(db: FaultDatabase, workspaceId: string, receivers: Receivers, found: Problems) {
  // Per customer and template: the messages its events call for (the email consumer's rules,
  // notifications/consumer.ts) against those queued.
  const { rows: mismatches } = await db.pool.query<{ customer_id: string; template: string; wanted: string; queued: string }>(
    `WITH wanted AS (
       SELECT i.customer_id, CASE e.type WHEN 'invoice.paid' THEN 'receipt' ELSE 'payment_failed' END AS template, count(*) AS n
       FROM events e
       JOIN invoices i ON i.workspace_id = e.workspace_id AND i.id = e.object_id
       JOIN customers c ON c.workspace_id = i.workspace_id AND c.id = i.customer_id
       WHERE e.workspace_id = $1 AND c.email IS NOT NULL AND i.amount_due > 0
         AND (e.type = 'invoice.paid' OR (e.type = 'invoice.payment_failed' AND i.collection_method = 'charge_automatically'
                                          AND i.billing_reason <> 'subscription_create'))
       GROUP BY 1, 2),
     queued AS (SELECT customer_id, template, count(*) AS n FROM email_messages WHERE workspace_id = $1 GROUP BY 1, 2)
     SELECT coalesce(w.customer_id, q.customer_id) AS customer_id, coalesce(w.template, q.template) AS template,
            coalesce(w.n, 0) AS wanted, coalesce(q.n, 0) AS queued
     FROM wanted w FULL JOIN queued q ON q.customer_id = w.customer_id AND q.template = w.template
     WHERE coalesce(w.n, 0) <> coalesce(q.n, 0)`,
    [workspaceId],
  );
  for (const m of mismatches) found.fail('messages queued not one per event that calls for one', `${m.customer_id} ${m.template}: ${m.queued} queued, ${m.wanted} events`);

  const { rows: messages } = await db.pool.query<{ id: string; template: string; to_address: string; status: string; attempts: number; message_id: string; last_error: string | null }>(
    `SELECT id, template, to_address, status, attempts, message_id, last_error FROM email_messages WHERE workspace_id = $1`,
    [workspaceId],
  );
  const received = receivers.smtp.received;
  const copies = new Map<string, typeof received>();
  for (const mail of received) {
    const id = mail.headers.get('message-id') ?? '';
    copies.set(id, [...(copies.get(id) ?? []), mail]);
  }
  const outbox = new Set(messages.map((m) => m.message_id));
  for (const message of messages) {
    if (message.status !== 'sent') found.fail('message not sent', `${message.id}: ${message.status} after ${message.attempts} attempts (${message.last_error})`);
    const got = copies.get(message.message_id) ?? [];
    if (got.length === 0) found.fail('message the SMTP server never received', message.id);
    if (got.length > message.attempts) found.fail('message received more often than it was attempted', `${message.id}: ${got.length} copies, ${message.attempts} attempts`);
    const first = got[0];
    for (const copy of got) {
      if (copy.envelopeTo.length !== 1 || copy.envelopeTo[0] !== message.to_address) found.fail('message received for someone else', `${message.id}: to ${copy.envelopeTo.join(', ')}`);
      if (first && (copy.headers.get('date') !== first.headers.get('date') || copy.headers.get('subject') !== first.headers.get('subject'))) {
        found.fail('copies of one message differ (Date or Subject)', message.id);
      }
    }
  }
  let strays = 0;
  for (const [id, got] of copies) {
    if (outbox.has(id)) continue;
    strays += got.length;
    found.fail('mail received under a Message-ID the outbox does not have', `${id} (${got.length}×)`);
  }
  return {
    mailDuplicates: strays + mismatches.reduce((sum, m) => sum + Math.max(0, Number(m.queued) - Number(m.wanted)), 0),
    messages: Object.fromEntries(tally(messages, (m) => m.template)),
    mailReceived: received.length,
    mailResent: received.length - copies.size,
  };
}

async function checkWebhooks(db: FaultDatabase, workspaceId: string, endpointId: string, receivers: Receivers, found: Problems) {
  const { rows: wrong } = await db.pool.query<{ id: string; type: string; deliveries: string }>(
    `SELECT e.id, e.type, count(d.id) AS deliveries
     FROM events e LEFT JOIN webhook_deliveries d ON d.workspace_id = e.workspace_id AND d.event_id = e.id AND d.endpoint_id = $2
     WHERE e.workspace_id = $1
     GROUP BY e.id, e.type
     HAVING count(d.id) <> CASE WHEN e.type = ANY($3) THEN 1 ELSE 0 END`,
    [workspaceId, endpointId, WEBHOOK_EVENTS],
  );
  for (const e of wrong) {
    found.fail(WEBHOOK_EVENTS.includes(e.type) ? 'event the endpoint asks for without exactly one delivery' : 'delivery of an event the endpoint does not ask for', `${e.id} (${e.type}): ${e.deliveries}`);
  }

  const { rows: deliveries } = await db.pool.query<{ id: string; event_id: string; type: string; status: string; attempts: number }>(
    `SELECT d.id, d.event_id, e.type, d.status, d.attempts
     FROM webhook_deliveries d JOIN events e ON e.workspace_id = d.workspace_id AND e.id = d.event_id
     WHERE d.workspace_id = $1 AND d.endpoint_id = $2`,
    [workspaceId, endpointId],
  );
  const received = receivers.webhooks.received;
  const times = tally(received, (r) => r.eventId);
  const types = new Map(received.map((r) => [r.eventId, r.type]));
  for (const delivery of deliveries) {
    if (delivery.status !== 'succeeded') found.fail('delivery not succeeded', `${delivery.id}: ${delivery.status} after ${delivery.attempts} attempts`);
    const got = times.get(delivery.event_id) ?? 0;
    if (got === 0) found.fail('event the endpoint never received', `${delivery.event_id} (${delivery.id})`);
    if (got > delivery.attempts) found.fail('event received more often than its delivery was attempted', `${delivery.event_id}: ${got} times, ${delivery.attempts} attempts`);
    if (got > 0 && types.get(delivery.event_id) !== delivery.type) found.fail('event received as another type', `${delivery.event_id}: ${types.get(delivery.event_id)}, not ${delivery.type}`);
  }
  const delivered = new Set(deliveries.map((d) => d.event_id));
  for (const [eventId, n] of times) if (!delivered.has(eventId)) found.fail('request for no delivery', `${eventId || '(no event id)'} (${n}×)`);
  const unsigned = received.filter((r) => !r.signed).length;
  if (unsigned > 0) found.fail('requests without a valid signature', `${unsigned} of ${received.length}`);
  const deliveryDuplicates = wrong.reduce((sum, e) => sum + Math.max(0, Number(e.deliveries) - (WEBHOOK_EVENTS.includes(e.type) ? 1 : 0)), 0);
  return { deliveries: deliveries.length, deliveryDuplicates, webhooksReceived: received.length, webhooksRepeated: received.length - times.size };
}
