/**
 * A refund at the gateway, and its records: the refund row, the charge's refunded total and
 * the events. Called by credit notes (billing/credit-notes/issue.ts) once everything about
 * the credit note has been checked, so that nothing can refuse the request after the money
 * has moved.
 */
import { ApiError, invalidRequest } from '../../../lib/errors.ts';
import { newId } from '../../../lib/ids.ts';
import type { RequestContext } from '../../../server/context.ts';
import { recordEvent } from '../../events/service.ts';
import type { ChargeRow } from '../charges/models.ts';
import { addRefunded } from '../charges/refunded.ts';
import type { RefundReason, RefundRow } from './models.ts';
import { refundObject } from './objects.ts';

/**
 * The idempotency key the gateway gets, the same each time the same refund is asked for
 * again after a crash or a rollback, so the gateway never refunds twice (decisions.md §25
 * for charges): with an `Idempotency-Key`, that key with what it refunds (the charge and the
 * amount; a retry of the request carries the same, and asks before its first answer was
 * committed); without one, the refund's own id: a request retried without a key is a new
 * request, as with Stripe.
 */
export function refundKey(requestKey: string | null, refundId: string, chargeId: string, amount: bigint): string {
  return requestKey === null ? `refund:${refundId}` : `request:${requestKey}:refund:${chargeId}:${amount}`;
}

/** What is left to refund of a charge; a 400 naming `param` when nothing can be. */
export function refundableRest(charge: ChargeRow, param: string): bigint {
  if (charge.status !== 'succeeded' || charge.gateway_payment_ref === null) {
    throw invalidRequest(`Charge ${charge.id} did not succeed: there is nothing to refund.`, param, 'charge_not_refundable');
  }
  const rest = charge.amount - charge.amount_refunded;
  if (rest <= 0n) throw invalidRequest(`Charge ${charge.id} has already been refunded.`, param, 'charge_already_refunded');
  return rest;
}

export interface GatewayRefund {
  charge: ChargeRow;
  amount: bigint;
  reason: RefundReason | null;
  metadata: Record<string, string>;
  creditNoteId: string;
  /** The parameter a refusal names (the amount's). */
  amountParam: string;
  now: Date;
}

/**
 * Refunds at the charge's gateway and records it. A refusal by the gateway (it and Recur
 * disagree on the charge, e.g. it was refunded in the gateway's own dashboard) is a 400 and
 * nothing is written; `pending` stays pending until the gateway's webhook settles it
 * (settle.ts). Records `refund.created` and `charge.refunded`.
 */
export async function refundAtGateway(ctx: RequestContext, input: GatewayRefund): Promise<RefundRow> {
  const { charge, amount, now } = input;
  // From the wall clock, as credit notes' ids (draft.ts): lists page in the order refunds were made.
  const id = newId('refund');
  const idempotencyKey = refundKey(ctx.idempotencyKey, id, charge.id, amount);
  const gateway = await ctx.gateways.forAccount(ctx.workspace, charge.gateway_account_id);
  const result = await gateway.refund({
    paymentRef: charge.gateway_payment_ref as string,
    amount,
    currency: charge.currency,
    idempotencyKey,
    reason: input.reason,
  });
  if (result.status === 'failed') {
    throw new ApiError(400, 'invalid_request_error', `The gateway refused the refund: ${result.message}`, {
      code: result.code,
      param: result.code === 'amount_too_large' ? input.amountParam : 'charge',
    });
  }
  const row: RefundRow = {
    workspace_id: ctx.workspace.id,
    id,
    charge_id: charge.id,
    invoice_id: charge.invoice_id,
    customer_id: charge.customer_id,
    payment_method_id: charge.payment_method_id,
    credit_note_id: input.creditNoteId,
    amount,
    currency: charge.currency,
    reason: input.reason,
    status: result.status,
    failure_reason: null,
    gateway: charge.gateway,
    gateway_account_id: charge.gateway_account_id,
    gateway_refund_ref: result.refundRef,
    idempotency_key: idempotencyKey,
    metadata: input.metadata,
    created_at: now,
    updated_at: now,
  };
  await ctx.db
    .insertInto('refunds')
    .values({ ...row, metadata: JSON.stringify(row.metadata) })
    .execute();
  // A pending refund counts as refunded (Stripe's amount_refunded does); a failure gives it back.
  const chargeAfter = await addRefunded(ctx, charge.id, amount);
  recordEvent(ctx, 'refund.created', refundObject(row));
  recordEvent(ctx, 'charge.refunded', chargeAfter);
  return row;
}
