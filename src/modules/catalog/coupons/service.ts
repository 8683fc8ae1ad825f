import type { Selectable } from 'kysely';
import { invalidRequest, missingParam, resourceMissing } from '../../../lib/errors.ts';
import { newId } from '../../../lib/ids.ts';
import { parseCurrency } from '../../../lib/money.ts';
import { paginateByCreation, whereCreated } from '../../../lib/pagination.ts';
import { applyMetadata } from '../../../lib/params.ts';
import { livemode, type RequestContext } from '../../../server/context.ts';
import { unixSeconds } from '../../../lib/time.ts';
import type { Coupon } from '../../billing/discounts.ts';
import { recordEvent, recordUpdate } from '../../events/service.ts';
import type { CouponsTable, CurrencyOptions } from './models.ts';
import type { CouponObject, CreateCouponParams, DeletedCouponObject, ListCouponsParams, UpdateCouponParams } from './schema.ts';

type CouponRow = Selectable<CouponsTable>;

/** Redeemable now: not deleted, not past redeem_by, not used up. */
export function couponIsValid(row: CouponRow, now: Date = new Date()): boolean {
  if (row.deleted_at !== null) return false;
  if (row.redeem_by !== null && row.redeem_by.getTime() <= now.getTime()) return false;
  if (row.max_redemptions !== null && row.times_redeemed >= row.max_redemptions) return false;
  return true;
}

export function couponObject(row: CouponRow, ctx: Pick<RequestContext, 'workspace'>, now: Date = new Date()): CouponObject {
  return {
    id: row.id,
    object: 'coupon',
    amount_off: row.amount_off === null ? null : Number(row.amount_off),
    ...(row.applies_to_products !== null ? { applies_to: { products: row.applies_to_products } } : {}),
    created: unixSeconds(row.created_at),
    currency: row.currency,
    ...(Object.keys(row.currency_options).length > 0 ? { currency_options: row.currency_options } : {}),
    duration: row.duration,
    duration_in_months: row.duration_in_months,
    livemode: livemode(ctx.workspace),
    max_redemptions: row.max_redemptions,
    metadata: row.metadata,
    name: row.name,
    percent_off: row.percent_off === null ? null : Number(row.percent_off),
    redeem_by: row.redeem_by === null ? null : unixSeconds(row.redeem_by),
    times_redeemed: row.times_redeemed,
    valid: couponIsValid(row, now),
  };
}

/** The stored coupon in the shape of the discount math (billing/discounts.ts). */
export function couponForDiscount(row: CouponRow): Coupon {
  return {
    id: row.id,
    percent_off: row.percent_off,
    amount_off: row.amount_off,
    currency: row.currency,
    applies_to: row.applies_to_products === null ? null : { products: row.applies_to_products },
  };
}

/** A coupon of this workspace, deleted ones included only when asked (existing discounts). */
export async function findCouponRow(
  ctx: RequestContext,
  id: string,
  options: { lock?: boolean; includeDeleted?: boolean } = {},
): Promise<CouponRow> {
  let query = ctx.db.selectFrom('coupons').selectAll().where('workspace_id', '=', ctx.workspace.id).where('id', '=', id);
  if (!options.includeDeleted) query = query.where('deleted_at', 'is', null);
  if (options.lock) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) throw resourceMissing('coupon', id);
  return row;
}

function parseCurrencyOptions(
  options: Record<string, { amount_off: number }>,
  currency: string | null,
): CurrencyOptions {
  const parsed: CurrencyOptions = {};
  for (const [key, value] of Object.entries(options)) {
    const param = `currency_options[${key}]`;
    const code = parseCurrency(key, param);
    if (currency === null) throw invalidRequest('currency_options can only be set on coupons with amount_off.', param);
    if (code === currency) throw invalidRequest(`currency_options cannot repeat the coupon's currency (${currency}).`, param);
    parsed[code] = { amount_off: value.amount_off };
  }
  return parsed;
}

async function checkProducts(ctx: RequestContext, products: string[]): Promise<string[]> {
  const unique = [...new Set(products)];
  if (unique.length === 0) return unique;
  const found = await ctx.db
    .selectFrom('products')
    .select('id')
    .where('workspace_id', '=', ctx.workspace.id)
    .where('id', 'in', unique)
    .execute();
  const known = new Set(found.map((r) => r.id));
  const missing = unique.find((id) => !known.has(id));
  if (missing !== undefined) throw invalidRequest(`No such product: '${missing}'`, 'applies_to[products]');
  return unique;
}

export async function createCoupon(ctx: RequestContext, params: CreateCouponParams): Promise<CouponObject> {
  const now = new Date();
  if (params.percent_off !== undefined && params.amount_off !== undefined) {
    throw invalidRequest('Only one of percent_off or amount_off may be set.', 'amount_off');
  }
  if (params.percent_off === undefined && params.amount_off === undefined) {
    throw invalidRequest('You must pass either percent_off or amount_off.', 'percent_off');
  }
  let currency: string | null = null;
  if (params.amount_off !== undefined) {
    if (params.currency === undefined) throw missingParam('currency');
    currency = parseCurrency(params.currency, 'currency');
  } else if (params.currency !== undefined) {
    throw invalidRequest('currency can only be set with amount_off.', 'currency');
  }
  const currencyOptions = parseCurrencyOptions(params.currency_options ?? {}, currency);
  const duration = params.duration ?? 'once';
  if (duration === 'repeating' && params.duration_in_months === undefined) throw missingParam('duration_in_months');
  if (duration !== 'repeating' && params.duration_in_months !== undefined) {
    throw invalidRequest("duration_in_months can only be set when duration is 'repeating'.", 'duration_in_months');
  }
  if (params.redeem_by !== undefined && params.redeem_by * 1000 <= now.getTime()) {
    throw invalidRequest('redeem_by must be in the future.', 'redeem_by');
  }
  const products = params.applies_to !== undefined ? await checkProducts(ctx, params.applies_to.products) : null;

  const row: CouponRow = {
    workspace_id: ctx.workspace.id,
    id: params.id ?? newId('coupon', now.getTime()),
    name: params.name ?? null,
    percent_off: params.percent_off ?? null,
    amount_off: params.amount_off !== undefined ? BigInt(params.amount_off) : null,
    currency,
    currency_options: currencyOptions,
    duration,
    duration_in_months: params.duration_in_months ?? null,
    max_redemptions: params.max_redemptions ?? null,
    times_redeemed: 0,
    redeem_by: params.redeem_by !== undefined ? new Date(params.redeem_by * 1000) : null,
    applies_to_products: products,
    metadata: applyMetadata({}, params.metadata),
    created_at: now,
    updated_at: now,
    deleted_at: null,
  };
  const values = { ...row, currency_options: JSON.stringify(row.currency_options), metadata: JSON.stringify(row.metadata) };
  if (params.id !== undefined) {
    // A chosen id may be taken (also by a deleted coupon): insert now, so a duplicate is this
    // request's 400 rather than a conflict at commit.
    const inserted = await ctx.db
      .insertInto('coupons')
      .values(values)
      .onConflict((oc) => oc.columns(['workspace_id', 'id']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!inserted) throw invalidRequest(`Coupon already exists with id: '${row.id}'.`, 'id', 'resource_already_exists');
  } else {
    ctx.pending.inserts.push(ctx.db.insertInto('coupons').values(values));
  }
  const coupon = couponObject(row, ctx, now);
  recordEvent(ctx, 'coupon.created', coupon);
  return coupon;
}

export async function retrieveCoupon(ctx: RequestContext, id: string): Promise<CouponObject> {
  return couponObject(await findCouponRow(ctx, id), ctx);
}

export async function updateCoupon(ctx: RequestContext, id: string, params: UpdateCouponParams): Promise<CouponObject> {
  const current = await findCouponRow(ctx, id, { lock: true });
  const currencyOptions =
    params.currency_options !== undefined
      ? { ...current.currency_options, ...parseCurrencyOptions(params.currency_options, current.currency) }
      : undefined;
  const row = await ctx.db
    .updateTable('coupons')
    .set({
      ...(params.name !== undefined ? { name: params.name } : {}),
      ...(params.metadata !== undefined ? { metadata: JSON.stringify(applyMetadata(current.metadata, params.metadata)) } : {}),
      ...(currencyOptions !== undefined ? { currency_options: JSON.stringify(currencyOptions) } : {}),
      updated_at: new Date(),
    })
    .where('workspace_id', '=', ctx.workspace.id)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  const now = new Date();
  const after = couponObject(row, ctx, now);
  recordUpdate(ctx, 'coupon.updated', couponObject(current, ctx, now), after);
  return after;
}

/** Soft delete: existing discounts keep the coupon; everything else treats it as gone. */
export async function deleteCoupon(ctx: RequestContext, id: string): Promise<DeletedCouponObject> {
  await findCouponRow(ctx, id, { lock: true });
  const now = new Date();
  const row = await ctx.db
    .updateTable('coupons')
    .set({ deleted_at: now, updated_at: now })
    .where('workspace_id', '=', ctx.workspace.id)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  recordEvent(ctx, 'coupon.deleted', couponObject(row, ctx, now));
  return { id, object: 'coupon', deleted: true };
}

/** Newest first, by (created_at, id): chosen ids do not sort by creation time. */
export async function listCoupons(ctx: RequestContext, params: ListCouponsParams): Promise<{ data: CouponObject[]; hasMore: boolean }> {
  let query = ctx.db.selectFrom('coupons').selectAll().where('workspace_id', '=', ctx.workspace.id).where('deleted_at', 'is', null);
  query = whereCreated(query, params.created, 'created_at');
  const { rows, hasMore } = await paginateByCreation(query, params, {
    objectName: 'coupon',
    createdAt: async (id) =>
      (
        await ctx.db
          .selectFrom('coupons')
          .select('created_at')
          .where('workspace_id', '=', ctx.workspace.id)
          .where('id', '=', id)
          .where('deleted_at', 'is', null)
          .executeTakeFirst()
      )?.created_at,
  });
  const now = new Date();
  return { data: rows.map((r) => couponObject(r, ctx, now)), hasMore };
}
