import { z } from 'zod';
import { listParams, rangeFilter, str } from '../../../lib/params.ts';

export const listChargesParams = z.strictObject({
  ...listParams,
  created: rangeFilter.optional(),
  customer: str(255).optional(),
  payment_intent: str(255).optional(),
});
export type ListChargesParams = z.output<typeof listChargesParams>;

export const listPaymentIntentsParams = z.strictObject({ ...listParams, created: rangeFilter.optional(), customer: str(255).optional() });
export type ListPaymentIntentsParams = z.output<typeof listPaymentIntentsParams>;

export const listInvoicePaymentsParams = z.strictObject({ ...listParams, invoice: str(255).optional() });
export type ListInvoicePaymentsParams = z.output<typeof listInvoicePaymentsParams>;

export const retrieveParams = z.strictObject({ expand: listParams.expand });

const cardDetails = z.object({
  brand: z.string(),
  country: z.string().nullable(),
  exp_month: z.number().int(),
  exp_year: z.number().int(),
  funding: z.string(),
  last4: z.string(),
});

export const chargeSchema = z.object({
  id: z.string(),
  object: z.literal('charge'),
  amount: z.number().int(),
  amount_captured: z.number().int(),
  amount_refunded: z.number().int(),
  captured: z.boolean(),
  created: z.number().int(),
  currency: z.string(),
  customer: z.string(),
  description: z.string().nullable(),
  failure_code: z.string().nullable(),
  failure_message: z.string().nullable(),
  gateway: z.string().describe('Recur extension: the gateway that made the charge (test, stripe, paypal …).'),
  gateway_account: z.string().nullable().describe('Recur extension: the gateway account (null: the built-in test gateway).'),
  gateway_reference: z.string().nullable().describe("Recur extension: the gateway's own id of the payment."),
  livemode: z.boolean(),
  metadata: z.record(z.string(), z.string()),
  outcome: z.object({
    network_status: z.string(),
    reason: z.string().nullable(),
    seller_message: z.string(),
    type: z.string(),
  }),
  paid: z.boolean(),
  payment_intent: z.string(),
  payment_method: z.string().nullable(),
  payment_method_details: z.object({ card: cardDetails.nullable(), type: z.literal('card') }).nullable(),
  refunded: z.boolean(),
  status: z.enum(['succeeded', 'failed', 'pending']),
});
export type ChargeObject = z.infer<typeof chargeSchema>;

export const paymentErrorSchema = z.object({
  charge: z.string().nullable(),
  code: z.string().nullable(),
  decline_code: z.string().nullable(),
  message: z.string().nullable(),
  payment_method: z.string().nullable(),
  type: z.string(),
});

export const paymentIntentSchema = z.object({
  id: z.string(),
  object: z.literal('payment_intent'),
  amount: z.number().int(),
  amount_capturable: z.number().int(),
  amount_received: z.number().int(),
  canceled_at: z.number().int().nullable(),
  cancellation_reason: z.string().nullable(),
  capture_method: z.literal('automatic'),
  confirmation_method: z.literal('automatic'),
  created: z.number().int(),
  currency: z.string(),
  customer: z.string(),
  description: z.string().nullable(),
  invoice: z.string().describe('Recur extension: the invoice this payment intent collects (each invoice has one).'),
  last_payment_error: paymentErrorSchema.nullable(),
  latest_charge: z.string().nullable(),
  livemode: z.boolean(),
  metadata: z.record(z.string(), z.string()),
  payment_method: z.string().nullable(),
  payment_method_types: z.array(z.string()),
  status: z.enum(['requires_payment_method', 'requires_confirmation', 'processing', 'succeeded', 'canceled']),
});
export type PaymentIntentObject = z.infer<typeof paymentIntentSchema>;

export const invoicePaymentSchema = z.object({
  id: z.string(),
  object: z.literal('invoice_payment'),
  amount_paid: z.number().int().nullable(),
  amount_requested: z.number().int(),
  created: z.number().int(),
  currency: z.string(),
  invoice: z.string(),
  is_default: z.boolean(),
  livemode: z.boolean(),
  payment: z.object({ type: z.literal('payment_intent'), payment_intent: z.string() }),
  status: z.enum(['open', 'paid', 'canceled']),
  status_transitions: z.object({ canceled_at: z.number().int().nullable(), paid_at: z.number().int().nullable() }),
});
export type InvoicePaymentObject = z.infer<typeof invoicePaymentSchema>;
