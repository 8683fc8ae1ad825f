/**
 * An invoice's life in memory, for one invoice or a batch of thousands: draft it from its
 * lines, finalize it (number, customer balance), charge it. The callers (the API's invoice
 * and subscription services, the billing run) decide when, and write the rows in bulk.
 */
import { groupBy } from '../../../lib/group.ts';
import type { Executor } from '../../../db/database.ts';
import { ApiError } from '../../../lib/errors.ts';
import { newId } from '../../../lib/ids.ts';
import type { WorkspaceRef } from '../../../server/context.ts';
import type { PendingWrites } from '../../../server/unit-of-work.ts';
import type { Address, InvoiceSettings } from '../../customers/models.ts';
import { recordEvents } from '../../events/service.ts';
import { dunningPolicy, scheduleRetry } from '../../payments/dunning/service.ts';
import { DEFAULT_DUNNING_POLICY, type RetryDecision } from '../../payments/dunning/schedule.ts';
import type { ChargeRow } from '../../payments/charges/models.ts';
import type { ChargeResult, GatewayKind } from '../../payments/gateways/gateway.ts';
import type { Gateways } from '../../payments/gateways/registry.ts';
import type { ChargeSource } from '../../payments/payment-methods/models.ts';
import { deferRows } from '../../../server/unit-of-work.ts';
import type { StoredDiscount, SubscriptionRow } from '../../subscriptions/models.ts';
import { invoiceTotals } from '../totals.ts';
import { composeInvoice, type DraftLine, type InvoiceDiscount } from './compose.ts';
import type { BillingReason, InvoiceLineRow, InvoiceRow, PaymentError } from './models.ts';
import { invoiceObject } from './objects.ts';
import { fromUnixSeconds, unixSeconds } from '../../../lib/time.ts';

/** What writing billing records needs: a request's context or the billing run's. */
export interface BillingContext {
  db: Executor;
  /** The workspace's payment gateways. */
  gateways: Gateways;
  /**
   * When a gateway cannot be reached (or a payment is still pending there): throw, so a
   * request fails and is retried with its key (the API); or put those invoices' charges off
   * for an hour and go on with the rest of the batch (the billing run), so that one
   * gateway's outage does not hold up every other workspace's renewals.
   */
  gatewayErrors?: 'throw' | 'defer';
  workspace: WorkspaceRef;
  pending: PendingWrites;
  requestId: string | null;
  idempotencyKey: string | null;
}

/** The customer fields an invoice copies or uses. */
export interface InvoiceCustomer {
  id: string;
  name: string | null;
  email: string | null;
  address: Address | null;
  preferred_locales: string[];
  invoice_settings: Partial<InvoiceSettings>;
  balance: bigint;
  default_payment_method_id: string | null;
  test_clock_id: string | null;
}

export interface InvoiceWithLines {
  row: InvoiceRow;
  lines: InvoiceLineRow[];
}

/** Renewal invoices stay drafts this long (the window in which items can be added). */
export const DRAFT_WINDOW_MS = 3600_000;

export function buildInvoice(input: {
  workspaceId: string;
  customer: InvoiceCustomer;
  subscription: Pick<SubscriptionRow, 'id' | 'collection_method' | 'days_until_due' | 'default_payment_method_id' | 'default_tax_rate_ids'> | null;
  currency: string;
  billingReason: BillingReason;
  period: { start: Date; end: Date };
  cyclePeriodStart: Date | null;
  lines: readonly DraftLine[];
  discounts: readonly { stored: StoredDiscount; coupon: InvoiceDiscount['coupon'] }[];
  now: Date;
  autoFinalizeAt: Date | null;
  description?: string | null;
  metadata?: Record<string, string>;
  id?: string;
}): InvoiceWithLines {
  const { customer, subscription, now } = input;
  const id = input.id ?? newId('invoice', now.getTime());
  const composed = composeInvoice(
    input.lines,
    input.discounts.map((d) => ({ discountId: d.stored.id, coupon: d.coupon })),
    input.currency,
  );
  const t = composed.totals;
  const row: InvoiceRow = {
    workspace_id: input.workspaceId,
    id,
    customer_id: customer.id,
    subscription_id: subscription?.id ?? null,
    status: 'draft',
    number: null,
    currency: input.currency,
    billing_reason: input.billingReason,
    collection_method: subscription?.collection_method ?? 'charge_automatically',
    days_until_due: subscription?.days_until_due ?? null,
    due_date: null,
    period_start: input.period.start,
    period_end: input.period.end,
    cycle_period_start: input.cyclePeriodStart,
    subtotal: t.subtotal,
    total_excluding_tax: t.total_excluding_tax,
    tax: t.tax,
    total: t.total,
    total_discount_amounts: t.total_discount_amounts.map((d) => ({
      discount: d.couponId,
      coupon: input.discounts.find((x) => x.stored.id === d.couponId)?.stored.coupon ?? d.couponId,
      amount: d.amount.toString(),
    })),
    total_taxes: t.total_taxes.map((x) => ({
      tax_rate: x.taxRateId,
      amount: x.amount.toString(),
      inclusive: x.inclusive,
      taxable_amount: x.taxableAmount.toString(),
    })),
    starting_balance: 0n,
    ending_balance: null,
    amount_due: t.amount_due,
    amount_paid: 0n,
    amount_remaining: t.amount_due,
    pre_payment_credit_notes_amount: 0n,
    post_payment_credit_notes_amount: 0n,
    attempt_count: 0,
    attempted: false,
    auto_advance: true,
    next_payment_attempt: null,
    automatically_finalizes_at: input.autoFinalizeAt,
    default_payment_method_id: subscription?.default_payment_method_id ?? null,
    discounts: input.discounts.map((d) => d.stored),
    default_tax_rate_ids: subscription?.default_tax_rate_ids ?? [],
    customer_name: customer.name,
    customer_email: customer.email,
    customer_address: customer.address as Record<string, string | null> | null,
    customer_locale: customer.preferred_locales[0] ?? null,
    description: input.description ?? null,
    footer: customer.invoice_settings.footer ?? null,
    last_payment_error: null,
    payment_failed_at: null,
    test_clock_id: customer.test_clock_id,
    metadata: input.metadata ?? {},
    finalized_at: null,
    paid_at: null,
    voided_at: null,
    marked_uncollectible_at: null,
    created_at: now,
    updated_at: now,
  };
  const lines: InvoiceLineRow[] = composed.lines.map((line, position) => ({
    workspace_id: input.workspaceId,
    invoice_id: id,
    position,
    id: line.id,
    amount: line.amount,
    currency: input.currency,
    description: line.description,
    quantity: line.quantity,
    price_id: line.priceId,
    product_id: line.productId,
    unit_amount_decimal: line.unitAmountDecimal,
    subscription_id: line.subscriptionId,
    subscription_item_id: line.subscriptionItemId,
    invoice_item_id: line.invoiceItemId,
    proration: line.proration,
    period_start: fromUnixSeconds(line.period.start),
    period_end: fromUnixSeconds(line.period.end),
    discountable: line.discountable,
    discount_amounts: line.discountAmounts,
    taxes: line.taxes,
    metadata: {},
  }));
  return { row, lines };
}

/**
 * Finalizes a draft in memory: its number, the customer balance applied (Stripe applies it
 * at finalization), the due date; a zero amount due is paid at once. Returns the change to
 * the customer's balance (the caller writes it).
 */
export function finalizeInMemory(invoice: InvoiceWithLines, number: string, customerBalance: bigint, now: Date): bigint {
  const { row } = invoice;
  const totals = invoiceTotals(
    invoice.lines.map((line) => ({
      amount: line.amount,
      discountAmounts: line.discount_amounts.map((d) => ({ couponId: d.discount, amount: BigInt(d.amount) })),
      taxAmounts: line.taxes.map((t) => ({ taxRateId: t.tax_rate, amount: BigInt(t.amount), inclusive: t.inclusive, taxableAmount: BigInt(t.taxable_amount) })),
    })),
    customerBalance,
  );
  row.status = 'open';
  row.number = number;
  row.starting_balance = totals.starting_balance;
  row.ending_balance = totals.ending_balance;
  row.amount_due = totals.amount_due;
  row.amount_remaining = totals.amount_due;
  row.finalized_at = now;
  row.automatically_finalizes_at = null;
  row.updated_at = now;
  if (row.collection_method === 'send_invoice') {
    row.due_date = new Date(now.getTime() + (row.days_until_due ?? 30) * 86400_000);
  } else if (row.amount_due > 0n) {
    row.next_payment_attempt = now;
  }
  if (row.amount_due === 0n) markPaid(row, now);
  return totals.ending_balance - customerBalance;
}

function markPaid(row: InvoiceRow, now: Date): void {
  row.status = 'paid';
  row.amount_paid = row.amount_due;
  row.amount_remaining = 0n;
  row.paid_at = now;
  row.next_payment_attempt = null;
  row.updated_at = now;
}

/**
 * Takes `count` consecutive numbers of the workspace. The numbering row stays locked until
 * the caller's transaction ends, so numbers are gap-free: a rollback returns them.
 */
export async function takeInvoiceNumbers(db: Executor, workspaceId: string, count: number): Promise<string[]> {
  if (count === 0) return [];
  const taken = await db
    .insertInto('invoice_numbering')
    .values(({ fn, val }) => ({
      workspace_id: workspaceId,
      prefix: fn<string>('upper', [fn('substr', [fn('md5', [val(workspaceId)]), val(1), val(8)])]),
      next_number: BigInt(count + 1),
    }))
    .onConflict((oc) => oc.column('workspace_id').doUpdateSet((eb) => ({ next_number: eb('invoice_numbering.next_number', '+', BigInt(count)) })))
    .returning(['prefix', 'next_number'])
    .executeTakeFirstOrThrow();
  const first = taken.next_number - BigInt(count);
  return Array.from({ length: count }, (_, i) => `${taken.prefix}-${(first + BigInt(i)).toString().padStart(4, '0')}`);
}

/**
 * The idempotency key of a charge: what it pays for, the same each time the same thing is
 * attempted again after a crash or a rollback, so the gateway never charges twice for it
 * (decisions.md §25).
 * - A renewal: its subscription period and attempt (its invoice gets a new id each time
 *   the batch that makes it runs again).
 * - An invoice made by the request that charges it (a subscription's first invoice, an
 *   update's), when the request has an Idempotency-Key (`requestKey`): that key, the customer and the
 *   billing reason (the invoice's id is new each time the request runs; the key is what a
 *   retry of the same request, or a concurrent duplicate of it, has in common).
 * - Any other invoice: its id and attempt.
 */
export function chargeKey(row: InvoiceRow, requestKey: string | null = null): string {
  const attempt = row.attempt_count + 1;
  if (row.cycle_period_start && row.subscription_id) return `renewal:${row.subscription_id}:${unixSeconds(row.cycle_period_start)}:${attempt}`;
  if (requestKey !== null) return `request:${requestKey}:${row.customer_id}:${row.billing_reason}:${attempt}`;
  return `invoice:${row.id}:${attempt}`;
}

/** The API's answer to a charge that failed: Stripe's 402 card_error, from the attempt's error. */
export function paymentFailed(error: PaymentError | null, fallback: string): ApiError {
  return new ApiError(402, 'card_error', error?.message ?? fallback, { code: error?.code ?? 'card_declined', declineCode: error?.decline_code ?? undefined });
}

export interface ChargeOutcome {
  invoice: InvoiceRow;
  succeeded: boolean;
  /** Not attempted: the gateway could not be reached; charged again at next_payment_attempt. */
  deferred?: boolean;
  /** After a failure: the next attempt, or why there is none (dunning). */
  retry: RetryDecision | null;
}

/** How long the billing run waits before asking an unreachable gateway again. */
export const GATEWAY_RETRY_MS = 3600_000;

/** An open invoice to charge, with the payment method it is charged to (null: none). */
export interface InvoiceToCharge {
  row: InvoiceRow;
  source: ChargeSource | null;
  isNew: boolean;
}

/**
 * Charges open invoices of one workspace, each through the gateway account of its payment
 * method; updates the rows in memory (paid, or the attempt and its error) and queues one
 * charge row per attempt made.
 */
export async function chargeInvoices(
  ctx: Pick<BillingContext, 'db' | 'gateways' | 'workspace' | 'idempotencyKey' | 'pending' | 'gatewayErrors'>,
  invoices: readonly InvoiceToCharge[],
  now: Date,
): Promise<ChargeOutcome[]> {
  const chargeable = invoices.filter((i): i is InvoiceToCharge & { source: ChargeSource } => i.source !== null && i.row.amount_due > 0n);
  const byAccount = groupBy(chargeable, (i) => i.source.gatewayAccountId);
  const resultOf = new Map<string, ChargeResult>();
  const unreachable = new Map<string, string>();
  const charges: ChargeRow[] = [];
  for (const [accountId, list] of byAccount) {
    const gateway = await ctx.gateways.forAccount(ctx.workspace, accountId);
    const results = await gateway
      .chargeMany(
      list.map((i) => ({
        gatewayRef: i.source.gatewayRef,
        amount: i.row.amount_remaining,
        currency: i.row.currency,
        idempotencyKey: chargeKey(i.row, i.isNew ? ctx.idempotencyKey : null),
        description: `Invoice ${i.row.id}`,
        metadata: { recur_invoice: i.row.id, recur_customer: i.row.customer_id },
      })),
      )
      .catch((error: unknown) => {
        if (ctx.gatewayErrors !== 'defer') throw error;
        // The charges the gateway did make are remembered under their keys: the next
        // attempt, with the same keys (the attempt count is not raised), reads them back.
        for (const i of list) unreachable.set(i.row.id, error instanceof Error ? error.message : String(error));
        return null;
      });
    if (results === null) continue;
    list.forEach((i, n) => {
      const result = results[n] as ChargeResult;
      resultOf.set(i.row.id, result);
      charges.push(chargeRow(ctx.workspace.id, i, gateway.kind, result, now));
    });
  }
  if (charges.length > 0) deferRows(ctx.pending, ctx.db, 'charges', charges);
  // The workspace's dunning policy, read only when something failed.
  const failed = invoices.some((i) => resultOf.get(i.row.id)?.status !== 'succeeded');
  const policy = failed ? await dunningPolicy(ctx.db, ctx.workspace.id) : null;
  return invoices.map(({ row, source }) => {
    const problem = unreachable.get(row.id);
    if (problem !== undefined) {
      row.next_payment_attempt = new Date(now.getTime() + GATEWAY_RETRY_MS);
      row.updated_at = now;
      // Kept on the invoice, where the dashboard and the API show it, until the next attempt.
      row.last_payment_error = { code: 'gateway_unavailable', decline_code: null, message: problem, payment_method: source?.paymentMethodId ?? null, type: 'api_error' };
      return { invoice: row, succeeded: false, deferred: true, retry: null };
    }
    const result = resultOf.get(row.id);
    row.attempted = true;
    row.attempt_count += 1;
    row.updated_at = now;
    if (result?.status === 'succeeded') {
      row.last_payment_error = null;
      markPaid(row, now);
      return { invoice: row, succeeded: true, retry: null };
    }
    const error: PaymentError = result
      ? { code: result.code, decline_code: result.declineCode, message: result.message, payment_method: source?.paymentMethodId ?? null, type: 'card_error' }
      : {
          code: 'invoice_no_payment_method',
          decline_code: null,
          message: 'The customer has no default payment method to charge.',
          payment_method: null,
          type: 'invalid_request_error',
        };
    row.last_payment_error = error;
    const retry = scheduleRetry(policy ?? DEFAULT_DUNNING_POLICY, row, { declineCode: error.decline_code, hasPaymentMethod: result !== undefined }, now);
    return { invoice: row, succeeded: false, retry };
  });
}

function chargeRow(workspaceId: string, i: InvoiceToCharge & { source: ChargeSource }, gateway: GatewayKind, result: ChargeResult, now: Date): ChargeRow {
  const failed = result.status === 'failed';
  return {
    workspace_id: workspaceId,
    // Wall-clock ids: attempts within one second of billing time (test clocks) still list in order.
    id: newId('charge'),
    invoice_id: i.row.id,
    customer_id: i.row.customer_id,
    attempt: i.row.attempt_count + 1,
    payment_method_id: i.source.paymentMethodId,
    gateway,
    gateway_account_id: i.source.gatewayAccountId,
    gateway_payment_ref: result.paymentRef ?? null,
    amount: i.row.amount_remaining,
    amount_refunded: 0n,
    currency: i.row.currency,
    status: result.status,
    failure_code: failed ? result.code : null,
    decline_code: failed ? result.declineCode : null,
    failure_message: failed ? result.message : null,
    created_at: now,
  };
}

/** Records `types` (one or several) about the invoice as it now stands. */
export function recordInvoiceEvent(ctx: Omit<BillingContext, 'db' | 'gateways'>, types: string | readonly string[], invoice: InvoiceWithLines): void {
  recordEvents(ctx, typeof types === 'string' ? [types] : types, { ...invoiceObject(invoice.row, invoice.lines, ctx.workspace), id: invoice.row.id });
}

/** Column values of an invoice row for an INSERT (jsonb as text). */
export function invoiceInsertable(row: InvoiceRow) {
  return {
    ...row,
    total_discount_amounts: JSON.stringify(row.total_discount_amounts),
    total_taxes: JSON.stringify(row.total_taxes),
    discounts: JSON.stringify(row.discounts),
    customer_address: JSON.stringify(row.customer_address),
    last_payment_error: JSON.stringify(row.last_payment_error),
    metadata: JSON.stringify(row.metadata),
  };
}

export function invoiceLineInsertable(line: InvoiceLineRow) {
  return {
    ...line,
    discount_amounts: JSON.stringify(line.discount_amounts),
    taxes: JSON.stringify(line.taxes),
    metadata: JSON.stringify(line.metadata),
  };
}

/** The columns that finalizing, paying, voiding and charging change (for bulk updates). */
export const INVOICE_STATE_COLUMNS: Readonly<Record<string, string>> = {
  workspace_id: 'text',
  id: 'text',
  status: 'text',
  number: 'text',
  starting_balance: 'bigint',
  ending_balance: 'bigint',
  amount_due: 'bigint',
  amount_paid: 'bigint',
  amount_remaining: 'bigint',
  attempt_count: 'integer',
  attempted: 'boolean',
  auto_advance: 'boolean',
  next_payment_attempt: 'timestamptz',
  automatically_finalizes_at: 'timestamptz',
  due_date: 'timestamptz',
  last_payment_error: 'jsonb',
  payment_failed_at: 'timestamptz',
  finalized_at: 'timestamptz',
  paid_at: 'timestamptz',
  voided_at: 'timestamptz',
  marked_uncollectible_at: 'timestamptz',
  updated_at: 'timestamptz',
};

export function invoiceState(row: InvoiceRow): Record<string, unknown> {
  return Object.fromEntries(Object.keys(INVOICE_STATE_COLUMNS).map((column) => [column, row[column as keyof InvoiceRow]]));
}
