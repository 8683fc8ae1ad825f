/**
 * What refunds (payments/refunds) need of charges, through this module: the charge a
 * parameter names, an invoice's paid charge, and the refunded total.
 */
import { resourceMissing } from '../../../lib/errors.ts';
import { hasPrefix } from '../../../lib/ids.ts';
import type { RequestContext } from '../../../server/context.ts';
import type { ChargeRow } from './models.ts';
import type { ChargeObject } from './schema.ts';
import { retrieveCharge } from './service.ts';

/** The charge a parameter names (a 404 naming it when there is none); `lock` holds it until commit. */
export async function chargeToRefund(ctx: RequestContext, id: string, param: string, options: { lock: boolean }): Promise<ChargeRow> {
  let query = ctx.db.selectFrom('charges').selectAll().where('workspace_id', '=', ctx.workspace.id).where('id', '=', id);
  if (options.lock) query = query.forUpdate();
  const row = hasPrefix(id, 'charge') ? await query.executeTakeFirst() : undefined;
  if (!row) throw resourceMissing('charge', id, param);
  return row;
}

/** The charge that paid an invoice (each is paid by at most one), if any. */
export async function paidChargeOf(ctx: Pick<RequestContext, 'db' | 'workspace'>, invoiceId: string, options: { lock: boolean }): Promise<ChargeRow | undefined> {
  let query = ctx.db
    .selectFrom('charges')
    .selectAll()
    .where('workspace_id', '=', ctx.workspace.id)
    .where('invoice_id', '=', invoiceId)
    .where('status', '=', 'succeeded')
    .orderBy('id', 'desc')
    .limit(1);
  if (options.lock) query = query.forUpdate();
  return query.executeTakeFirst();
}

/** Adds `delta` (negative when a refund failed) to what was refunded of the charge; the charge as it now is. */
export async function addRefunded(ctx: Pick<RequestContext, 'db' | 'workspace'>, chargeId: string, delta: bigint): Promise<ChargeObject> {
  await ctx.db
    .updateTable('charges')
    .set((eb) => ({ amount_refunded: eb('amount_refunded', '+', delta) }))
    .where('workspace_id', '=', ctx.workspace.id)
    .where('id', '=', chargeId)
    .execute();
  return retrieveCharge(ctx, chargeId);
}
