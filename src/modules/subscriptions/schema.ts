import { z } from 'zod';
import { bool, clearableHash, clearableStr, expandParam, formArray, int, listParams, metadataParam, oneOf, searchParams, str } from '../../lib/params.ts';
import { SUBSCRIPTION_STATUSES } from './models.ts';

/** Unix seconds, or Stripe's `now` where a parameter allows it. */
const timestamp = int({ min: 0, max: 4_102_444_800 });
const timestampOrNow = z.union([z.literal('now'), timestamp]);
const quantity = int({ min: 0, max: 999_999_999_999 });
const taxRateIds = z.preprocess((v) => (v === '' ? [] : v), formArray(str(255), 5));

const itemParam = z.strictObject({
  price: str(255),
  quantity: quantity.optional(),
  tax_rates: taxRateIds.optional(),
  metadata: metadataParam.optional(),
});

const discountParam = z.strictObject({ coupon: str(255).optional(), promotion_code: str(255).optional() });

const addInvoiceItemParam = z.strictObject({ price: str(255), quantity: quantity.optional(), tax_rates: taxRateIds.optional() });

export const PRORATION_BEHAVIORS = ['create_prorations', 'always_invoice', 'none'] as const;

export const createSubscriptionParams = z.strictObject({
  customer: str(255),
  items: formArray(itemParam, 20),
  add_invoice_items: formArray(addInvoiceItemParam, 20).optional(),
  billing_cycle_anchor: timestamp.optional(),
  cancel_at: timestamp.optional(),
  cancel_at_period_end: bool().optional(),
  collection_method: oneOf(['charge_automatically', 'send_invoice']).optional(),
  currency: str(10).optional(),
  days_until_due: int({ min: 0, max: 730 }).optional(),
  default_payment_method: str(255).optional(),
  default_tax_rates: taxRateIds.optional(),
  description: str(500).optional(),
  discounts: formArray(discountParam, 20).optional(),
  metadata: metadataParam.optional(),
  payment_behavior: oneOf(['allow_incomplete', 'default_incomplete', 'error_if_incomplete']).optional(),
  proration_behavior: oneOf(PRORATION_BEHAVIORS).optional(),
  trial_end: timestampOrNow.optional(),
  trial_period_days: int({ min: 0, max: 730 }).optional(),
  trial_settings: z.strictObject({ end_behavior: z.strictObject({ missing_payment_method: oneOf(['cancel', 'pause', 'create_invoice']) }) }).optional(),
  expand: expandParam,
});
export type CreateSubscriptionParams = z.output<typeof createSubscriptionParams>;

const updateItemParam = z.strictObject({
  id: str(255).optional(),
  price: str(255).optional(),
  quantity: quantity.optional(),
  deleted: bool().optional(),
  tax_rates: taxRateIds.optional(),
  metadata: metadataParam.optional(),
});
export type UpdateItemParam = z.output<typeof updateItemParam>;

export const updateSubscriptionParams = z.strictObject({
  items: formArray(updateItemParam, 20).optional(),
  add_invoice_items: formArray(addInvoiceItemParam, 20).optional(),
  billing_cycle_anchor: z.literal('now').optional(),
  cancel_at: z.preprocess((v) => (v === '' ? null : v), timestamp.nullable()).optional(),
  cancel_at_period_end: bool().optional(),
  cancellation_details: z.strictObject({ comment: clearableStr(5000).optional(), feedback: clearableStr(50).optional() }).optional(),
  collection_method: oneOf(['charge_automatically', 'send_invoice']).optional(),
  days_until_due: int({ min: 0, max: 730 }).optional(),
  default_payment_method: clearableStr(255).optional(),
  default_tax_rates: taxRateIds.optional(),
  description: clearableStr(500).optional(),
  discounts: z.preprocess((v) => (v === '' ? [] : v), formArray(discountParam, 20)).optional(),
  metadata: metadataParam.optional(),
  pause_collection: clearableHash(
    z.strictObject({ behavior: oneOf(['keep_as_draft', 'mark_uncollectible', 'void']), resumes_at: timestamp.optional() }),
  ).optional(),
  payment_behavior: oneOf(['allow_incomplete', 'default_incomplete', 'error_if_incomplete', 'pending_if_incomplete']).optional(),
  proration_behavior: oneOf(PRORATION_BEHAVIORS).optional(),
  proration_date: timestamp.optional(),
  trial_end: timestampOrNow.optional(),
  expand: expandParam,
});
export type UpdateSubscriptionParams = z.output<typeof updateSubscriptionParams>;

export const cancelSubscriptionParams = z.strictObject({
  invoice_now: bool().optional(),
  prorate: bool().optional(),
  cancellation_details: z.strictObject({ comment: clearableStr(5000).optional(), feedback: clearableStr(50).optional() }).optional(),
  expand: expandParam,
});
export type CancelSubscriptionParams = z.output<typeof cancelSubscriptionParams>;

export const resumeSubscriptionParams = z.strictObject({
  billing_cycle_anchor: oneOf(['now', 'unchanged']).optional(),
  proration_behavior: oneOf(PRORATION_BEHAVIORS).optional(),
  expand: expandParam,
});
export type ResumeSubscriptionParams = z.output<typeof resumeSubscriptionParams>;

export const retrieveSubscriptionParams = z.strictObject({ expand: expandParam });

export const listSubscriptionsParams = z.strictObject({
  ...listParams,
  customer: str(255).optional(),
  price: str(255).optional(),
  status: oneOf([...SUBSCRIPTION_STATUSES, 'all', 'ended']).optional(),
  test_clock: str(255).optional(),
});
export type ListSubscriptionsParams = z.output<typeof listSubscriptionsParams>;

export const searchSubscriptionsParams = searchParams;
export type SearchSubscriptionsParams = z.output<typeof searchSubscriptionsParams>;

const priceRef = z.union([z.string(), z.looseObject({ id: z.string() })]);

export const subscriptionSchema = z.looseObject({
  id: z.string(),
  object: z.literal('subscription'),
  billing_cycle_anchor: z.number().int(),
  cancel_at: z.number().int().nullable(),
  cancel_at_period_end: z.boolean(),
  canceled_at: z.number().int().nullable(),
  collection_method: z.enum(['charge_automatically', 'send_invoice']),
  created: z.number().int(),
  currency: z.string(),
  customer: z.union([z.string(), z.looseObject({ id: z.string() })]),
  days_until_due: z.number().int().nullable(),
  default_payment_method: z.string().nullable(),
  default_tax_rates: z.array(z.string()),
  discounts: z.array(z.string()),
  ended_at: z.number().int().nullable(),
  items: z.object({
    object: z.literal('list'),
    data: z.array(
      z.looseObject({
        id: z.string(),
        object: z.literal('subscription_item'),
        current_period_start: z.number().int(),
        current_period_end: z.number().int(),
        price: priceRef,
        quantity: z.number().int(),
      }),
    ),
    has_more: z.boolean(),
    url: z.string(),
  }),
  latest_invoice: z.union([z.string(), z.looseObject({ id: z.string() })]).nullable(),
  livemode: z.boolean(),
  metadata: z.record(z.string(), z.string()),
  pause_collection: z.object({ behavior: z.string(), resumes_at: z.number().int().nullable() }).nullable(),
  start_date: z.number().int(),
  status: z.enum(SUBSCRIPTION_STATUSES),
  test_clock: z.string().nullable(),
  trial_end: z.number().int().nullable(),
  trial_start: z.number().int().nullable(),
});
