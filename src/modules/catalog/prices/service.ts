import type { Selectable } from 'kysely';
import { invalidRequest, missingParam, resourceMissing } from '../../../lib/errors.ts';
import { newId } from '../../../lib/ids.ts';
import { MAX_AMOUNT, parseCurrency, parseScaledDecimal, scaledToDecimalString, type Currency } from '../../../lib/money.ts';
import { paginate, whereCreated } from '../../../lib/pagination.ts';
import { applyMetadata, givenParams } from '../../../lib/params.ts';
import { livemode, type RequestContext } from '../../../server/context.ts';
import { unixSeconds } from '../../../lib/time.ts';
import { recordEvent, recordUpdate } from '../../events/service.ts';
import { validateRecurring } from '../../subscriptions/periods.ts';
import { createProduct } from '../products/service.ts';
import { validateTiers, type PriceTier } from '../tiers.ts';
import type { PricesTable, StoredCurrencyOption, StoredTier, TaxBehavior } from './models.ts';
import type {
  CreatePriceParams,
  CurrencyOptionParam,
  ListPricesParams,
  PriceObject,
  TierObject,
  TierParam,
  UpdatePriceParams,
} from './schema.ts';

type PriceRow = Selectable<PricesTable>;

/** Stripe's `*_decimal` amounts: minor units with up to 12 decimal places. */
const DECIMAL_PLACES = 12;
const SCALE = 10n ** BigInt(DECIMAL_PLACES);

// --- Amounts -------------------------------------------------------------------------------

interface StoredAmount {
  /** Whole minor units, as a decimal string; null when the amount has a fraction of a unit. */
  amount: string | null;
  /** The exact amount, trailing zeros trimmed ("1000", "0.5"). */
  decimal: string | null;
}

/**
 * One amount given as `name` (integer minor units) or `name_decimal`, normalised: both forms
 * are stored, the integer one only when the amount is whole. `prefix` is the params' path
 * (`''`, `tiers[0]`, `currency_options[eur]`) so errors name the exact field.
 */
function storedAmount(integer: number | undefined, decimal: string | undefined, prefix: string, name: string): StoredAmount {
  const field = (n: string) => (prefix ? `${prefix}[${n}]` : n);
  if (integer !== undefined && decimal !== undefined) {
    throw invalidRequest(`You may only specify one of these parameters: ${name}, ${name}_decimal.`, field(name));
  }
  if (integer !== undefined) {
    if (integer < 0 || BigInt(integer) > MAX_AMOUNT) throw invalidRequest(`Invalid ${name}: must be between 0 and ${MAX_AMOUNT}.`, field(name));
    return { amount: String(integer), decimal: String(integer) };
  }
  if (decimal !== undefined) {
    const scaled = parseScaledDecimal(decimal, DECIMAL_PLACES);
    if (scaled === null) {
      throw invalidRequest(`Invalid ${name}_decimal: a decimal with at most 12 decimal places.`, field(`${name}_decimal`));
    }
    if (scaled < 0n) throw invalidRequest(`Invalid ${name}_decimal: must not be negative.`, field(`${name}_decimal`));
    if (scaled > MAX_AMOUNT * SCALE) throw invalidRequest(`Invalid ${name}_decimal: must be at most ${MAX_AMOUNT}.`, field(`${name}_decimal`));
    return {
      amount: scaled % SCALE === 0n ? (scaled / SCALE).toString() : null,
      decimal: scaledToDecimalString(scaled, DECIMAL_PLACES, true),
    };
  }
  return { amount: null, decimal: null };
}

/** A per-unit amount: exactly one of unit_amount and unit_amount_decimal. */
function unitAmount(params: { unit_amount?: number | undefined; unit_amount_decimal?: string | undefined }, prefix: string): StoredAmount {
  if (params.unit_amount === undefined && params.unit_amount_decimal === undefined) {
    throw missingParam(prefix ? `${prefix}[unit_amount]` : 'unit_amount');
  }
  return storedAmount(params.unit_amount, params.unit_amount_decimal, prefix, 'unit_amount');
}

function storedTiers(tiers: readonly TierParam[], param: string): StoredTier[] {
  const asPriceTiers: PriceTier[] = tiers.map((t) => ({
    up_to: t.up_to,
    unit_amount: t.unit_amount === undefined ? null : BigInt(t.unit_amount),
    unit_amount_decimal: t.unit_amount_decimal ?? null,
    flat_amount: t.flat_amount === undefined ? null : BigInt(t.flat_amount),
    flat_amount_decimal: t.flat_amount_decimal ?? null,
  }));
  validateTiers(asPriceTiers, param);
  return tiers.map((t, index) => {
    const unit = storedAmount(t.unit_amount, t.unit_amount_decimal, `${param}[${index}]`, 'unit_amount');
    const flat = storedAmount(t.flat_amount, t.flat_amount_decimal, `${param}[${index}]`, 'flat_amount');
    return {
      up_to: t.up_to,
      unit_amount: unit.amount,
      unit_amount_decimal: unit.decimal,
      flat_amount: flat.amount,
      flat_amount_decimal: flat.decimal,
    };
  });
}

/** Checks and normalises `currency_options`, for a price in `currency` with `scheme`. */
function storedCurrencyOptions(
  options: Record<string, CurrencyOptionParam>,
  currency: Currency,
  scheme: PriceRow['billing_scheme'],
  defaultTaxBehavior: TaxBehavior,
): Record<string, StoredCurrencyOption> {
  const stored: Record<string, StoredCurrencyOption> = {};
  for (const [key, option] of Object.entries(options)) {
    const param = `currency_options[${key}]`;
    const code = parseCurrency(key, param);
    if (code === currency) {
      throw invalidRequest(`currency_options cannot include the price's own currency (${currency}).`, param);
    }
    const taxBehavior = option.tax_behavior ?? defaultTaxBehavior;
    if (scheme === 'tiered') {
      if (option.unit_amount !== undefined || option.unit_amount_decimal !== undefined) {
        throw invalidRequest('A tiered price takes tiers, not unit_amount, in each currency option.', `${param}[unit_amount]`);
      }
      if (option.tiers === undefined) throw missingParam(`${param}[tiers]`);
      stored[code] = { unit_amount: null, unit_amount_decimal: null, tiers: storedTiers(option.tiers, `${param}[tiers]`), tax_behavior: taxBehavior };
    } else {
      if (option.tiers !== undefined) {
        throw invalidRequest('tiers can only be used with billing_scheme=tiered.', `${param}[tiers]`);
      }
      const unit = unitAmount(option, param);
      stored[code] = { unit_amount: unit.amount, unit_amount_decimal: unit.decimal, tax_behavior: taxBehavior };
    }
  }
  return stored;
}

// --- Objects -------------------------------------------------------------------------------

const toNumber = (value: string | null): number | null => (value === null ? null : Number(value));

function tierObject(tier: StoredTier): TierObject {
  return {
    flat_amount: toNumber(tier.flat_amount),
    flat_amount_decimal: tier.flat_amount_decimal,
    unit_amount: toNumber(tier.unit_amount),
    unit_amount_decimal: tier.unit_amount_decimal,
    up_to: tier.up_to === 'inf' ? null : tier.up_to,
  };
}

export function priceObject(row: PriceRow, ctx: Pick<RequestContext, 'workspace'>): PriceObject {
  const tiers = row.tiers ? { tiers: row.tiers.map(tierObject) } : {};
  const currencyOptions: PriceObject['currency_options'] = {
    // Stripe lists the price's own currency among its options too.
    [row.currency]: {
      custom_unit_amount: null,
      tax_behavior: row.tax_behavior,
      ...tiers,
      unit_amount: toNumber(row.unit_amount),
      unit_amount_decimal: row.unit_amount_decimal,
    },
  };
  for (const [code, option] of Object.entries(row.currency_options)) {
    currencyOptions[code] = {
      custom_unit_amount: null,
      tax_behavior: option.tax_behavior,
      ...(option.tiers ? { tiers: option.tiers.map(tierObject) } : {}),
      unit_amount: toNumber(option.unit_amount),
      unit_amount_decimal: option.unit_amount_decimal,
    };
  }
  return {
    id: row.id,
    object: 'price',
    active: row.active,
    billing_scheme: row.billing_scheme,
    created: unixSeconds(row.created_at),
    currency: row.currency,
    currency_options: currencyOptions,
    custom_unit_amount: null,
    livemode: livemode(ctx.workspace),
    lookup_key: row.lookup_key,
    metadata: row.metadata,
    nickname: row.nickname,
    product: row.product_id,
    recurring:
      row.recurring_interval !== null && row.recurring_interval_count !== null
        ? { interval: row.recurring_interval, interval_count: row.recurring_interval_count, meter: null, trial_period_days: null, usage_type: 'licensed' }
        : null,
    tax_behavior: row.tax_behavior,
    ...tiers,
    tiers_mode: row.tiers_mode,
    transform_quantity: row.transform_quantity,
    type: row.type,
    unit_amount: toNumber(row.unit_amount),
    unit_amount_decimal: row.unit_amount_decimal,
  };
}

async function findRow(ctx: RequestContext, id: string, options: { lock?: boolean } = {}): Promise<PriceRow> {
  let query = ctx.db.selectFrom('prices').selectAll().where('workspace_id', '=', ctx.workspace.id).where('id', '=', id);
  if (options.lock) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) throw resourceMissing('price', id);
  return row;
}

/**
 * Makes `lookupKey` free for the price `forId`: refuses if another price holds it, unless
 * `transfer`, which takes it from that price (a `price.updated` for the old one).
 */
async function claimLookupKey(ctx: RequestContext, lookupKey: string, forId: string, transfer: boolean): Promise<void> {
  const holder = await ctx.db
    .selectFrom('prices')
    .selectAll()
    .where('workspace_id', '=', ctx.workspace.id)
    .where('lookup_key', '=', lookupKey)
    .forUpdate()
    .executeTakeFirst();
  if (!holder || holder.id === forId) return;
  if (!transfer) {
    throw invalidRequest(
      `A price (\`${holder.id}\`) already uses that lookup key. Pass transfer_lookup_key=true to move it to this price.`,
      'lookup_key',
    );
  }
  const moved = await ctx.db
    .updateTable('prices')
    .set({ lookup_key: null, updated_at: new Date() })
    .where('workspace_id', '=', ctx.workspace.id)
    .where('id', '=', holder.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  recordUpdate(ctx, 'price.updated', priceObject(holder, ctx), priceObject(moved, ctx));
}

function insertable(row: PriceRow) {
  return {
    ...row,
    tiers: JSON.stringify(row.tiers),
    transform_quantity: JSON.stringify(row.transform_quantity),
    currency_options: JSON.stringify(row.currency_options),
    metadata: JSON.stringify(row.metadata),
  };
}

// --- Operations ----------------------------------------------------------------------------

async function resolveProduct(ctx: RequestContext, params: CreatePriceParams): Promise<string> {
  if (params.product !== undefined && params.product_data !== undefined) {
    throw invalidRequest('You may only specify one of these parameters: product, product_data.', 'product_data');
  }
  if (params.product_data !== undefined) {
    const data = params.product_data;
    const product = await createProduct(ctx, {
      name: data.name,
      ...(data.active !== undefined ? { active: data.active } : {}),
      ...(data.metadata !== undefined ? { metadata: data.metadata } : {}),
      ...(data.unit_label !== undefined ? { unit_label: data.unit_label } : {}),
      expand: undefined,
    });
    return product.id;
  }
  if (params.product === undefined) throw missingParam('product');
  // FOR SHARE: a concurrent delete of the product waits for this price, then sees it.
  const product = await ctx.db
    .selectFrom('products')
    .select('id')
    .where('workspace_id', '=', ctx.workspace.id)
    .where('id', '=', params.product)
    .forShare()
    .executeTakeFirst();
  if (!product) throw invalidRequest(`No such product: '${params.product}'`, 'product', 'resource_missing');
  return product.id;
}

export async function createPrice(ctx: RequestContext, params: CreatePriceParams): Promise<PriceObject> {
  const currency = parseCurrency(params.currency, 'currency');
  const recurring = params.recurring ? validateRecurring(params.recurring, 'recurring') : null;
  const scheme = params.billing_scheme ?? 'per_unit';
  const taxBehavior = params.tax_behavior ?? 'unspecified';

  let unit: StoredAmount = { amount: null, decimal: null };
  let tiers: StoredTier[] | null = null;
  let tiersMode: PriceRow['tiers_mode'] = null;
  if (scheme === 'tiered') {
    if (params.unit_amount !== undefined || params.unit_amount_decimal !== undefined) {
      throw invalidRequest('A tiered price takes tiers, not unit_amount.', params.unit_amount !== undefined ? 'unit_amount' : 'unit_amount_decimal');
    }
    if (params.transform_quantity !== undefined) {
      throw invalidRequest('transform_quantity can only be used with billing_scheme=per_unit.', 'transform_quantity');
    }
    if (params.tiers === undefined) throw missingParam('tiers');
    if (params.tiers_mode === undefined) throw missingParam('tiers_mode');
    tiers = storedTiers(params.tiers, 'tiers');
    tiersMode = params.tiers_mode;
  } else {
    if (params.tiers !== undefined) throw invalidRequest('tiers can only be used with billing_scheme=tiered.', 'tiers');
    if (params.tiers_mode !== undefined) throw invalidRequest('tiers_mode can only be used with billing_scheme=tiered.', 'tiers_mode');
    unit = unitAmount(params, '');
  }
  const currencyOptions = storedCurrencyOptions(params.currency_options ?? {}, currency, scheme, taxBehavior);

  const now = new Date();
  const id = newId('price', now.getTime());
  const productId = await resolveProduct(ctx, params);
  if (params.lookup_key !== undefined) await claimLookupKey(ctx, params.lookup_key, id, params.transfer_lookup_key ?? false);

  const row: PriceRow = {
    workspace_id: ctx.workspace.id,
    id,
    product_id: productId,
    active: params.active ?? true,
    currency,
    unit_amount: unit.amount,
    unit_amount_decimal: unit.decimal,
    type: recurring ? 'recurring' : 'one_time',
    recurring_interval: recurring?.interval ?? null,
    recurring_interval_count: recurring?.interval_count ?? null,
    billing_scheme: scheme,
    tiers_mode: tiersMode,
    tiers,
    transform_quantity: params.transform_quantity ?? null,
    currency_options: currencyOptions,
    lookup_key: params.lookup_key ?? null,
    nickname: params.nickname ?? null,
    tax_behavior: taxBehavior,
    metadata: applyMetadata({}, params.metadata),
    created_at: now,
    updated_at: now,
  };
  // A generated id is new: inserted with the request's other rows at commit (after a
  // product made from product_data, which is deferred the same way).
  ctx.pending.inserts.push(ctx.db.insertInto('prices').values(insertable(row)));
  const price = priceObject(row, ctx);
  recordEvent(ctx, 'price.created', price);
  return price;
}

export async function retrievePrice(ctx: RequestContext, id: string): Promise<PriceObject> {
  return priceObject(await findRow(ctx, id), ctx);
}

export async function updatePrice(ctx: RequestContext, id: string, params: UpdatePriceParams): Promise<PriceObject> {
  const current = await findRow(ctx, id, { lock: true });
  if (params.tax_behavior !== undefined && params.tax_behavior !== current.tax_behavior && current.tax_behavior !== 'unspecified') {
    throw invalidRequest('tax_behavior cannot be changed once it is set to inclusive or exclusive.', 'tax_behavior');
  }
  const taxBehavior = params.tax_behavior ?? current.tax_behavior;
  const currencyOptions =
    params.currency_options !== undefined
      ? { ...current.currency_options, ...storedCurrencyOptions(params.currency_options, current.currency, current.billing_scheme, taxBehavior) }
      : undefined;
  if (params.lookup_key !== undefined && params.lookup_key !== null && params.lookup_key !== current.lookup_key) {
    await claimLookupKey(ctx, params.lookup_key, id, params.transfer_lookup_key ?? false);
  }
  const row = await ctx.db
    .updateTable('prices')
    .set({
      ...givenParams(params, ['active', 'nickname', 'lookup_key', 'tax_behavior']),
      ...(params.metadata !== undefined ? { metadata: JSON.stringify(applyMetadata(current.metadata, params.metadata)) } : {}),
      ...(currencyOptions !== undefined ? { currency_options: JSON.stringify(currencyOptions) } : {}),
      updated_at: new Date(),
    })
    .where('workspace_id', '=', ctx.workspace.id)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  const after = priceObject(row, ctx);
  recordUpdate(ctx, 'price.updated', priceObject(current, ctx), after);
  return after;
}

export async function listPrices(ctx: RequestContext, params: ListPricesParams): Promise<{ data: PriceObject[]; hasMore: boolean }> {
  let query = ctx.db.selectFrom('prices').selectAll().where('workspace_id', '=', ctx.workspace.id);
  if (params.active !== undefined) query = query.where('active', '=', params.active);
  if (params.currency !== undefined) query = query.where('currency', '=', parseCurrency(params.currency, 'currency'));
  if (params.product !== undefined) query = query.where('product_id', '=', params.product);
  if (params.type !== undefined) query = query.where('type', '=', params.type);
  if (params.recurring !== undefined) {
    // Every Recur price is licensed: a metered filter matches nothing.
    if (params.recurring.usage_type === 'metered') return { data: [], hasMore: false };
    query = query.where('type', '=', 'recurring');
    if (params.recurring.interval !== undefined) query = query.where('recurring_interval', '=', params.recurring.interval);
  }
  if (params.lookup_keys !== undefined) {
    if (params.lookup_keys.length === 0) return { data: [], hasMore: false };
    query = query.where('lookup_key', 'in', params.lookup_keys);
  }
  query = whereCreated(query, params.created, 'created_at');
  const { rows, hasMore } = await paginate(query, params, 'id');
  return { data: rows.map((r) => priceObject(r, ctx)), hasMore };
}

