import { unixSeconds } from '../../../lib/time.ts';
import { paymentIntentIdOf } from '../charges/service.ts';
import type { RefundRow } from './models.ts';
import type { RefundObject } from './schema.ts';

/** A stored refund as Stripe's Refund object (API 2026-10-28), with Recur's two extensions. */
export function refundObject(row: RefundRow): RefundObject {
  return {
    id: row.id,
    object: 'refund',
    amount: Number(row.amount),
    charge: row.charge_id,
    created: unixSeconds(row.created_at),
    currency: row.currency,
    customer: row.customer_id,
    ...(row.status === 'failed' ? { failure_reason: row.failure_reason ?? 'unknown' } : {}),
    metadata: row.metadata,
    payment_intent: paymentIntentIdOf(row.invoice_id),
    payment_method: row.payment_method_id,
    reason: row.reason,
    status: row.status,
    credit_note: row.credit_note_id,
    gateway_reference: row.gateway_refund_ref,
  };
}
