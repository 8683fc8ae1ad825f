import { z } from 'zod';
import { expandParam, listParams, oneOf, str } from '../../../lib/params.ts';
import { addressObject } from '../../customers/schema.ts';

export const attachPaymentMethodParams = z.strictObject({
  customer: str(255),
  /** Recur extension: the gateway account to save a gateway's token at (default: the workspace's default). */
  gateway_account: str(255).optional(),
  expand: expandParam,
});
export type AttachPaymentMethodParams = z.output<typeof attachPaymentMethodParams>;

export const detachPaymentMethodParams = z.strictObject({ expand: expandParam });
export const retrievePaymentMethodParams = z.strictObject({ expand: expandParam });

export const listPaymentMethodsParams = z.strictObject({
  ...listParams,
  customer: str(255).optional(),
  type: oneOf(['card']).optional(),
});
export type ListPaymentMethodsParams = z.output<typeof listPaymentMethodsParams>;

export const listCustomerPaymentMethodsParams = z.strictObject({
  ...listParams,
  type: oneOf(['card']).optional(),
});
export type ListCustomerPaymentMethodsParams = z.output<typeof listCustomerPaymentMethodsParams>;

export const paymentMethodSchema = z.object({
  id: z.string(),
  object: z.literal('payment_method'),
  billing_details: z.object({
    address: addressObject,
    email: z.string().nullable(),
    name: z.string().nullable(),
    phone: z.string().nullable(),
  }),
  card: z.object({
    brand: z.string(),
    country: z.string().nullable(),
    exp_month: z.number().int(),
    exp_year: z.number().int(),
    funding: z.string(),
    last4: z.string(),
  }),
  created: z.number().int(),
  customer: z.string().nullable(),
  livemode: z.boolean(),
  metadata: z.record(z.string(), z.string()),
  type: z.literal('card'),
});
export type PaymentMethodObject = z.infer<typeof paymentMethodSchema>;
