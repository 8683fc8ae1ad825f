import { randomInt } from 'node:crypto';
import type { Selectable } from 'kysely';
import { sql } from 'kysely';
import { invalidRequest, missingParam, resourceMissing } from '../../../lib/errors.ts';
import { newId } from '../../../lib/ids.ts';
import { parseCurrency } from '../../../lib/money.ts';
import { paginate, whereCreated } from '../../../lib/pagination.ts';
import { applyMetadata } from '../../../lib/params.ts';
import { livemode, type RequestContext } from '../../../server/context.ts';
import { referencedCustomer } from '../../customers/service.ts';
import { unixSeconds } from '../../../lib/time.ts';
import { recordEvent, recordUpdate } from '../../events/service.ts';
import type { CouponsTable } from '../coupons/models.ts';
import { couponIsValid } from '../coupons/service.ts';
import type { PromotionCodesTable } from './models.ts';
import type {
  CreatePromotionCodeParams,
  ListPromotionCodesParams,
  PromotionCodeObject,
  UpdatePromotionCodeParams,
} from './schema.ts';

export type PromotionCodeRow = Selectable<PromotionCodesTable>;
type CouponRow = Selectable<CouponsTable>;

/** Generated codes: no 0/O, 1/I/L, so a code read aloud or off paper is typed right. */
export const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const GENERATED_CODE_LENGTH = 8;

export function generatePromotionCode(): string {
  let out = '';
  for (let i = 0; i < GENERATED_CODE_LENGTH; i++) out += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return out;
}

export type RedemptionRefusal =
  | 'inactive'
  | 'expired'
  | 'max_redemptions'
  | 'coupon_invalid'
  | 'wrong_customer'
  | 'minimum_amount'
  | 'first_time_transaction';

export interface RedemptionContext {
  /** The customer redeeming the code. */
  customerId?: string | null;
  now?: Date;
  /** The amount (minor units of `currency`) the code would discount, for minimum_amount. */
  amount?: bigint | number;
  currency?: string;
  /** Whether this is the customer's first transaction, for first_time_transaction. */
  isFirstTransaction?: boolean;
}

/**
 * Whether `row` may be redeemed now, for subscriptions: null, or the first reason it may not.
 * An amount or first-transaction check whose input is not given is not made.
 */
export function promotionCodeIsRedeemable(
  row: PromotionCodeRow,
  coupon: CouponRow,
  context: RedemptionContext = {},
): RedemptionRefusal | null {
  const now = context.now ?? new Date();
  if (!row.active) return 'inactive';
  if (row.expires_at !== null && row.expires_at.getTime() <= now.getTime()) return 'expired';
  if (row.max_redemptions !== null && row.times_redeemed >= row.max_redemptions) return 'max_redemptions';
  if (!couponIsValid(coupon, now)) return 'coupon_invalid';
  if (row.customer_id !== null && context.customerId !== row.customer_id) return 'wrong_customer';
  if (row.first_time_transaction && context.isFirstTransaction === false) return 'first_time_transaction';
  if (row.minimum_amount !== null && context.amount !== undefined) {
    // No currency_options: an amount in another currency cannot meet the minimum.
    if (context.currency !== undefined && context.currency.toLowerCase() !== row.minimum_amount_currency) return 'minimum_amount';
    if (BigInt(context.amount) < row.minimum_amount) return 'minimum_amount';
  }
  return null;
}

export function promotionCodeObject(row: PromotionCodeRow, ctx: Pick<RequestContext, 'workspace'>): PromotionCodeObject {
  return {
    id: row.id,
    object: 'promotion_code',
    active: row.active,
    code: row.code,
    created: unixSeconds(row.created_at),
    customer: row.customer_id,
    customer_account: null,
    expires_at: row.expires_at === null ? null : unixSeconds(row.expires_at),
    livemode: livemode(ctx.workspace),
    max_redemptions: row.max_redemptions,
    metadata: row.metadata,
    promotion: { coupon: row.coupon_id, type: 'coupon' },
    restrictions: {
      first_time_transaction: row.first_time_transaction,
      minimum_amount: row.minimum_amount === null ? null : Number(row.minimum_amount),
      minimum_amount_currency: row.minimum_amount_currency,
    },
    times_redeemed: row.times_redeemed,
  };
}

export async function findPromotionCodeRow(ctx: RequestContext, id: string, options: { lock?: boolean } = {}): Promise<PromotionCodeRow> {
  let query = ctx.db.selectFrom('promotion_codes').selectAll().where('workspace_id', '=', ctx.workspace.id).where('id', '=', id);
  if (options.lock) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) throw resourceMissing('promotion_code', id);
  return row;
}

/** The active promotion code with this code (any case), for redemption by code. */
export async function findActivePromotionCodeByCode(ctx: RequestContext, code: string): Promise<PromotionCodeRow | undefined> {
  return ctx.db
    .selectFrom('promotion_codes')
    .selectAll()
    .where('workspace_id', '=', ctx.workspace.id)
    .where(sql<string>`lower(code)`, '=', code.toLowerCase())
    .where('active', '=', true)
    .executeTakeFirst();
}

const codeTaken = (code: string) =>
  invalidRequest(`An active promotion code with the code '${code}' already exists.`, 'code', 'resource_already_exists');

export async function createPromotionCode(ctx: RequestContext, params: CreatePromotionCodeParams): Promise<PromotionCodeObject> {
  const now = new Date();
  const couponId = params.promotion.coupon;
  if (couponId === undefined) throw missingParam('promotion[coupon]');
  const coupon = await ctx.db
    .selectFrom('coupons')
    .select('id')
    .where('workspace_id', '=', ctx.workspace.id)
    .where('id', '=', couponId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  if (!coupon) throw invalidRequest(`No such coupon: '${couponId}'`, 'promotion[coupon]', 'resource_missing');
  if (params.expires_at !== undefined && params.expires_at * 1000 <= now.getTime()) {
    throw invalidRequest('expires_at must be in the future.', 'expires_at');
  }
  if (params.customer !== undefined) await referencedCustomer(ctx, params.customer);
  const restrictions = params.restrictions ?? {};
  let minimumAmount: bigint | null = null;
  let minimumCurrency: string | null = null;
  if (restrictions.minimum_amount !== undefined) {
    if (restrictions.minimum_amount < 0) {
      throw invalidRequest('minimum_amount must be at least 0.', 'restrictions[minimum_amount]');
    }
    if (restrictions.minimum_amount_currency === undefined) throw missingParam('restrictions[minimum_amount_currency]');
    minimumAmount = BigInt(restrictions.minimum_amount);
    minimumCurrency = parseCurrency(restrictions.minimum_amount_currency, 'restrictions[minimum_amount_currency]');
  } else if (restrictions.minimum_amount_currency !== undefined) {
    throw invalidRequest('minimum_amount_currency can only be set with minimum_amount.', 'restrictions[minimum_amount_currency]');
  }

  const row: PromotionCodeRow = {
    workspace_id: ctx.workspace.id,
    id: newId('promotionCode', now.getTime()),
    coupon_id: couponId,
    code: params.code ?? generatePromotionCode(),
    active: params.active ?? true,
    customer_id: params.customer ?? null,
    max_redemptions: params.max_redemptions ?? null,
    times_redeemed: 0,
    expires_at: params.expires_at !== undefined ? new Date(params.expires_at * 1000) : null,
    first_time_transaction: restrictions.first_time_transaction ?? false,
    minimum_amount: minimumAmount,
    minimum_amount_currency: minimumCurrency,
    metadata: applyMetadata({}, params.metadata),
    created_at: now,
    updated_at: now,
  };
  const values = { ...row, metadata: JSON.stringify(row.metadata) };
  if (row.active) {
    // An active code may be taken: insert now, so a duplicate is this request's 400 rather
    // than a conflict at commit. A generated code that collides is drawn again.
    for (let attempt = 0; ; attempt++) {
      const inserted = await ctx.db
        .insertInto('promotion_codes')
        .values(values)
        .onConflict((oc) => oc.doNothing())
        .returning('id')
        .executeTakeFirst();
      if (inserted) break;
      if (params.code !== undefined || attempt >= 5) throw codeTaken(row.code);
      row.code = generatePromotionCode();
      values.code = row.code;
    }
  } else {
    ctx.pending.inserts.push(ctx.db.insertInto('promotion_codes').values(values));
  }
  const object = promotionCodeObject(row, ctx);
  recordEvent(ctx, 'promotion_code.created', object);
  return object;
}

export async function retrievePromotionCode(ctx: RequestContext, id: string): Promise<PromotionCodeObject> {
  return promotionCodeObject(await findPromotionCodeRow(ctx, id), ctx);
}

export async function updatePromotionCode(
  ctx: RequestContext,
  id: string,
  params: UpdatePromotionCodeParams,
): Promise<PromotionCodeObject> {
  const current = await findPromotionCodeRow(ctx, id, { lock: true });
  if (params.active === true && !current.active) {
    const other = await findActivePromotionCodeByCode(ctx, current.code);
    if (other) throw invalidRequest(`An active promotion code with the code '${current.code}' already exists.`, 'active');
  }
  const row = await ctx.db
    .updateTable('promotion_codes')
    .set({
      ...(params.active !== undefined ? { active: params.active } : {}),
      ...(params.metadata !== undefined ? { metadata: JSON.stringify(applyMetadata(current.metadata, params.metadata)) } : {}),
      updated_at: new Date(),
    })
    .where('workspace_id', '=', ctx.workspace.id)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  const after = promotionCodeObject(row, ctx);
  recordUpdate(ctx, 'promotion_code.updated', promotionCodeObject(current, ctx), after);
  return after;
}

export async function listPromotionCodes(
  ctx: RequestContext,
  params: ListPromotionCodesParams,
): Promise<{ data: PromotionCodeObject[]; hasMore: boolean }> {
  let query = ctx.db.selectFrom('promotion_codes').selectAll().where('workspace_id', '=', ctx.workspace.id);
  if (params.active !== undefined) query = query.where('active', '=', params.active);
  if (params.code !== undefined) query = query.where(sql<string>`lower(code)`, '=', params.code.toLowerCase());
  if (params.coupon !== undefined) query = query.where('coupon_id', '=', params.coupon);
  if (params.customer !== undefined) query = query.where('customer_id', '=', params.customer);
  query = whereCreated(query, params.created, 'created_at');
  const { rows, hasMore } = await paginate(query, params, 'id');
  return { data: rows.map((r) => promotionCodeObject(r, ctx)), hasMore };
}
