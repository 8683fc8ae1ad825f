import { invalidRequest, missingParam, resourceMissing } from '../../../lib/errors.ts';
import { hasPrefix } from '../../../lib/ids.ts';
import { paginate, whereCreated } from '../../../lib/pagination.ts';
import { applyMetadata } from '../../../lib/params.ts';
import type { RequestContext } from '../../../server/context.ts';
import { issueCreditNote } from '../../billing/credit-notes/issue.ts';
import { recordUpdate } from '../../events/service.ts';
import { chargeToRefund, paidChargeOf } from '../charges/refunded.ts';
import { invoiceIdOf, paymentIntentIdOf } from '../charges/service.ts';
import type { ChargeRow } from '../charges/models.ts';
import type { RefundRow } from './models.ts';
import { refundObject } from './objects.ts';
import type { CreateRefundParams, ListRefundsParams, RefundObject, UpdateRefundParams } from './schema.ts';

/** The charge a refund request names, by `charge` or by `payment_intent` (its invoice's paid charge). */
async function namedCharge(ctx: RequestContext, params: CreateRefundParams): Promise<ChargeRow> {
  if (params.charge !== undefined) {
    const charge = await chargeToRefund(ctx, params.charge, 'charge', { lock: false });
    if (params.payment_intent !== undefined && paymentIntentIdOf(charge.invoice_id) !== params.payment_intent) {
      throw invalidRequest(`Charge ${charge.id} does not belong to payment intent ${params.payment_intent}.`, 'payment_intent');
    }
    return charge;
  }
  if (params.payment_intent === undefined) throw missingParam('charge');
  const intent = params.payment_intent;
  const charge = intent.startsWith('pi_') ? await paidChargeOf(ctx, invoiceIdOf(intent), { lock: false }) : undefined;
  if (charge) return charge;
  const invoice = intent.startsWith('pi_')
    ? await ctx.db.selectFrom('invoices').select('id').where('workspace_id', '=', ctx.workspace.id).where('id', '=', invoiceIdOf(intent)).executeTakeFirst()
    : undefined;
  if (!invoice) throw resourceMissing('payment_intent', intent, 'payment_intent');
  throw invalidRequest(`Payment intent ${intent} has no successful charge to refund.`, 'payment_intent', 'charge_not_refundable');
}

/**
 * POST /v1/refunds: refunds (part of) a charge at its gateway. Every charge pays an invoice,
 * so the refund comes with a credit note on that invoice for the amount refunded, its taxes
 * credited in proportion (billing/credit-notes).
 */
export async function createRefund(ctx: RequestContext, params: CreateRefundParams): Promise<RefundObject> {
  const charge = await namedCharge(ctx, params);
  const { refund } = await issueCreditNote(ctx, charge.invoice_id, { metadata: {} }, {
    chargeId: charge.id,
    amount: params.amount === undefined ? undefined : BigInt(params.amount),
    reason: params.reason ?? null,
    metadata: applyMetadata({}, params.metadata),
  });
  if (!refund) throw new Error('a refund request issued a credit note without its refund');
  return refundObject(refund);
}

async function findRow(ctx: RequestContext, id: string, options: { lock?: boolean } = {}): Promise<RefundRow> {
  let query = ctx.db.selectFrom('refunds').selectAll().where('workspace_id', '=', ctx.workspace.id).where('id', '=', id);
  if (options.lock) query = query.forUpdate();
  const row = hasPrefix(id, 'refund') ? await query.executeTakeFirst() : undefined;
  if (!row) throw resourceMissing('refund', id);
  return row;
}

export async function retrieveRefund(ctx: RequestContext, id: string): Promise<RefundObject> {
  return refundObject(await findRow(ctx, id));
}

/** Only its metadata changes (as Stripe's); records `refund.updated`. */
export async function updateRefund(ctx: RequestContext, id: string, params: UpdateRefundParams): Promise<RefundObject> {
  const current = await findRow(ctx, id, { lock: true });
  if (params.metadata === undefined) return refundObject(current);
  const updated = await ctx.db
    .updateTable('refunds')
    .set({ metadata: JSON.stringify(applyMetadata(current.metadata, params.metadata)), updated_at: new Date() })
    .where('workspace_id', '=', ctx.workspace.id)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  const after = refundObject(updated);
  recordUpdate(ctx, 'refund.updated', refundObject(current), after);
  return after;
}

export async function listRefunds(ctx: RequestContext, params: ListRefundsParams): Promise<{ data: RefundObject[]; hasMore: boolean }> {
  let query = whereCreated(ctx.db.selectFrom('refunds').selectAll().where('workspace_id', '=', ctx.workspace.id), params.created, 'created_at');
  if (params.charge !== undefined) query = query.where('charge_id', '=', params.charge);
  if (params.payment_intent !== undefined) query = query.where('invoice_id', '=', invoiceIdOf(params.payment_intent));
  const { rows, hasMore } = await paginate(query, params, 'id');
  return { data: rows.map(refundObject), hasMore };
}
