import { z } from 'zod';
import { MAX_AMOUNT } from '../../../lib/money.ts';
import { bool, expandParam, formArray, int, listParams, metadataParam, str } from '../../../lib/params.ts';

/** One-off charges or credits: may be negative, never beyond MAX_AMOUNT either way. */
const signedAmount = int({ min: -Number(MAX_AMOUNT), max: Number(MAX_AMOUNT) });
const taxRates = z.preprocess((v) => (v === '' ? [] : v), formArray(str(255), 5));

export const createInvoiceItemParams = z.strictObject({
  customer: str(255),
  amount: signedAmount.optional(),
  currency: str(10).optional(),
  pricing: z.strictObject({ price: str(255) }).optional(),
  price: str(255).optional(),
  quantity: int({ min: 1, max: 999_999_999_999 }).optional(),
  description: str(500).optional(),
  discountable: bool().optional(),
  subscription: str(255).optional(),
  tax_rates: taxRates.optional(),
  period: z.strictObject({ start: int({ min: 0 }), end: int({ min: 0 }) }).optional(),
  metadata: metadataParam.optional(),
  expand: expandParam,
});
export type CreateInvoiceItemParams = z.output<typeof createInvoiceItemParams>;

export const updateInvoiceItemParams = z.strictObject({
  amount: signedAmount.optional(),
  description: str(500).optional(),
  discountable: bool().optional(),
  quantity: int({ min: 1, max: 999_999_999_999 }).optional(),
  tax_rates: taxRates.optional(),
  metadata: metadataParam.optional(),
  expand: expandParam,
});
export type UpdateInvoiceItemParams = z.output<typeof updateInvoiceItemParams>;

export const retrieveInvoiceItemParams = z.strictObject({ expand: expandParam });
export const deleteInvoiceItemParams = z.strictObject({});
export const listInvoiceItemsParams = z.strictObject({
  ...listParams,
  customer: str(255).optional(),
  invoice: str(255).optional(),
  pending: bool().optional(),
});
export type ListInvoiceItemsParams = z.output<typeof listInvoiceItemsParams>;

export const invoiceItemSchema = z.object({
  id: z.string(),
  object: z.literal('invoiceitem'),
  amount: z.number().int(),
  currency: z.string(),
  customer: z.string(),
  date: z.number().int(),
  description: z.string().nullable(),
  discountable: z.boolean(),
  invoice: z.string().nullable(),
  livemode: z.boolean(),
  metadata: z.record(z.string(), z.string()),
  parent: z.object({ type: z.string(), subscription_details: z.object({ subscription: z.string() }).nullable() }).nullable(),
  period: z.object({ start: z.number().int(), end: z.number().int() }),
  pricing: z.object({ type: z.literal('price_details'), price_details: z.object({ price: z.string(), product: z.string() }), unit_amount_decimal: z.string().nullable() }).nullable(),
  proration: z.boolean(),
  quantity: z.number().int(),
  tax_rates: z.array(z.string()),
  test_clock: z.string().nullable(),
});
export type InvoiceItemObject = z.infer<typeof invoiceItemSchema>;
