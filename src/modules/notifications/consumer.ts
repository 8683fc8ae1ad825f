/**
 * Mail that events call for, queued by the event dispatcher in its own transaction: a receipt
 * when an invoice is paid, the invoice itself (with its PDF) when a `send_invoice` invoice is
 * finalized, and a payment-failed notice, with a link to put in a new card, at each failed
 * attempt. Each message's dedupe key is its reason, so an event dispatched again (a batch
 * rolled back after this ran, or a second dispatcher) queues nothing new. A batch of events
 * reads all its recipients in one query.
 */
import type { Transaction } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../db/database.ts';
import type { SecretBox } from '../../lib/secret-box.ts';
import { fromUnixSeconds, unixSeconds } from '../../lib/time.ts';
import type { EventConsumer, EventRow } from '../events/dispatcher.ts';
import { CARD_UPDATE_LINK_TTL_SECONDS, cardUpdateUrl, sealCardUpdateLink } from '../payments/card-update/token.ts';
import { refundNotices } from '../payments/refunds/email.ts';
import type { EmailAttachment } from './models.ts';
import { customerRecipients, enqueueEmail, recipientKey, type CustomerRecipient } from './outbox.ts';
import type { EmailContent } from './templates/render.ts';

/** The fields of an invoice event's object that the messages use. */
const invoiceEvent = z.object({
  object: z.object({
    id: z.string(),
    number: z.string().nullable(),
    customer: z.string(),
    currency: z.string(),
    billing_reason: z.string(),
    collection_method: z.enum(['charge_automatically', 'send_invoice']),
    amount_due: z.number().int(),
    amount_paid: z.number().int(),
    amount_remaining: z.number().int(),
    attempt_count: z.number().int(),
    next_payment_attempt: z.number().int().nullable(),
    last_payment_error: z.object({ message: z.string() }).nullable(),
    due_date: z.number().int().nullable(),
    status_transitions: z.object({ paid_at: z.number().int().nullable() }),
    lines: z.object({ data: z.array(z.object({ description: z.string().nullable(), amount: z.number().int() })) }),
  }),
});
type InvoiceFacts = z.infer<typeof invoiceEvent>['object'];

const INVOICE_EVENTS: ReadonlySet<string> = new Set(['invoice.paid', 'invoice.finalized', 'invoice.payment_failed']);

export interface EmailConsumerOptions {
  /** RECUR_PUBLIC_URL: links in the mail point there. */
  publicUrl: string;
  /** The deployment's secret box: it seals the card-update links. */
  secrets: SecretBox;
  clock?: () => Date;
}

/** A message an event calls for, before its recipient is known. */
interface Draft {
  event: EventRow;
  customerId: string;
  dedupeKey: string;
  content: (recipient: CustomerRecipient) => EmailContent;
  attachments?: EmailAttachment[];
}

export function emailConsumer(options: EmailConsumerOptions): EventConsumer {
  const clock = options.clock ?? (() => new Date());

  /** A card-update link for this customer, valid for a week of their time. */
  const payLink = (event: EventRow, invoice: InvoiceFacts, recipient: CustomerRecipient, now: Date): string => {
    const expiresAt = unixSeconds(recipient.clockTime ?? now) + CARD_UPDATE_LINK_TTL_SECONDS;
    const token = sealCardUpdateLink(options.secrets, {
      workspaceId: event.workspace_id,
      customerId: invoice.customer,
      invoiceId: invoice.id,
      replacesPaymentMethodId: null,
      expiresAt,
    });
    return cardUpdateUrl(options.publicUrl, token);
  };

  async function handleBatch(tx: Transaction<Database>, events: readonly EventRow[]): Promise<void> {
    const now = clock();
    const drafts: Draft[] = [];
    for (const event of events) {
      if (!INVOICE_EVENTS.has(event.type)) continue;
      const invoice = invoiceEvent.parse(JSON.parse(event.data)).object;
      const draft = draftFor(event, invoice, (recipient) => payLink(event, invoice, recipient, now));
      if (draft) drafts.push(draft);
    }
    // A refund's notice (payments/refunds/email.ts): `refund.created` events.
    drafts.push(...(await refundNotices(tx, events)));
    if (drafts.length === 0) return;
    const recipients = await customerRecipients(
      tx,
      drafts.map((d) => ({ workspace_id: d.event.workspace_id, id: d.customerId })),
    );
    for (const draft of drafts) {
      const recipient = recipients.get(recipientKey(draft.event.workspace_id, draft.customerId));
      if (!recipient) continue;
      await enqueueEmail(tx, {
        workspaceId: draft.event.workspace_id,
        dedupeKey: draft.dedupeKey,
        to: recipient.to,
        business: recipient.business,
        ...draft.content(recipient),
        ...(draft.attachments ? { attachments: draft.attachments } : {}),
        now,
      });
    }
  }

  return {
    name: 'email',
    handleBatch,
    handle: (tx, event) => handleBatch(tx, [event]),
  };
}

/** The message an invoice event calls for, if any. */
function draftFor(event: EventRow, invoice: InvoiceFacts, payLink: (recipient: CustomerRecipient) => string): Draft | null {
  const about = { event, customerId: invoice.customer };
  switch (event.type) {
    case 'invoice.paid':
      if (invoice.amount_paid <= 0) return null;
      return {
        ...about,
        dedupeKey: `receipt:${invoice.id}`,
        content: () => ({
          template: 'receipt',
          data: {
            invoiceNumber: invoice.number,
            amountPaid: BigInt(invoice.amount_paid),
            currency: invoice.currency,
            paidAt: invoice.status_transitions.paid_at === null ? event.created_at : fromUnixSeconds(invoice.status_transitions.paid_at),
            lines: invoice.lines.data.map((line) => ({ description: line.description ?? '', amount: BigInt(line.amount) })),
          },
        }),
      };
    case 'invoice.finalized': {
      // Only invoices the customer pays by themselves are sent; nothing to pay, nothing to send.
      const number = invoice.number;
      if (invoice.collection_method !== 'send_invoice' || invoice.amount_due <= 0 || number === null) return null;
      return {
        ...about,
        dedupeKey: `invoice:${invoice.id}`,
        content: () => ({
          template: 'invoice',
          data: {
            invoiceNumber: number,
            amountDue: BigInt(invoice.amount_due),
            currency: invoice.currency,
            dueDate: invoice.due_date === null ? null : fromUnixSeconds(invoice.due_date),
          },
        }),
        attachments: [{ kind: 'invoice_pdf', invoice: invoice.id }],
      };
    }
    case 'invoice.payment_failed':
      // A subscription's first invoice is paid while the customer is there (and is never
      // retried, decisions.md §22): a link to retry it would lead nowhere.
      if (invoice.collection_method !== 'charge_automatically' || invoice.billing_reason === 'subscription_create') return null;
      if (invoice.amount_remaining <= 0) return null;
      return {
        ...about,
        // Once per attempt: the next failure is news again, a re-dispatched event is not.
        dedupeKey: `payment_failed:${invoice.id}:${invoice.attempt_count}`,
        content: (recipient) => ({
          template: 'payment_failed',
          data: {
            invoiceNumber: invoice.number,
            amountDue: BigInt(invoice.amount_remaining),
            currency: invoice.currency,
            nextAttemptAt: invoice.next_payment_attempt === null ? null : fromUnixSeconds(invoice.next_payment_attempt),
            declineMessage: invoice.last_payment_error?.message ?? null,
            updateCardUrl: payLink(recipient),
          },
        }),
      };
    default:
      return null;
  }
}
