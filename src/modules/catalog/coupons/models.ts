import type { ColumnType, Generated } from 'kysely';

export const COUPON_DURATIONS = ['once', 'repeating', 'forever'] as const;
export type CouponDuration = (typeof COUPON_DURATIONS)[number];

/** The amount off in other currencies, keyed by lowercase ISO code (minor units). */
export type CurrencyOptions = Record<string, { amount_off: number }>;

type Json<T> = ColumnType<T, string, string>;

export interface CouponsTable {
  workspace_id: string;
  id: string;
  name: string | null;
  /** numeric(5,2), read as decimal text ("12.50"); fixed at creation. */
  percent_off: ColumnType<string | null, string | null, never>;
  /** Minor units of `currency`; fixed at creation. */
  amount_off: ColumnType<bigint | null, bigint | null, never>;
  currency: ColumnType<string | null, string | null, never>;
  currency_options: Json<CurrencyOptions>;
  duration: ColumnType<CouponDuration, CouponDuration, never>;
  duration_in_months: ColumnType<number | null, number | null, never>;
  max_redemptions: ColumnType<number | null, number | null, never>;
  /** Incremented by subscriptions when they apply the coupon. */
  times_redeemed: Generated<number>;
  redeem_by: ColumnType<Date | null, Date | null, never>;
  applies_to_products: ColumnType<string[] | null, string[] | null, never>;
  metadata: Json<Record<string, string>>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  deleted_at: Date | null;
}
