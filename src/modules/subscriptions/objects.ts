/** Stored subscriptions as Stripe's Subscription and SubscriptionItem objects (API 2026-10-28). */
import type { Selectable } from 'kysely';
import { livemode, type WorkspaceRef } from '../../server/context.ts';
import type { PricesTable } from '../catalog/prices/models.ts';
import { priceObject } from '../catalog/prices/service.ts';
import type { SubscriptionItemRow, SubscriptionRow } from './models.ts';
import { unixSeconds, unixSecondsOrNull } from '../../lib/time.ts';

type PriceRow = Selectable<PricesTable>;


/** Price objects are shared by every item with that price in a batch: built once each. */
export class PriceObjects {
  private readonly built = new Map<string, ReturnType<typeof priceObject>>();
  constructor(private readonly workspace: WorkspaceRef) {}
  get(row: PriceRow): ReturnType<typeof priceObject> {
    let object = this.built.get(row.id);
    if (!object) {
      object = priceObject(row, { workspace: this.workspace });
      this.built.set(row.id, object);
    }
    return object;
  }
}

export function subscriptionItemObject(item: SubscriptionItemRow, price: PriceRow, subscription: SubscriptionRow, prices: PriceObjects) {
  return {
    id: item.id,
    object: 'subscription_item' as const,
    created: unixSeconds(item.created_at),
    current_period_end: unixSeconds(subscription.current_period_end),
    current_period_start: unixSeconds(subscription.current_period_start),
    discounts: [] as string[],
    metadata: item.metadata,
    price: prices.get(price),
    quantity: Number(item.quantity),
    subscription: item.subscription_id,
    tax_rates: item.tax_rate_ids ?? [],
  };
}

export function subscriptionObject(
  row: SubscriptionRow,
  items: readonly { item: SubscriptionItemRow; price: PriceRow }[],
  workspace: WorkspaceRef,
  prices: PriceObjects = new PriceObjects(workspace),
) {
  return {
    id: row.id,
    object: 'subscription' as const,
    billing_cycle_anchor: unixSeconds(row.billing_cycle_anchor),
    cancel_at: unixSecondsOrNull(row.cancel_at),
    cancel_at_period_end: row.cancel_at_period_end,
    canceled_at: unixSecondsOrNull(row.canceled_at),
    cancellation_details: row.cancellation_details ?? { comment: null, feedback: null, reason: null },
    collection_method: row.collection_method,
    created: unixSeconds(row.created_at),
    currency: row.currency,
    customer: row.customer_id,
    days_until_due: row.days_until_due,
    default_payment_method: row.default_payment_method_id,
    default_tax_rates: row.default_tax_rate_ids,
    description: row.description,
    discounts: row.discounts.map((d) => d.id),
    ended_at: unixSecondsOrNull(row.ended_at),
    items: {
      object: 'list' as const,
      data: items.map(({ item, price }) => subscriptionItemObject(item, price, row, prices)),
      has_more: false,
      url: `/v1/subscription_items?subscription=${row.id}`,
    },
    latest_invoice: row.latest_invoice_id,
    livemode: livemode(workspace),
    metadata: row.metadata,
    pause_collection: row.pause_collection,
    schedule: row.schedule_id,
    start_date: unixSeconds(row.start_date),
    status: row.status,
    test_clock: row.test_clock_id,
    trial_end: unixSecondsOrNull(row.trial_end),
    trial_settings: { end_behavior: { missing_payment_method: row.trial_missing_payment_method } },
    trial_start: unixSecondsOrNull(row.trial_start),
  };
}
export type SubscriptionObject = ReturnType<typeof subscriptionObject>;
