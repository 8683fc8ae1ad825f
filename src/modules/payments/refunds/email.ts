/**
 * The refund notice: what a `refund.created` event asks the email consumer
 * (notifications/consumer.ts) to queue for the customer, once per refund (its dedupe key),
 * in the shape of the consumer's other messages.
 */
import { z } from 'zod';
import type { Executor } from '../../../db/database.ts';
import { invoiceNumbers } from '../../billing/invoices/credits.ts';
import type { EventRow } from '../../events/dispatcher.ts';
import type { EmailContent } from '../../notifications/templates/render.ts';
import { invoiceIdOf } from '../charges/service.ts';

/** The fields of a refund event's object that the notice uses. */
const refundEvent = z.object({
  object: z.object({ id: z.string(), amount: z.number().int(), currency: z.string(), customer: z.string(), payment_intent: z.string() }),
});

export interface RefundNotice {
  event: EventRow;
  customerId: string;
  dedupeKey: string;
  content: () => EmailContent;
}

/** The notices a batch of events calls for: one per `refund.created`, naming the refunded invoice. */
export async function refundNotices(db: Executor, events: readonly EventRow[]): Promise<RefundNotice[]> {
  const created = events
    .filter((event) => event.type === 'refund.created')
    .map((event) => ({ event, refund: refundEvent.parse(JSON.parse(event.data)).object }));
  if (created.length === 0) return [];
  const invoiceOf = (c: (typeof created)[number]) => ({ workspace_id: c.event.workspace_id, id: invoiceIdOf(c.refund.payment_intent) });
  const numbers = await invoiceNumbers(db, created.map(invoiceOf));
  return created.map((c) => ({
    event: c.event,
    customerId: c.refund.customer,
    dedupeKey: `refund:${c.refund.id}`,
    content: () => ({
      template: 'refund',
      data: {
        amount: BigInt(c.refund.amount),
        currency: c.refund.currency,
        invoiceNumber: numbers.get(`${invoiceOf(c).workspace_id}/${invoiceOf(c).id}`) ?? null,
      },
    }),
  }));
}
