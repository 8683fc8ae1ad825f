import { z } from 'zod';
import { MAX_AMOUNT, parseScaledDecimal } from '../../../lib/money.ts';
import { clearableStr, expandParam, formArray, int, listParams, metadataParam, oneOf, rangeFilter, str } from '../../../lib/params.ts';
import { COUPON_DURATIONS } from './models.ts';

/** Ids a caller may choose on create, as Stripe's. */
export const COUPON_ID_PATTERN = /^[A-Za-z0-9_-]{1,200}$/;

/** percent_off has at most 2 decimal places, as Stripe's. */
export const PERCENT_OFF_PLACES = 2;
const MAX_SCALED_PERCENT = 100n * 10n ** BigInt(PERCENT_OFF_PLACES);
const DECIMAL = /^-?\d+(?:\.\d+)?$/;

/** Kept as decimal text, so numeric(5,2) stores exactly what was sent (no float). */
const percentOffParam = z
  .preprocess(
    (value) => (typeof value === 'number' && Number.isFinite(value) ? String(value) : value),
    z
      .string({ error: 'must be a number' })
      .regex(DECIMAL, { error: 'must be a decimal number, e.g. 12.5' })
      .refine((v) => !DECIMAL.test(v) || parseScaledDecimal(v, PERCENT_OFF_PLACES) !== null, {
        error: `must have at most ${PERCENT_OFF_PLACES} decimal places`,
      })
      .refine(
        (v) => {
          const scaled = parseScaledDecimal(v, PERCENT_OFF_PLACES);
          return scaled === null || (scaled > 0n && scaled <= MAX_SCALED_PERCENT);
        },
        { error: 'must be greater than 0 and at most 100' },
      ),
  )
  .meta({ type: 'number', exclusiveMinimum: 0, maximum: 100, description: 'Percent off, (0, 100], at most 2 decimal places' });

const amountOff = () => int({ min: 1, max: Number(MAX_AMOUNT) });

const currencyOptionsParam = z.record(str(3), z.strictObject({ amount_off: amountOff() }));

/** The last second of year 9999. */
const MAX_TIMESTAMP = 253_402_300_799;

export const createCouponParams = z.strictObject({
  id: str(200).regex(COUPON_ID_PATTERN, { error: 'must be 1 to 200 letters, digits, underscores or hyphens' }).optional(),
  name: clearableStr(40).optional(),
  percent_off: percentOffParam.optional(),
  amount_off: amountOff().optional(),
  currency: str(3).optional(),
  currency_options: currencyOptionsParam.optional(),
  duration: oneOf(COUPON_DURATIONS).optional(),
  duration_in_months: int({ min: 1, max: 1200 }).optional(),
  max_redemptions: int({ min: 1, max: 2_147_483_647 }).optional(),
  redeem_by: int({ min: 0, max: MAX_TIMESTAMP }).optional(),
  applies_to: z.strictObject({ products: formArray(str(200), 100) }).optional(),
  metadata: metadataParam.optional(),
  expand: expandParam,
});
export type CreateCouponParams = z.output<typeof createCouponParams>;

/** What may change after creation (as Stripe's): name, metadata, currency_options. */
export const updateCouponParams = z.strictObject({
  name: clearableStr(40).optional(),
  metadata: metadataParam.optional(),
  currency_options: currencyOptionsParam.optional(),
  expand: expandParam,
});
export type UpdateCouponParams = z.output<typeof updateCouponParams>;

export const retrieveCouponParams = z.strictObject({ expand: expandParam });

export const listCouponsParams = z.strictObject({
  ...listParams,
  created: rangeFilter.optional(),
});
export type ListCouponsParams = z.output<typeof listCouponsParams>;

export const couponSchema = z.object({
  id: z.string(),
  object: z.literal('coupon'),
  amount_off: z.number().int().nullable(),
  applies_to: z.object({ products: z.array(z.string()) }).optional(),
  created: z.number().int(),
  currency: z.string().nullable(),
  currency_options: z.record(z.string(), z.object({ amount_off: z.number().int() })).optional(),
  duration: z.enum(COUPON_DURATIONS),
  duration_in_months: z.number().int().nullable(),
  livemode: z.boolean(),
  max_redemptions: z.number().int().nullable(),
  metadata: z.record(z.string(), z.string()),
  name: z.string().nullable(),
  percent_off: z.number().nullable(),
  redeem_by: z.number().int().nullable(),
  times_redeemed: z.number().int(),
  valid: z.boolean(),
});
export type CouponObject = z.infer<typeof couponSchema>;

export const deletedCouponSchema = z.object({
  id: z.string(),
  object: z.literal('coupon'),
  deleted: z.literal(true),
});
export type DeletedCouponObject = z.infer<typeof deletedCouponSchema>;
