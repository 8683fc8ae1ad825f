/**
 * Mail that events call for, queued by the event dispatcher in its own transaction: a receipt
 * when an invoice is paid, the invoice itself (with its PDF) when a `send_invoice` invoice is
 * finalized. Each message's dedupe key is its reason, so an event dispatched again (a batch
 * rolled back after this ran, or a second dispatcher) queues nothing new.
 */
import type { Transaction } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../db/database.ts';
import { fromUnixSeconds } from '../../lib/time.ts';
import type { EventConsumer, EventRow } from '../events/dispatcher.ts';
import { customerRecipient, enqueueEmail } from './outbox.ts';

/** The fields of an invoice event's object that the messages use. */
const invoiceEvent = z.object({
  object: z.object({
    id: z.string(),
    number: z.string().nullable(),
    customer: z.string(),
    currency: z.string(),
    collection_method: z.enum(['charge_automatically', 'send_invoice']),
    amount_due: z.number().int(),
    amount_paid: z.number().int(),
    due_date: z.number().int().nullable(),
    status_transitions: z.object({ paid_at: z.number().int().nullable() }),
    lines: z.object({ data: z.array(z.object({ description: z.string().nullable(), amount: z.number().int() })) }),
  }),
});
type InvoiceFacts = z.infer<typeof invoiceEvent>['object'];

export function emailConsumer(clock: () => Date = () => new Date()): EventConsumer {
  return {
    name: 'email',
    async handle(tx, event) {
      if (event.type !== 'invoice.paid' && event.type !== 'invoice.finalized') return;
      const invoice = invoiceEvent.parse(JSON.parse(event.data)).object;
      if (event.type === 'invoice.paid') await queueReceipt(tx, event, invoice, clock());
      else await queueInvoice(tx, event, invoice, clock());
    },
  };
}

async function queueReceipt(tx: Transaction<Database>, event: EventRow, invoice: InvoiceFacts, now: Date): Promise<void> {
  if (invoice.amount_paid <= 0) return;
  const recipient = await customerRecipient(tx, event.workspace_id, invoice.customer);
  if (!recipient) return;
  await enqueueEmail(tx, {
    workspaceId: event.workspace_id,
    dedupeKey: `receipt:${invoice.id}`,
    ...recipient,
    template: 'receipt',
    data: {
      invoiceNumber: invoice.number,
      amountPaid: BigInt(invoice.amount_paid),
      currency: invoice.currency,
      paidAt: invoice.status_transitions.paid_at === null ? event.created_at : fromUnixSeconds(invoice.status_transitions.paid_at),
      lines: invoice.lines.data.map((line) => ({ description: line.description ?? '', amount: BigInt(line.amount) })),
    },
    now,
  });
}

async function queueInvoice(tx: Transaction<Database>, event: EventRow, invoice: InvoiceFacts, now: Date): Promise<void> {
  // Only invoices the customer pays by themselves are sent; nothing to pay, nothing to send.
  if (invoice.collection_method !== 'send_invoice' || invoice.amount_due <= 0 || invoice.number === null) return;
  const recipient = await customerRecipient(tx, event.workspace_id, invoice.customer);
  if (!recipient) return;
  await enqueueEmail(tx, {
    workspaceId: event.workspace_id,
    dedupeKey: `invoice:${invoice.id}`,
    ...recipient,
    template: 'invoice',
    data: {
      invoiceNumber: invoice.number,
      amountDue: BigInt(invoice.amount_due),
      currency: invoice.currency,
      dueDate: invoice.due_date === null ? null : fromUnixSeconds(invoice.due_date),
    },
    attachments: [{ kind: 'invoice_pdf', invoice: invoice.id }],
    now,
  });
}
