import { z } from 'zod';
import { MAX_AMOUNT } from '../../../lib/money.ts';
import { bool, clearableStr, expandParam, formArray, int, listParams, metadataParam, oneOf, rangeFilter, str } from '../../../lib/params.ts';

/** An amount in minor units: 0 to MAX_AMOUNT (well inside a safe integer). */
const amount = () => int({ min: 0, max: Number(MAX_AMOUNT) });
/** Stripe's `*_decimal` amounts: minor units with up to 12 decimal places (checked in the service). */
const decimal = () => str(40);

const tierParam = z.strictObject({
  up_to: z.union([z.literal('inf'), int()]),
  unit_amount: amount().optional(),
  unit_amount_decimal: decimal().optional(),
  flat_amount: amount().optional(),
  flat_amount_decimal: decimal().optional(),
});
export type TierParam = z.output<typeof tierParam>;

const tiersParam = formArray(tierParam, 250);

const taxBehavior = oneOf(['inclusive', 'exclusive', 'unspecified']);

const currencyOptionParam = z.strictObject({
  unit_amount: amount().optional(),
  unit_amount_decimal: decimal().optional(),
  tiers: tiersParam.optional(),
  tax_behavior: taxBehavior.optional(),
});
export type CurrencyOptionParam = z.output<typeof currencyOptionParam>;

/** Keys are checked as currencies in the service (the error names `currency_options[xyz]`). */
const currencyOptionsParam = z.record(z.string().max(10), currencyOptionParam);

const lookupKey = str(200);
const nickname = str(5000);

export const createPriceParams = z.strictObject({
  currency: str(10),
  product: str(255).optional(),
  product_data: z
    .strictObject({
      name: str(250).min(1, { error: 'must not be empty' }),
      active: bool().optional(),
      metadata: metadataParam.optional(),
      unit_label: str(12).optional(),
    })
    .optional(),
  active: bool().optional(),
  billing_scheme: oneOf(['per_unit', 'tiered']).optional(),
  currency_options: currencyOptionsParam.optional(),
  lookup_key: lookupKey.optional(),
  transfer_lookup_key: bool().optional(),
  metadata: metadataParam.optional(),
  nickname: nickname.optional(),
  // interval is checked by validateRecurring, so its error names `recurring[interval]`.
  recurring: z
    .strictObject({
      interval: str(10),
      interval_count: int().optional(),
      usage_type: oneOf(['licensed']).optional(),
    })
    .optional(),
  tax_behavior: taxBehavior.optional(),
  tiers: tiersParam.optional(),
  tiers_mode: oneOf(['graduated', 'volume']).optional(),
  transform_quantity: z.strictObject({ divide_by: int({ min: 1 }), round: oneOf(['up', 'down']) }).optional(),
  unit_amount: amount().optional(),
  unit_amount_decimal: decimal().optional(),
  expand: expandParam,
});
export type CreatePriceParams = z.output<typeof createPriceParams>;

/** Amounts, currency, product and recurrence are fixed at creation: anything else is an unknown parameter. */
export const updatePriceParams = z.strictObject({
  active: bool().optional(),
  currency_options: currencyOptionsParam.optional(),
  lookup_key: clearableStr(200).optional(),
  transfer_lookup_key: bool().optional(),
  metadata: metadataParam.optional(),
  nickname: clearableStr(5000).optional(),
  tax_behavior: taxBehavior.optional(),
  expand: expandParam,
});
export type UpdatePriceParams = z.output<typeof updatePriceParams>;

export const retrievePriceParams = z.strictObject({ expand: expandParam });

export const listPricesParams = z.strictObject({
  ...listParams,
  active: bool().optional(),
  created: rangeFilter.optional(),
  currency: str(10).optional(),
  lookup_keys: formArray(lookupKey, 10).optional(),
  product: str(255).optional(),
  recurring: z
    .strictObject({
      interval: oneOf(['day', 'week', 'month', 'year']).optional(),
      usage_type: oneOf(['licensed', 'metered']).optional(),
    })
    .optional(),
  type: oneOf(['one_time', 'recurring']).optional(),
});
export type ListPricesParams = z.output<typeof listPricesParams>;

const tierSchema = z.object({
  flat_amount: z.number().int().nullable(),
  flat_amount_decimal: z.string().nullable(),
  unit_amount: z.number().int().nullable(),
  unit_amount_decimal: z.string().nullable(),
  up_to: z.number().int().nullable(),
});

const taxBehaviorSchema = z.enum(['inclusive', 'exclusive', 'unspecified']);

export const priceSchema = z.object({
  id: z.string(),
  object: z.literal('price'),
  active: z.boolean(),
  billing_scheme: z.enum(['per_unit', 'tiered']),
  created: z.number().int(),
  currency: z.string(),
  currency_options: z.record(
    z.string(),
    z.object({
      custom_unit_amount: z.null(),
      tax_behavior: taxBehaviorSchema,
      tiers: z.array(tierSchema).optional(),
      unit_amount: z.number().int().nullable(),
      unit_amount_decimal: z.string().nullable(),
    }),
  ),
  custom_unit_amount: z.null(),
  livemode: z.boolean(),
  lookup_key: z.string().nullable(),
  metadata: z.record(z.string(), z.string()),
  nickname: z.string().nullable(),
  product: z.string(),
  recurring: z
    .object({
      interval: z.enum(['day', 'week', 'month', 'year']),
      interval_count: z.number().int(),
      meter: z.null(),
      trial_period_days: z.null(),
      usage_type: z.literal('licensed'),
    })
    .nullable(),
  tax_behavior: taxBehaviorSchema,
  tiers: z.array(tierSchema).optional(),
  tiers_mode: z.enum(['graduated', 'volume']).nullable(),
  transform_quantity: z.object({ divide_by: z.number().int(), round: z.enum(['up', 'down']) }).nullable(),
  type: z.enum(['one_time', 'recurring']),
  unit_amount: z.number().int().nullable(),
  unit_amount_decimal: z.string().nullable(),
});
export type PriceObject = z.infer<typeof priceSchema>;
export type TierObject = z.infer<typeof tierSchema>;
