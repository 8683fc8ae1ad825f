import type { ColumnType, Generated, Selectable } from 'kysely';
import type { Interval } from './periods.ts';

type Json<T> = ColumnType<T, string, string>;

export const SUBSCRIPTION_STATUSES = [
  'incomplete',
  'incomplete_expired',
  'trialing',
  'active',
  'past_due',
  'unpaid',
  'canceled',
  'paused',
] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];

export type CollectionMethod = 'charge_automatically' | 'send_invoice';
export type MissingPaymentMethodBehavior = 'cancel' | 'pause' | 'create_invoice';
export type PauseBehavior = 'keep_as_draft' | 'mark_uncollectible' | 'void';

export interface PauseCollection {
  behavior: PauseBehavior;
  /** Unix seconds, or null to pause until resumed by hand. */
  resumes_at: number | null;
}

/** A coupon applied to a subscription (Stripe's Discount object, without `object`). */
export interface StoredDiscount {
  id: string;
  coupon: string;
  promotion_code: string | null;
  /** Unix seconds. */
  start: number;
  /** Unix seconds when a `repeating` coupon stops applying; null for once/forever. */
  end: number | null;
}

export interface CancellationDetails {
  comment: string | null;
  feedback: string | null;
  reason: 'cancellation_requested' | 'payment_failed' | 'payment_disputed' | null;
}

export interface SubscriptionsTable {
  workspace_id: string;
  id: string;
  customer_id: string;
  status: SubscriptionStatus;
  currency: string;
  interval: Interval;
  interval_count: number;
  collection_method: CollectionMethod;
  days_until_due: number | null;
  default_payment_method_id: string | null;
  default_tax_rate_ids: string[];
  description: string | null;
  billing_cycle_anchor: Date;
  current_period_start: Date;
  current_period_end: Date;
  start_date: Date;
  trial_start: Date | null;
  trial_end: Date | null;
  trial_missing_payment_method: Generated<MissingPaymentMethodBehavior>;
  trial_will_end_sent: Generated<boolean>;
  cancel_at: Date | null;
  cancel_at_period_end: Generated<boolean>;
  canceled_at: Date | null;
  ended_at: Date | null;
  cancellation_details: Json<CancellationDetails | null>;
  pause_collection: Json<PauseCollection | null>;
  discounts: Json<StoredDiscount[]>;
  latest_invoice_id: string | null;
  schedule_id: string | null;
  test_clock_id: string | null;
  next_action_at: Date | null;
  metadata: Json<Record<string, string>>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface SubscriptionItemsTable {
  workspace_id: string;
  id: string;
  subscription_id: string;
  price_id: string;
  /** bigint column, read back as a JS bigint. */
  quantity: ColumnType<bigint, bigint | number, bigint | number>;
  tax_rate_ids: string[] | null;
  metadata: Json<Record<string, string>>;
  created_at: Generated<Date>;
}

export type SubscriptionRow = Selectable<SubscriptionsTable>;
export type SubscriptionItemRow = Selectable<SubscriptionItemsTable>;

/**
 * Ends a subscription now, for `reason` (cancel now through the API, a trial ending without
 * a card, dunning). A cancellation asked for earlier and due now keeps its request's time and
 * details instead (the billing run's cancel step).
 */
export function markCanceled(
  sub: SubscriptionRow,
  at: Date,
  reason: NonNullable<CancellationDetails['reason']>,
  said: { comment?: string | null; feedback?: string | null } = {},
): void {
  sub.status = 'canceled';
  sub.canceled_at = at;
  sub.ended_at = at;
  sub.cancellation_details = { comment: said.comment ?? null, feedback: said.feedback ?? null, reason };
  sub.next_action_at = null;
}
