import { z } from 'zod';
import { MAX_AMOUNT } from '../../../lib/money.ts';
import { expandParam, formArray, int, listParams, metadataParam, oneOf, rangeFilter, str } from '../../../lib/params.ts';
import { CREDIT_NOTE_REASONS } from './models.ts';

const amount = (min: number) => int({ min, max: Number(MAX_AMOUNT) });

const lineParam = z.strictObject({
  type: oneOf(['invoice_line_item', 'custom_line_item']),
  invoice_line_item: str(255).optional(),
  quantity: int({ min: 1, max: 999_999_999_999 }).optional(),
  amount: amount(1).optional(),
  description: str(5000).optional(),
  unit_amount: amount(1).optional(),
  metadata: metadataParam.optional(),
});
export type CreditNoteLineParam = z.output<typeof lineParam>;

/** What a credit note is made of: create and preview take the same. */
const creditNoteParams = {
  invoice: str(255),
  lines: formArray(lineParam, 100).optional(),
  amount: amount(1).optional(),
  refund_amount: amount(0).optional(),
  credit_amount: amount(0).optional(),
  out_of_band_amount: amount(0).optional(),
  reason: oneOf(CREDIT_NOTE_REASONS).optional(),
  memo: str(5000).optional(),
  metadata: metadataParam.optional(),
  expand: expandParam,
};
export const createCreditNoteParams = z.strictObject(creditNoteParams);
export type CreateCreditNoteParams = z.output<typeof createCreditNoteParams>;
export const previewCreditNoteParams = createCreditNoteParams;
export const previewCreditNoteLinesParams = z.strictObject({ ...creditNoteParams, ...listParams });
export type PreviewCreditNoteLinesParams = z.output<typeof previewCreditNoteLinesParams>;

export const updateCreditNoteParams = z.strictObject({ memo: str(5000).optional(), metadata: metadataParam.optional(), expand: expandParam });
export type UpdateCreditNoteParams = z.output<typeof updateCreditNoteParams>;

export const retrieveCreditNoteParams = z.strictObject({ expand: expandParam });
export const voidCreditNoteParams = z.strictObject({ expand: expandParam });
export const creditNoteLinesParams = z.strictObject({ ...listParams });
export type CreditNoteLinesParams = z.output<typeof creditNoteLinesParams>;

export const listCreditNotesParams = z.strictObject({
  ...listParams,
  invoice: str(255).optional(),
  customer: str(255).optional(),
  created: rangeFilter.optional(),
});
export type ListCreditNotesParams = z.output<typeof listCreditNotesParams>;

const money = z.number().int();
const taxSchema = z.object({
  amount: money,
  tax_behavior: z.enum(['exclusive', 'inclusive']),
  tax_rate_details: z.object({ tax_rate: z.string() }),
  taxability_reason: z.literal('standard_rated'),
  taxable_amount: money,
  type: z.literal('tax_rate_details'),
});
const discountAmountSchema = z.object({ amount: money, discount: z.string() });

export const creditNoteLineSchema = z.object({
  id: z.string().nullable(),
  object: z.literal('credit_note_line_item'),
  amount: money,
  description: z.string().nullable(),
  discount_amount: money,
  discount_amounts: z.array(discountAmountSchema),
  invoice_line_item: z.string().optional(),
  livemode: z.boolean(),
  metadata: z.record(z.string(), z.string()),
  pretax_credit_amounts: z.array(z.object({ amount: money, discount: z.string(), type: z.literal('discount') })),
  quantity: z.number().int().nullable(),
  taxes: z.array(taxSchema),
  type: z.enum(['invoice_line_item', 'custom_line_item']),
  unit_amount: money.nullable(),
  unit_amount_decimal: z.string().nullable(),
});
export type CreditNoteLineObject = z.infer<typeof creditNoteLineSchema>;

export const creditNoteSchema = z.object({
  id: z.string().nullable().describe('Null on a preview.'),
  object: z.literal('credit_note'),
  amount: money,
  amount_shipping: money,
  created: z.number().int(),
  currency: z.string(),
  customer: z.string(),
  discount_amount: money,
  discount_amounts: z.array(discountAmountSchema),
  effective_at: z.number().int(),
  invoice: z.string(),
  lines: z.object({ object: z.literal('list'), data: z.array(creditNoteLineSchema), has_more: z.boolean(), url: z.string() }),
  livemode: z.boolean(),
  memo: z.string().nullable(),
  metadata: z.record(z.string(), z.string()),
  number: z.string(),
  out_of_band_amount: money.nullable(),
  pdf: z.string().nullable().describe("The credit note's PDF, in the customer's language (null on a preview)."),
  post_payment_amount: money,
  pre_payment_amount: money,
  pretax_credit_amounts: z.array(z.object({ amount: money, discount: z.string(), type: z.literal('discount') })),
  reason: z.enum(CREDIT_NOTE_REASONS).nullable(),
  refunds: z.array(z.object({ amount_refunded: money, payment_record_refund: z.null(), refund: z.string(), type: z.literal('refund') })),
  shipping_cost: z.null(),
  status: z.enum(['issued', 'void']),
  subtotal: money,
  subtotal_excluding_tax: money.nullable(),
  total: money,
  total_excluding_tax: money,
  total_taxes: z.array(taxSchema),
  type: z.enum(['pre_payment', 'post_payment', 'mixed']),
  voided_at: z.number().int().nullable(),
  credit_amount: money.describe("Recur extension: the part credited to the customer's balance (Stripe shows it as a customer balance transaction)."),
});
export type CreditNoteObject = z.infer<typeof creditNoteSchema>;
