import { z } from 'zod';
import { MAX_AMOUNT } from '../../../lib/money.ts';
import { bool, expandParam, int, listParams, metadataParam, oneOf, rangeFilter, str } from '../../../lib/params.ts';

/** Codes customers type: letters, digits and a few separators, as Stripe's. */
export const PROMOTION_CODE_PATTERN = /^[A-Za-z0-9_-]{1,500}$/;

/** The last second of year 9999. */
const MAX_TIMESTAMP = 253_402_300_799;

export const createPromotionCodeParams = z.strictObject({
  promotion: z.strictObject({
    coupon: str(200).optional(),
    type: oneOf(['coupon'] as const),
  }),
  active: bool().optional(),
  code: str(500).regex(PROMOTION_CODE_PATTERN, { error: 'must be letters, digits, underscores or hyphens' }).optional(),
  customer: str(255).optional(),
  expires_at: int({ min: 0, max: MAX_TIMESTAMP }).optional(),
  max_redemptions: int({ min: 1, max: 2_147_483_647 }).optional(),
  metadata: metadataParam.optional(),
  restrictions: z
    .strictObject({
      first_time_transaction: bool().optional(),
      // Checked in the service, so a negative amount is refused with its own message.
      minimum_amount: int({ max: Number(MAX_AMOUNT) }).optional(),
      minimum_amount_currency: str(3).optional(),
    })
    .optional(),
  expand: expandParam,
});
export type CreatePromotionCodeParams = z.output<typeof createPromotionCodeParams>;

/** What may change after creation: active and metadata. */
export const updatePromotionCodeParams = z.strictObject({
  active: bool().optional(),
  metadata: metadataParam.optional(),
  expand: expandParam,
});
export type UpdatePromotionCodeParams = z.output<typeof updatePromotionCodeParams>;

export const retrievePromotionCodeParams = z.strictObject({ expand: expandParam });

export const listPromotionCodesParams = z.strictObject({
  ...listParams,
  active: bool().optional(),
  code: str(500).optional(),
  coupon: str(200).optional(),
  customer: str(255).optional(),
  created: rangeFilter.optional(),
});
export type ListPromotionCodesParams = z.output<typeof listPromotionCodesParams>;

export const promotionCodeSchema = z.object({
  id: z.string(),
  object: z.literal('promotion_code'),
  active: z.boolean(),
  code: z.string(),
  created: z.number().int(),
  customer: z.string().nullable(),
  customer_account: z.null(),
  expires_at: z.number().int().nullable(),
  livemode: z.boolean(),
  max_redemptions: z.number().int().nullable(),
  metadata: z.record(z.string(), z.string()),
  promotion: z.object({ coupon: z.string(), type: z.literal('coupon') }),
  restrictions: z.object({
    first_time_transaction: z.boolean(),
    minimum_amount: z.number().int().nullable(),
    minimum_amount_currency: z.string().nullable(),
  }),
  times_redeemed: z.number().int(),
});
export type PromotionCodeObject = z.infer<typeof promotionCodeSchema>;
