/**
 * Stripe price math for one invoice line: per-unit (optionally packaged by
 * `transform_quantity`) and tiered (`graduated` or `volume`) prices.
 *
 * Unit and flat amounts may be given as Stripe's `*_decimal` strings (minor units with up to
 * 12 decimal places, e.g. "0.5" = half a cent). The whole line is computed exactly in units
 * of 10^-12 minor units and rounded once, half away from zero (BILLING.md "Rounding").
 */
import { invalidRequest } from '../../lib/errors.ts';
import { parseScaledDecimal, roundHalfAwayFromZero, scaledToDecimalString } from '../../lib/money.ts';

/** Stripe allows at most 12 decimal places in `unit_amount_decimal` / `flat_amount_decimal`. */
const DECIMAL_PLACES = 12;
const SCALE = 10n ** BigInt(DECIMAL_PLACES);

export type TiersMode = 'graduated' | 'volume';

export interface PriceTier {
  /** Inclusive upper bound of the tier; the last tier is 'inf'. */
  up_to: number | 'inf';
  unit_amount: bigint | null;
  unit_amount_decimal?: string | null;
  flat_amount: bigint | null;
  flat_amount_decimal?: string | null;
}

export interface TransformQuantity {
  divide_by: number;
  round: 'up' | 'down';
}

export type LinePrice =
  | {
      billing_scheme: 'per_unit';
      unit_amount: bigint | null;
      unit_amount_decimal?: string | null;
      transform_quantity?: TransformQuantity | null;
    }
  | { billing_scheme: 'tiered'; tiers_mode: TiersMode; tiers: readonly PriceTier[] };

/** One tier's share of a line (a per-unit price has a single part with `tier: null`). */
export interface LineAmountPart {
  /** Index into `tiers`, or null for a per-unit price. */
  tier: number | null;
  /** Units charged at this part's unit amount (packages, for `transform_quantity`). */
  units: number;
  /** Exact unit amount in minor units, as a decimal string ("1000", "0.5"). */
  unitAmountDecimal: string;
  /** Exact flat amount in minor units ("0" when the tier has none). */
  flatAmountDecimal: string;
  /** Exact `unit × units + flat` in minor units; not rounded on its own. */
  subtotalDecimal: string;
}

export interface LineAmountParts {
  parts: LineAmountPart[];
  /** The line amount: the sum of the parts, rounded once. */
  amount: bigint;
}

/** A tier or price amount as an exact integer of 10^-12 minor units. */
function scaledAmount(integer: bigint | null | undefined, decimal: string | null | undefined): bigint {
  if (decimal !== null && decimal !== undefined) {
    const scaled = parseScaledDecimal(decimal, DECIMAL_PLACES);
    if (scaled === null) throw new RangeError(`Invalid decimal amount: ${decimal}`);
    return scaled;
  }
  return (integer ?? 0n) * SCALE;
}

function checkQuantity(quantity: number): void {
  if (!Number.isSafeInteger(quantity) || quantity < 0) {
    throw new RangeError(`Quantity must be a non-negative integer, got ${quantity}`);
  }
}

function part(tier: number | null, units: number, unitScaled: bigint, flatScaled: bigint): LineAmountPart {
  const decimal = (scaled: bigint) => scaledToDecimalString(scaled, DECIMAL_PLACES, true);
  return {
    tier,
    units,
    unitAmountDecimal: decimal(unitScaled),
    flatAmountDecimal: decimal(flatScaled),
    subtotalDecimal: decimal(unitScaled * BigInt(units) + flatScaled),
  };
}

function upperBound(tier: PriceTier): number {
  return tier.up_to === 'inf' ? Number.POSITIVE_INFINITY : tier.up_to;
}

/**
 * The parts of a line and its amount.
 *
 * - per_unit: `unit_amount × quantity`; with `transform_quantity` the quantity becomes
 *   `quantity / divide_by` packages, rounded up or down (Stripe's package pricing).
 * - graduated: every tier the quantity reaches charges `unit_amount × units in the tier +
 *   flat_amount`. A tier covers `(previous up_to, up_to]`.
 * - volume: the whole quantity at the one tier it falls in (the first with
 *   `quantity ≤ up_to`): `unit_amount × quantity + flat_amount`.
 *
 * Quantity 0 still falls in the first tier in both tiered modes, so a first-tier flat
 * amount (Stripe's "flat fee + usage" recipe) is charged even with no usage.
 */
export function lineAmountParts(price: LinePrice, quantity: number): LineAmountParts {
  checkQuantity(quantity);
  const parts: { tier: number | null; units: number; unit: bigint; flat: bigint }[] = [];
  if (price.billing_scheme === 'per_unit') {
    let units = quantity;
    const transform = price.transform_quantity;
    if (transform) {
      if (!Number.isSafeInteger(transform.divide_by) || transform.divide_by < 1) {
        throw new RangeError(`transform_quantity.divide_by must be a positive integer`);
      }
      units = transform.round === 'up' ? Math.ceil(quantity / transform.divide_by) : Math.floor(quantity / transform.divide_by);
    }
    parts.push({ tier: null, units, unit: scaledAmount(price.unit_amount, price.unit_amount_decimal), flat: 0n });
  } else if (price.tiers_mode === 'volume') {
    const index = price.tiers.findIndex((tier) => quantity <= upperBound(tier));
    const tier = price.tiers[index];
    if (!tier) throw new RangeError('Tiers must end with up_to "inf"');
    parts.push({
      tier: index,
      units: quantity,
      unit: scaledAmount(tier.unit_amount, tier.unit_amount_decimal),
      flat: scaledAmount(tier.flat_amount, tier.flat_amount_decimal),
    });
  } else {
    let lower = 0;
    for (const [index, tier] of price.tiers.entries()) {
      if (index > 0 && quantity <= lower) break;
      const units = Math.min(quantity, upperBound(tier)) - lower;
      parts.push({
        tier: index,
        units,
        unit: scaledAmount(tier.unit_amount, tier.unit_amount_decimal),
        flat: scaledAmount(tier.flat_amount, tier.flat_amount_decimal),
      });
      lower = upperBound(tier);
    }
    if (quantity > lower) throw new RangeError('Tiers must end with up_to "inf"');
  }
  const exact = parts.reduce((sum, p) => sum + p.unit * BigInt(p.units) + p.flat, 0n);
  return {
    parts: parts.map((p) => part(p.tier, p.units, p.unit, p.flat)),
    amount: roundHalfAwayFromZero(exact, SCALE),
  };
}

/** The amount of one line, in minor units, rounded once half away from zero. */
export function lineAmount(price: LinePrice, quantity: number): bigint {
  return lineAmountParts(price, quantity).amount;
}

/**
 * Checks tiers as Stripe does on price creation; errors name the offending field
 * (`tiers[1][up_to]`). `param` is the tiers parameter's own name.
 */
export function validateTiers(tiers: readonly PriceTier[], param = 'tiers'): void {
  if (tiers.length === 0) throw invalidRequest('A tiered price needs at least one tier.', param);
  let previous = 0;
  for (const [index, tier] of tiers.entries()) {
    const field = (name: string) => `${param}[${index}][${name}]`;
    const last = index === tiers.length - 1;
    if (tier.up_to === 'inf') {
      if (!last) throw invalidRequest('Only the last tier may have up_to "inf".', field('up_to'));
    } else {
      if (last) throw invalidRequest('The last tier must have up_to "inf".', field('up_to'));
      if (!Number.isSafeInteger(tier.up_to) || tier.up_to < 1) {
        throw invalidRequest('up_to must be a positive integer or "inf".', field('up_to'));
      }
      if (tier.up_to <= previous) {
        throw invalidRequest('Tiers must be in ascending order of up_to.', field('up_to'));
      }
      previous = tier.up_to;
    }
    const unit = checkTierAmount(tier.unit_amount, tier.unit_amount_decimal, field, 'unit_amount');
    const flat = checkTierAmount(tier.flat_amount, tier.flat_amount_decimal, field, 'flat_amount');
    if (!unit && !flat) {
      throw invalidRequest('Each tier needs a unit_amount or a flat_amount.', field('unit_amount'));
    }
  }
}

/** Returns whether the amount is set; throws if it is negative, malformed or set twice. */
function checkTierAmount(
  integer: bigint | null,
  decimal: string | null | undefined,
  field: (name: string) => string,
  name: 'unit_amount' | 'flat_amount',
): boolean {
  const hasDecimal = decimal !== null && decimal !== undefined;
  if (integer !== null && hasDecimal) {
    throw invalidRequest(`You may only specify one of ${name} and ${name}_decimal.`, field(name));
  }
  if (integer !== null && integer < 0n) throw invalidRequest(`${name} must not be negative.`, field(name));
  if (hasDecimal) {
    const scaled = parseScaledDecimal(decimal, DECIMAL_PLACES);
    if (scaled === null) {
      throw invalidRequest(`Invalid ${name}_decimal: a decimal with at most 12 decimal places.`, field(`${name}_decimal`));
    }
    if (scaled < 0n) throw invalidRequest(`${name}_decimal must not be negative.`, field(`${name}_decimal`));
  }
  return integer !== null || hasDecimal;
}
