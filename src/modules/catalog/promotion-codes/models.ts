import type { ColumnType, Generated } from 'kysely';

type Json<T> = ColumnType<T, string, string>;

export interface PromotionCodesTable {
  workspace_id: string;
  id: string;
  coupon_id: ColumnType<string, string, never>;
  /** As sent (case kept); unique per workspace, ignoring case, among active codes. */
  code: ColumnType<string, string, never>;
  active: boolean;
  customer_id: ColumnType<string | null, string | null, never>;
  max_redemptions: ColumnType<number | null, number | null, never>;
  /** Incremented by subscriptions when they apply the code. */
  times_redeemed: Generated<number>;
  expires_at: ColumnType<Date | null, Date | null, never>;
  first_time_transaction: ColumnType<boolean, boolean, never>;
  /** Minor units of `minimum_amount_currency`. */
  minimum_amount: ColumnType<bigint | null, bigint | null, never>;
  minimum_amount_currency: ColumnType<string | null, string | null, never>;
  metadata: Json<Record<string, string>>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}
