/** Stored credit notes as Stripe's CreditNote and CreditNoteLineItem objects (API 2026-10-28). */
import { unixSeconds, unixSecondsOrNull } from '../../../lib/time.ts';
import { livemode, type WorkspaceRef } from '../../../server/context.ts';
import type { StoredTaxAmount } from '../invoices/models.ts';
import type { CreditNoteLineRow, CreditNoteRow, StoredCreditedDiscount } from './models.ts';
import type { CreditNoteLineObject, CreditNoteObject } from './schema.ts';

/** As many lines as a credit note carries inline; the rest are at its `lines` URL (as Stripe's). */
export const INLINE_LINES = 10;

/** Amounts are at most 10^15 − 1 minor units (lib/money.ts), well inside a safe integer. */
const amount = (value: bigint | string): number => Number(value);

function discountAmounts(stored: readonly StoredCreditedDiscount[]) {
  return stored.map((d) => ({ amount: amount(d.amount), discount: d.discount }));
}

function pretaxCredits(stored: readonly StoredCreditedDiscount[]) {
  return stored.map((d) => ({ amount: amount(d.amount), discount: d.discount, type: 'discount' as const }));
}

function taxes(stored: readonly StoredTaxAmount[]) {
  return stored.map((t) => ({
    amount: amount(t.amount),
    tax_behavior: t.inclusive ? ('inclusive' as const) : ('exclusive' as const),
    tax_rate_details: { tax_rate: t.tax_rate },
    taxability_reason: 'standard_rated' as const,
    taxable_amount: amount(t.taxable_amount),
    type: 'tax_rate_details' as const,
  }));
}

/** `id` is null on a preview's lines, which are not stored. */
export function creditNoteLineObject(line: CreditNoteLineRow, workspace: WorkspaceRef, id: string | null = line.id): CreditNoteLineObject {
  return {
    id,
    object: 'credit_note_line_item',
    amount: amount(line.amount),
    description: line.description,
    discount_amount: amount(line.discount_amount),
    discount_amounts: discountAmounts(line.discount_amounts),
    ...(line.invoice_line_id !== null ? { invoice_line_item: line.invoice_line_id } : {}),
    livemode: livemode(workspace),
    metadata: line.metadata,
    pretax_credit_amounts: pretaxCredits(line.discount_amounts),
    quantity: line.quantity === null ? null : Number(line.quantity),
    taxes: taxes(line.taxes),
    type: line.type,
    unit_amount: line.unit_amount === null ? null : amount(line.unit_amount),
    unit_amount_decimal: line.unit_amount_decimal,
  };
}

export interface CreditNoteRefund {
  id: string;
  amount: bigint;
}

/**
 * `preview`: the credit note is not stored, so it has no id, PDF or line ids; its number is
 * the one it would get.
 */
export function creditNoteObject(
  row: CreditNoteRow,
  lines: readonly CreditNoteLineRow[],
  refunds: readonly CreditNoteRefund[],
  workspace: WorkspaceRef,
  options: { preview?: boolean } = {},
): CreditNoteObject {
  const stored = !options.preview;
  const shown = lines.slice(0, INLINE_LINES);
  return {
    id: stored ? row.id : null,
    object: 'credit_note',
    amount: amount(row.total),
    amount_shipping: 0,
    created: unixSeconds(row.created_at),
    currency: row.currency,
    customer: row.customer_id,
    discount_amount: amount(row.discount_amount),
    discount_amounts: discountAmounts(row.discount_amounts),
    effective_at: unixSeconds(row.created_at),
    invoice: row.invoice_id,
    lines: {
      object: 'list',
      data: shown.map((line) => creditNoteLineObject(line, workspace, stored ? line.id : null)),
      has_more: lines.length > shown.length,
      url: stored ? `/v1/credit_notes/${row.id}/lines` : '/v1/credit_notes/preview/lines',
    },
    livemode: livemode(workspace),
    memo: row.memo,
    metadata: row.metadata,
    number: row.number,
    out_of_band_amount: row.out_of_band_amount === null ? null : amount(row.out_of_band_amount),
    pdf: stored ? `/v1/credit_notes/${row.id}/pdf` : null,
    post_payment_amount: amount(row.post_payment_amount),
    pre_payment_amount: amount(row.pre_payment_amount),
    pretax_credit_amounts: pretaxCredits(row.discount_amounts),
    reason: row.reason,
    refunds: refunds.map((r) => ({ amount_refunded: amount(r.amount), payment_record_refund: null, refund: r.id, type: 'refund' as const })),
    shipping_cost: null,
    status: row.status,
    subtotal: amount(row.subtotal),
    // As on invoices (billing/totals.ts): the lines do not carry their inclusive tax before discounts.
    subtotal_excluding_tax: null,
    total: amount(row.total),
    total_excluding_tax: amount(row.total_excluding_tax),
    total_taxes: taxes(row.total_taxes),
    type: row.type,
    voided_at: unixSecondsOrNull(row.voided_at),
    credit_amount: amount(row.credit_amount),
  };
}
