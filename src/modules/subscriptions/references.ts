/**
 * The objects a subscription request refers to (prices, tax rates, coupons, promotion codes,
 * payment methods), checked and loaded at once; errors are 400s naming the parameter.
 */
import type { Selectable } from 'kysely';
import { ApiError, invalidRequest } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import type { RequestContext } from '../../server/context.ts';
import type { CouponsTable } from '../catalog/coupons/models.ts';
import { couponIsValid } from '../catalog/coupons/service.ts';
import { linePriceIn } from '../catalog/prices/line-price.ts';
import { lineAmount } from '../catalog/tiers.ts';
import { MAX_AMOUNT } from '../../lib/money.ts';
import { promotionCodeIsRedeemable } from '../catalog/promotion-codes/service.ts';
import type { PriceRow } from './billing-data.ts';
import type { StoredDiscount } from './models.ts';
import { addMonthsTo } from './periods.ts';
import { unixSeconds } from '../../lib/time.ts';

const missing = (kind: string, id: string, param: string) => new ApiError(400, 'invalid_request_error', `No such ${kind}: '${id}'`, { code: 'resource_missing', param });

/** Prices by id, each checked to exist in this workspace; `params[i]` names each one's parameter. */
export async function loadPrices(ctx: RequestContext, refs: readonly { id: string; param: string }[]): Promise<Map<string, PriceRow>> {
  const ids = [...new Set(refs.map((r) => r.id))];
  const rows = ids.length ? await ctx.db.selectFrom('prices').selectAll().where('workspace_id', '=', ctx.workspace.id).where('id', 'in', ids).execute() : [];
  const byId = new Map(rows.map((r) => [r.id, r]));
  for (const ref of refs) if (!byId.has(ref.id)) throw missing('price', ref.id, ref.param);
  return byId;
}

/** A recurring price usable in `currency` for a subscription item. */
export function checkRecurringPrice(price: PriceRow, currency: string, param: string, isNew: boolean): void {
  if (price.type !== 'recurring') throw invalidRequest(`The price ${price.id} is a one-time price; subscription items need recurring prices.`, param);
  if (isNew && !price.active) throw invalidRequest(`The price ${price.id} is archived (inactive) and cannot be used for new subscription items.`, param);
  if (!linePriceIn(price, currency)) throw invalidRequest(`The price ${price.id} has no amount in ${currency}.`, param);
}

/** A line of `quantity` of the price must stay within MAX_AMOUNT (absurd amounts are refused). */
export function checkItemAmount(price: PriceRow, currency: string, quantity: number, param: string): void {
  const linePrice = linePriceIn(price, currency);
  if (linePrice && lineAmount(linePrice, quantity) > MAX_AMOUNT) {
    throw invalidRequest(`The amount of ${quantity} × ${price.id} exceeds the largest amount Recur accepts (${MAX_AMOUNT} minor units).`, param);
  }
}

/** Tax rate ids, each checked to exist and be active. */
export async function checkTaxRates(ctx: RequestContext, refs: readonly { ids: readonly string[]; param: string }[]): Promise<void> {
  const ids = [...new Set(refs.flatMap((r) => r.ids))];
  if (ids.length === 0) return;
  const rows = await ctx.db.selectFrom('tax_rates').select(['id', 'active']).where('workspace_id', '=', ctx.workspace.id).where('id', 'in', ids).execute();
  const active = new Map(rows.map((r) => [r.id, r.active]));
  for (const ref of refs) {
    for (const [i, id] of ref.ids.entries()) {
      if (!active.has(id)) throw missing('tax_rate', id, `${ref.param}[${i}]`);
      if (!active.get(id)) throw invalidRequest(`The tax rate ${id} is archived (inactive).`, `${ref.param}[${i}]`);
    }
  }
}

/** days_until_due only goes with collection_method=send_invoice (Stripe refuses it otherwise). */
export function checkDaysUntilDue(collectionMethod: 'charge_automatically' | 'send_invoice', daysUntilDue: number | undefined): void {
  if (daysUntilDue !== undefined && collectionMethod !== 'send_invoice') {
    throw invalidRequest('days_until_due is only for collection_method=send_invoice.', 'days_until_due');
  }
}

/** A payment method attached to the customer. */
export async function checkPaymentMethod(ctx: RequestContext, id: string, customerId: string, param: string): Promise<void> {
  const row = await ctx.db.selectFrom('payment_methods').select('customer_id').where('workspace_id', '=', ctx.workspace.id).where('id', '=', id).executeTakeFirst();
  if (!row) throw missing('payment_method', id, param);
  if (row.customer_id !== customerId) throw invalidRequest(`The payment method ${id} must be attached to the subscription's customer.`, param);
}

/**
 * Redeems coupons and promotion codes for a subscription at `now` (its clock's time):
 * each checked (redeem_by, max_redemptions, promotion code limits), redemptions counted.
 */
export async function redeemDiscounts(
  ctx: RequestContext,
  discounts: readonly { coupon?: string | undefined; promotion_code?: string | undefined }[],
  customerId: string,
  currency: string,
  now: Date,
  param = 'discounts',
): Promise<StoredDiscount[]> {
  const stored: StoredDiscount[] = [];
  for (const [i, discount] of discounts.entries()) {
    const at = `${param}[${i}]`;
    if ((discount.coupon === undefined) === (discount.promotion_code === undefined)) {
      throw invalidRequest('Each discount needs exactly one of coupon or promotion_code.', at);
    }
    let promotionCodeId: string | null = null;
    let coupon: Selectable<CouponsTable> | undefined;
    if (discount.promotion_code !== undefined) {
      const code = await ctx.db.selectFrom('promotion_codes').selectAll().where('workspace_id', '=', ctx.workspace.id).where('id', '=', discount.promotion_code).forUpdate().executeTakeFirst();
      if (!code) throw missing('promotion_code', discount.promotion_code, `${at}[promotion_code]`);
      coupon = await ctx.db.selectFrom('coupons').selectAll().where('workspace_id', '=', ctx.workspace.id).where('id', '=', code.coupon_id).forUpdate().executeTakeFirst();
      const refusal = coupon ? promotionCodeIsRedeemable(code, coupon, { customerId, now }) : 'coupon_invalid';
      if (refusal) throw invalidRequest(`The promotion code ${code.code} cannot be redeemed (${refusal}).`, `${at}[promotion_code]`);
      promotionCodeId = code.id;
      await ctx.db.updateTable('promotion_codes').set((eb) => ({ times_redeemed: eb('times_redeemed', '+', 1) })).where('workspace_id', '=', ctx.workspace.id).where('id', '=', code.id).execute();
    } else {
      const id = discount.coupon as string;
      coupon = await ctx.db.selectFrom('coupons').selectAll().where('workspace_id', '=', ctx.workspace.id).where('id', '=', id).where('deleted_at', 'is', null).forUpdate().executeTakeFirst();
      if (!coupon) throw missing('coupon', id, `${at}[coupon]`);
      if (!couponIsValid(coupon, now)) {
        const reason = coupon.redeem_by !== null && coupon.redeem_by.getTime() <= now.getTime() ? 'its redeem_by date has passed' : 'it has reached max_redemptions';
        throw invalidRequest(`The coupon ${id} is no longer valid: ${reason}.`, `${at}[coupon]`);
      }
    }
    if (!coupon) continue;
    if (coupon.amount_off !== null && coupon.currency !== currency && !coupon.currency_options[currency]) {
      throw invalidRequest(`The coupon ${coupon.id} is in ${coupon.currency}; the subscription is in ${currency}.`, at);
    }
    if (stored.some((d) => d.coupon === coupon.id)) throw invalidRequest(`The coupon ${coupon.id} is given twice.`, at);
    await ctx.db.updateTable('coupons').set((eb) => ({ times_redeemed: eb('times_redeemed', '+', 1) })).where('workspace_id', '=', ctx.workspace.id).where('id', '=', coupon.id).execute();
    const start = unixSeconds(now);
    stored.push({
      id: newId('discount', now.getTime()),
      coupon: coupon.id,
      promotion_code: promotionCodeId,
      start,
      end: coupon.duration === 'repeating' && coupon.duration_in_months !== null ? addMonthsTo(start, coupon.duration_in_months) : null,
    });
  }
  return stored;
}
