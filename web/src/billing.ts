/**
 * Subscriptions, invoices and test clocks as the API returns them: Stripe's objects
 * (API version 2026-10-28), amounts in integer minor units, times in unix seconds.
 * Only the fields the dashboard reads are declared.
 */
import type { Customer, Price } from './api.ts';

export type SubscriptionStatus = 'incomplete' | 'incomplete_expired' | 'trialing' | 'active' | 'past_due' | 'canceled' | 'unpaid' | 'paused';

export interface SubscriptionItem {
  id: string;
  object: 'subscription_item';
  price: Price;
  quantity: number;
  current_period_start: number;
  current_period_end: number;
}

export type PauseBehavior = 'keep_as_draft' | 'mark_uncollectible' | 'void';

export interface Subscription {
  id: string;
  object: 'subscription';
  status: SubscriptionStatus;
  /** An id, or the customer with expand[]=customer. */
  customer: string | Customer;
  currency: string;
  items: { object: 'list'; data: SubscriptionItem[]; has_more: boolean };
  cancel_at: number | null;
  cancel_at_period_end: boolean;
  canceled_at: number | null;
  ended_at: number | null;
  trial_start: number | null;
  trial_end: number | null;
  pause_collection: { behavior: PauseBehavior; resumes_at: number | null } | null;
  /** Discount ids (or discount objects when expanded). */
  discounts: Array<string | { id: string }>;
  /** Tax rate ids (Recur) or tax rate objects (Stripe): both are accepted. */
  default_tax_rates: Array<string | { id: string }>;
  /** An id, or the invoice with expand[]=latest_invoice. */
  latest_invoice: string | Invoice | null;
  collection_method: 'charge_automatically' | 'send_invoice';
  created: number;
  start_date: number;
  test_clock: string | null;
  livemode: boolean;
  metadata: Record<string, string>;
}

export type InvoiceStatus = 'draft' | 'open' | 'paid' | 'void' | 'uncollectible';

export interface Period {
  start: number;
  end: number;
}

export interface InvoiceLine {
  id: string;
  object: 'line_item';
  description: string | null;
  amount: number;
  currency: string;
  quantity: number | null;
  period: Period;
  pricing?: { type: string; price_details?: { price: string; product: string } } | null;
  parent?: {
    type: string;
    subscription_item_details?: { subscription: string | null; subscription_item: string | null; proration: boolean } | null;
    invoice_item_details?: { proration: boolean } | null;
  } | null;
}

/** One of total_discount_amounts: a discount id (Stripe's shape since 2025), or older shapes naming the coupon. */
export interface DiscountAmount {
  amount: number;
  discount?: string | { id: string; coupon?: { id: string; name: string | null } } | null;
}

export interface TaxAmount {
  amount: number;
  tax_behavior?: 'inclusive' | 'exclusive';
  taxable_amount?: number | null;
  tax_rate_details?: { tax_rate: string } | null;
}

/** Why an invoice's last payment attempt failed (Stripe's last_payment_error). */
export interface PaymentError {
  code: string;
  decline_code: string | null;
  message: string;
  payment_method: string | null;
  type: string;
}

export interface Invoice {
  /** Null (or absent) on a preview (POST /v1/invoices/create_preview). */
  id?: string | null;
  object: 'invoice';
  number: string | null;
  status: InvoiceStatus | null;
  currency: string;
  customer: string | Customer;
  customer_name: string | null;
  customer_email: string | null;
  subtotal: number;
  total: number;
  /** All tax; older API versions only (total_taxes is the current breakdown). */
  tax?: number | null;
  amount_due: number;
  amount_paid: number;
  amount_remaining: number;
  total_discount_amounts: DiscountAmount[] | null;
  total_taxes?: TaxAmount[] | null;
  starting_balance: number;
  /** Set when the invoice is finalized. */
  ending_balance?: number | null;
  period_start: number;
  period_end: number;
  due_date: number | null;
  created: number;
  billing_reason?: string | null;
  collection_method?: 'charge_automatically' | 'send_invoice';
  /** Payment attempts so far; with status open, each of them failed. */
  attempt_count: number;
  attempted: boolean;
  last_payment_error: PaymentError | null;
  /** When dunning tries again; null when it will not (retries exhausted, waiting for a new card). */
  next_payment_attempt: number | null;
  status_transitions: { finalized_at: number | null; paid_at: number | null; voided_at: number | null; marked_uncollectible_at: number | null };
  lines: { object: 'list'; data: InvoiceLine[]; has_more: boolean };
  parent?: { type: string; subscription_details?: { subscription: string } | null } | null;
  livemode: boolean;
}

/** A saved invoice: one from the API's invoice endpoints always has an id. */
export type SavedInvoice = Invoice & { id: string };

export interface TestClock {
  id: string;
  /** Stripe's name is 'test_helpers.test_clock'. */
  object: string;
  frozen_time: number;
  status: 'ready' | 'advancing' | 'internal_failure';
  name: string | null;
  created?: number;
}

export function customerIdOf(customer: string | Customer): string {
  return typeof customer === 'string' ? customer : customer.id;
}

export function isProration(line: InvoiceLine): boolean {
  return Boolean(line.parent?.subscription_item_details?.proration ?? line.parent?.invoice_item_details?.proration);
}

export function subscriptionIdOf(invoice: Invoice): string | null {
  return invoice.parent?.subscription_details?.subscription ?? null;
}
