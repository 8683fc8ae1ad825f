import { z } from 'zod';
import { bool, expandParam, formArray, int, listParams, oneOf, str } from '../../../lib/params.ts';
import { PRORATION_BEHAVIORS } from '../../subscriptions/schema.ts';
import { INVOICE_STATUSES } from './models.ts';

export const retrieveInvoiceParams = z.strictObject({ expand: expandParam });
export const invoiceActionParams = z.strictObject({ expand: expandParam, auto_advance: z.unknown().optional() });
export const payInvoiceParams = z.strictObject({ expand: expandParam, payment_method: str(255).optional() });

export const listInvoicesParams = z.strictObject({
  ...listParams,
  customer: str(255).optional(),
  subscription: str(255).optional(),
  status: oneOf(INVOICE_STATUSES).optional(),
  collection_method: oneOf(['charge_automatically', 'send_invoice']).optional(),
  // With status=open: the invoices whose payment failed (the dashboard's failed-payment queue),
  // without paging through every open invoice to find them.
  attempted: bool()
    .optional()
    .describe('Recur extension: only invoices whose payment was (true) or was not (false) attempted; with status=open, those whose payment failed.'),
});
export type ListInvoicesParams = z.output<typeof listInvoicesParams>;

export const createPreviewParams = z.strictObject({
  customer: str(255).optional(),
  subscription: str(255).optional(),
  subscription_details: z
    .strictObject({
      items: formArray(
        z.strictObject({
          id: str(255).optional(),
          price: str(255).optional(),
          quantity: int({ min: 0, max: 999_999_999_999 }).optional(),
          deleted: bool().optional(),
        }),
        20,
      ).optional(),
      proration_behavior: oneOf(PRORATION_BEHAVIORS).optional(),
      proration_date: int({ min: 0 }).optional(),
    })
    .optional(),
  expand: expandParam,
});
export type CreatePreviewParams = z.output<typeof createPreviewParams>;

const money = z.number().int();
export const invoiceSchema = z.looseObject({
  id: z.string().nullable(),
  object: z.literal('invoice'),
  amount_due: money,
  amount_paid: money,
  amount_remaining: money,
  attempt_count: z.number().int(),
  billing_reason: z.string(),
  collection_method: z.enum(['charge_automatically', 'send_invoice']),
  created: z.number().int(),
  currency: z.string(),
  customer: z.union([z.string(), z.looseObject({ id: z.string() })]),
  lines: z.object({ object: z.literal('list'), data: z.array(z.looseObject({ id: z.string(), amount: money })), has_more: z.boolean(), url: z.string() }),
  livemode: z.boolean(),
  number: z.string().nullable(),
  period_end: z.number().int(),
  period_start: z.number().int(),
  post_payment_credit_notes_amount: money,
  pre_payment_credit_notes_amount: money,
  status: z.enum(INVOICE_STATUSES),
  subtotal: money,
  tax: z.number().int().optional(),
  total: money,
  total_excluding_tax: money,
});
