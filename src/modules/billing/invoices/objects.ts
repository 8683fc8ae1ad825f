/** Stored invoices as Stripe's Invoice and InvoiceLineItem objects (API 2026-10-28). */
import type { WorkspaceRef } from '../../../server/context.ts';
import { livemode } from '../../../server/context.ts';
import type { InvoiceLineRow, InvoiceRow, StoredDiscountAmount, StoredTaxAmount } from './models.ts';
import { unixSeconds, unixSecondsOrNull } from '../../../lib/time.ts';

/** Amounts are at most 10^15 − 1 minor units (lib/money.ts), well inside a safe integer. */
const amount = (value: bigint): number => Number(value);

function discountAmounts(stored: readonly StoredDiscountAmount[]) {
  return stored.map((d) => ({ amount: Number(d.amount), discount: d.discount }));
}

function taxes(stored: readonly StoredTaxAmount[]) {
  return stored.map((t) => ({
    amount: Number(t.amount),
    tax_behavior: t.inclusive ? ('inclusive' as const) : ('exclusive' as const),
    tax_rate_details: { tax_rate: t.tax_rate },
    taxability_reason: 'standard_rated' as const,
    taxable_amount: Number(t.taxable_amount),
    type: 'tax_rate_details' as const,
  }));
}

export function invoiceLineObject(line: InvoiceLineRow, workspace: WorkspaceRef) {
  const prorationDetails = { credited_items: null };
  const parent = line.subscription_item_id
    ? {
        type: 'subscription_item_details' as const,
        invoice_item_details: null,
        subscription_item_details: {
          invoice_item: line.invoice_item_id,
          proration: line.proration,
          proration_details: prorationDetails,
          subscription: line.subscription_id,
          subscription_item: line.subscription_item_id,
        },
      }
    : line.invoice_item_id
      ? {
          type: 'invoice_item_details' as const,
          invoice_item_details: {
            invoice_item: line.invoice_item_id,
            proration: line.proration,
            proration_details: prorationDetails,
            subscription: line.subscription_id,
          },
          subscription_item_details: null,
        }
      : null;
  return {
    id: line.id,
    object: 'line_item' as const,
    amount: amount(line.amount),
    currency: line.currency,
    description: line.description,
    discount_amounts: discountAmounts(line.discount_amounts),
    discountable: line.discountable,
    discounts: line.discount_amounts.map((d) => d.discount),
    invoice: line.invoice_id,
    livemode: livemode(workspace),
    metadata: line.metadata,
    parent,
    period: { start: unixSeconds(line.period_start), end: unixSeconds(line.period_end) },
    pretax_credit_amounts: [],
    pricing: line.price_id
      ? {
          type: 'price_details' as const,
          price_details: { price: line.price_id, product: line.product_id ?? '' },
          unit_amount_decimal: line.unit_amount_decimal,
        }
      : null,
    quantity: line.quantity === null ? null : Number(line.quantity),
    subscription: line.subscription_id,
    subtotal: amount(line.amount),
    taxes: taxes(line.taxes),
  };
}
export type InvoiceLineObject = ReturnType<typeof invoiceLineObject>;

export function invoiceObject(row: InvoiceRow, lines: readonly InvoiceLineRow[], workspace: WorkspaceRef, id: string | null = row.id) {
  return {
    id,
    object: 'invoice' as const,
    amount_due: amount(row.amount_due),
    amount_overpaid: 0,
    amount_paid: amount(row.amount_paid),
    amount_remaining: amount(row.amount_remaining),
    amount_shipping: 0,
    attempt_count: row.attempt_count,
    attempted: row.attempted,
    auto_advance: row.auto_advance,
    automatically_finalizes_at: unixSecondsOrNull(row.automatically_finalizes_at),
    billing_reason: row.billing_reason,
    collection_method: row.collection_method,
    created: unixSeconds(row.created_at),
    currency: row.currency,
    customer: row.customer_id,
    customer_address: row.customer_address,
    customer_email: row.customer_email,
    customer_name: row.customer_name,
    default_payment_method: row.default_payment_method_id,
    default_tax_rates: row.default_tax_rate_ids,
    description: row.description,
    discounts: row.discounts.map((d) => d.id),
    due_date: unixSecondsOrNull(row.due_date),
    effective_at: unixSecondsOrNull(row.finalized_at),
    ending_balance: row.ending_balance === null ? null : amount(row.ending_balance),
    footer: row.footer,
    invoice_pdf: id ? `/v1/invoices/${id}/pdf` : null,
    last_payment_error: row.last_payment_error,
    lines: {
      object: 'list' as const,
      data: lines.map((line) => invoiceLineObject(line, workspace)),
      has_more: false,
      url: id ? `/v1/invoices/${id}/lines` : '/v1/invoices/lines',
    },
    livemode: livemode(workspace),
    metadata: row.metadata,
    next_payment_attempt: unixSecondsOrNull(row.next_payment_attempt),
    number: row.number,
    parent: row.subscription_id
      ? {
          type: 'subscription_details' as const,
          quote_details: null,
          subscription_details: { metadata: {}, subscription: row.subscription_id },
        }
      : null,
    period_end: unixSeconds(row.period_end),
    period_start: unixSeconds(row.period_start),
    post_payment_credit_notes_amount: amount(row.post_payment_credit_notes_amount),
    pre_payment_credit_notes_amount: amount(row.pre_payment_credit_notes_amount),
    starting_balance: amount(row.starting_balance),
    status: row.status,
    status_transitions: {
      finalized_at: unixSecondsOrNull(row.finalized_at),
      marked_uncollectible_at: unixSecondsOrNull(row.marked_uncollectible_at),
      paid_at: unixSecondsOrNull(row.paid_at),
      voided_at: unixSecondsOrNull(row.voided_at),
    },
    subtotal: amount(row.subtotal),
    subtotal_excluding_tax: null,
    test_clock: row.test_clock_id,
    total: amount(row.total),
    total_discount_amounts: discountAmounts(row.total_discount_amounts),
    total_excluding_tax: amount(row.total_excluding_tax),
    total_taxes: taxes(row.total_taxes),
  };
}
export type InvoiceObject = ReturnType<typeof invoiceObject>;
