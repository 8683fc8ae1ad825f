import type { Executor } from '../../../db/database.ts';
import type { GatewayEventHandler } from '../gateway-webhooks/intake.ts';
import type { WorkspaceRef } from '../../../server/context.ts';
import { flushPendingWrites, newPendingWrites } from '../../../server/unit-of-work.ts';
import { voidIfOnlyFailedRefunds } from '../../billing/credit-notes/service.ts';
import { invoiceToCredit } from '../../billing/invoices/credits.ts';
import { recordEvent } from '../../events/service.ts';
import { addRefunded } from '../charges/refunded.ts';
import type { RefundStatus } from './models.ts';
import { refundObject } from './objects.ts';
import type { RefundObject } from './schema.ts';

/** Stripe's failure reasons for a refund; anything else a gateway says is `unknown`. */
const FAILURE_REASONS = new Set(['lost_or_stolen_card', 'expired_or_canceled_card', 'charge_for_pending_refund_disputed', 'insufficient_funds', 'declined', 'merchant_request', 'unknown']);

/**
 * What a gateway later says of a refund it answered `pending` (its webhook, reduced to
 * `GatewayEvent`): for the webhook intake to call in its transaction (`db`), with the
 * gateway's refund reference. A pending refund becomes succeeded, failed or canceled; a
 * succeeded one can still fail (card refunds sometimes do, days later). A failed or canceled
 * refund gives its amount back to the charge's refundable rest, and a credit note that did
 * nothing but that refund is voided with it (credit-notes/service.ts says when). Records
 * `refund.updated`, `charge.refund.updated`, and `refund.failed` when it failed.
 *
 * Returns the refund as it now is, or null when Recur made no refund with that reference
 * (one made in the gateway's own dashboard). A status it already has changes nothing, so a
 * webhook delivered twice is harmless.
 */
export async function settleRefund(
  db: Executor,
  workspace: WorkspaceRef,
  refundRef: string,
  status: Exclude<RefundStatus, 'pending'>,
  failureReason?: string,
): Promise<RefundObject | null> {
  const byRef = () => db.selectFrom('refunds').selectAll().where('workspace_id', '=', workspace.id).where('gateway_refund_ref', '=', refundRef).orderBy('id').limit(1);
  const found = await byRef().executeTakeFirst();
  if (!found) return null;
  const ctx = { db, workspace, requestId: null, idempotencyKey: null, pending: newPendingWrites() };
  // Locks in the order refunds and credit notes take them: the invoice, then the rest.
  const invoice = await invoiceToCredit(ctx, found.invoice_id, 'invoice', { lock: true });
  const current = await byRef().forUpdate().executeTakeFirstOrThrow();
  const allowed = current.status === 'pending' || (current.status === 'succeeded' && status === 'failed');
  if (current.status === status || !allowed) return refundObject(current);
  const failed = status !== 'succeeded';
  const now = new Date();
  const updated = await db
    .updateTable('refunds')
    .set({
      status,
      failure_reason: failed ? (failureReason !== undefined && FAILURE_REASONS.has(failureReason) ? failureReason : 'unknown') : null,
      updated_at: now,
    })
    .where('workspace_id', '=', workspace.id)
    .where('id', '=', current.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  const object = refundObject(updated);
  recordEvent(ctx, 'refund.updated', object, { status: current.status });
  if (status === 'failed') recordEvent(ctx, 'refund.failed', object);
  recordEvent(ctx, 'charge.refund.updated', object, { status: current.status });
  if (failed) {
    const charge = await addRefunded(ctx, current.charge_id, -current.amount);
    const before = charge.amount_refunded + Number(current.amount);
    recordEvent(ctx, 'charge.updated', charge, { amount_refunded: before, ...(before === charge.amount ? { refunded: true } : {}) });
    await voidIfOnlyFailedRefunds(ctx, invoice, current.credit_note_id, now);
  }
  await flushPendingWrites(db, ctx.pending);
  return object;
}

/** The gateway webhook intake's handler: a refund's final status, as the gateway reports it. */
export const refundWebhookHandler: GatewayEventHandler = async (db, workspace, _accountId, event) => {
  if ((event.type !== 'refund.succeeded' && event.type !== 'refund.failed') || event.refundRef === null) return;
  await settleRefund(db, workspace, event.refundRef, event.type === 'refund.succeeded' ? 'succeeded' : 'failed');
};
