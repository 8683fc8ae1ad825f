import type { Selectable } from 'kysely';
import type { LinePrice, PriceTier } from '../tiers.ts';
import type { PricesTable, StoredTier } from './models.ts';

type PriceRow = Selectable<PricesTable>;

function tier(stored: StoredTier): PriceTier {
  return {
    up_to: stored.up_to,
    unit_amount: stored.unit_amount === null ? null : BigInt(stored.unit_amount),
    unit_amount_decimal: stored.unit_amount_decimal,
    flat_amount: stored.flat_amount === null ? null : BigInt(stored.flat_amount),
    flat_amount_decimal: stored.flat_amount_decimal,
  };
}

const bigintOrNull = (value: string | bigint | null): bigint | null => (value === null ? null : BigInt(value));

/**
 * The price's math in `currency` (its own, or one of its `currency_options`), for invoice
 * lines; undefined when the price is not offered in that currency.
 */
export function linePriceIn(row: PriceRow, currency: string): LinePrice | undefined {
  const option = currency === row.currency ? undefined : row.currency_options[currency];
  if (currency !== row.currency && !option) return undefined;
  if (row.billing_scheme === 'tiered') {
    const tiers = option ? option.tiers : row.tiers;
    if (!tiers || !row.tiers_mode) return undefined;
    return { billing_scheme: 'tiered', tiers_mode: row.tiers_mode, tiers: tiers.map(tier) };
  }
  return {
    billing_scheme: 'per_unit',
    unit_amount: bigintOrNull(option ? option.unit_amount : row.unit_amount),
    unit_amount_decimal: option ? option.unit_amount_decimal : row.unit_amount_decimal,
    transform_quantity: row.transform_quantity,
  };
}
