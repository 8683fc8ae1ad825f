import { z } from 'zod';
import { MAX_AMOUNT } from '../../../lib/money.ts';
import { expandParam, int, listParams, metadataParam, oneOf, rangeFilter, str } from '../../../lib/params.ts';
import { REFUND_REASONS } from './models.ts';

export const createRefundParams = z.strictObject({
  charge: str(255).optional(),
  payment_intent: str(255).optional(),
  amount: int({ min: 1, max: Number(MAX_AMOUNT) }).optional(),
  reason: oneOf(REFUND_REASONS).optional(),
  metadata: metadataParam.optional(),
  expand: expandParam,
});
export type CreateRefundParams = z.output<typeof createRefundParams>;

export const updateRefundParams = z.strictObject({ metadata: metadataParam.optional(), expand: expandParam });
export type UpdateRefundParams = z.output<typeof updateRefundParams>;

export const retrieveRefundParams = z.strictObject({ expand: expandParam });

export const listRefundsParams = z.strictObject({
  ...listParams,
  charge: str(255).optional(),
  payment_intent: str(255).optional(),
  created: rangeFilter.optional(),
});
export type ListRefundsParams = z.output<typeof listRefundsParams>;

export const refundSchema = z.object({
  id: z.string(),
  object: z.literal('refund'),
  amount: z.number().int(),
  charge: z.string(),
  created: z.number().int(),
  currency: z.string(),
  customer: z.string(),
  failure_reason: z.string().optional().describe('Why the gateway failed the refund (only on a failed refund).'),
  metadata: z.record(z.string(), z.string()),
  payment_intent: z.string(),
  payment_method: z.string().nullable(),
  reason: z.enum(REFUND_REASONS).nullable(),
  status: z.enum(['pending', 'succeeded', 'failed', 'canceled']),
  credit_note: z.string().describe('Recur extension: the credit note this refund belongs to (every refund is on an invoice).'),
  gateway_reference: z.string().nullable().describe("Recur extension: the gateway's own id of the refund."),
});
export type RefundObject = z.infer<typeof refundSchema>;
