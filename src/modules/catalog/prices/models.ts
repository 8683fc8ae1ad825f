import type { ColumnType, Generated } from 'kysely';

type Json<T> = ColumnType<T, string, string>;
/** bigint columns: pg hands them back as strings (no float on the way). */
type BigIntColumn = ColumnType<string | null, string | null, string | null>;

/** A tier as stored: amounts as decimal strings, so no amount passes through a float. */
export interface StoredTier {
  up_to: number | 'inf';
  unit_amount: string | null;
  unit_amount_decimal: string | null;
  flat_amount: string | null;
  flat_amount_decimal: string | null;
}

export interface StoredTransformQuantity {
  divide_by: number;
  round: 'up' | 'down';
}

export type TaxBehavior = 'inclusive' | 'exclusive' | 'unspecified';

export interface StoredCurrencyOption {
  unit_amount: string | null;
  unit_amount_decimal: string | null;
  tiers?: StoredTier[];
  tax_behavior: TaxBehavior;
}

export interface PricesTable {
  workspace_id: string;
  id: string;
  product_id: string;
  active: Generated<boolean>;
  currency: string;
  unit_amount: BigIntColumn;
  unit_amount_decimal: string | null;
  type: 'one_time' | 'recurring';
  recurring_interval: 'day' | 'week' | 'month' | 'year' | null;
  recurring_interval_count: number | null;
  billing_scheme: 'per_unit' | 'tiered';
  tiers_mode: 'graduated' | 'volume' | null;
  tiers: Json<StoredTier[] | null>;
  transform_quantity: Json<StoredTransformQuantity | null>;
  currency_options: Json<Record<string, StoredCurrencyOption>>;
  lookup_key: string | null;
  nickname: string | null;
  tax_behavior: Generated<TaxBehavior>;
  metadata: Json<Record<string, string>>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}
