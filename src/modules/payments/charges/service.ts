import type { Selectable } from 'kysely';
import type { Executor } from '../../../db/database.ts';
import { resourceMissing } from '../../../lib/errors.ts';
import { hasPrefix } from '../../../lib/ids.ts';
import { paginate, whereCreated } from '../../../lib/pagination.ts';
import { unixSeconds, unixSecondsOrNull } from '../../../lib/time.ts';
import { livemode, type RequestContext, type WorkspaceRef } from '../../../server/context.ts';
import type { InvoicesTable } from '../../billing/invoices/models.ts';
import type { CardDetails } from '../payment-methods/models.ts';
import type { ChargeRow } from './models.ts';
import type {
  ChargeObject,
  InvoicePaymentObject,
  ListChargesParams,
  ListInvoicePaymentsParams,
  ListPaymentIntentsParams,
  PaymentIntentObject,
} from './schema.ts';

type InvoiceRow = Selectable<InvoicesTable>;
type ChargeWithCard = ChargeRow & { card: CardDetails | null };

/**
 * Each invoice that asks for money has one payment intent and one invoice payment, as in
 * Stripe; Recur derives both from the invoice and its charges instead of storing them, so
 * their ids are the invoice's with another prefix (decisions.md §26).
 */
const body = (id: string) => id.slice(id.indexOf('_') + 1);
export const paymentIntentIdOf = (invoiceId: string) => `pi_${body(invoiceId)}`;
export const invoicePaymentIdOf = (invoiceId: string) => `inpay_${body(invoiceId)}`;
export const invoiceIdOf = (derivedId: string) => `in_${body(derivedId)}`;

/** The invoice behind a derived id, if the id has the right prefix and the invoice asks for money. */
async function invoiceBehind(db: Executor, workspaceId: string, derivedId: string, prefix: 'pi' | 'inpay'): Promise<InvoiceRow | undefined> {
  if (!derivedId.startsWith(`${prefix}_`) || !hasPrefix(invoiceIdOf(derivedId), 'invoice')) return undefined;
  return db
    .selectFrom('invoices')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', invoiceIdOf(derivedId))
    .where('status', '!=', 'draft')
    .where('amount_due', '>', 0n)
    .executeTakeFirst();
}

function chargesWithCards(db: Executor, workspaceId: string) {
  return db
    .selectFrom('charges as ch')
    .leftJoin('payment_methods as pm', (join) => join.onRef('pm.workspace_id', '=', 'ch.workspace_id').onRef('pm.id', '=', 'ch.payment_method_id'))
    .selectAll('ch')
    .select('pm.card')
    .where('ch.workspace_id', '=', workspaceId);
}

export function chargeObject(row: ChargeWithCard, workspace: WorkspaceRef): ChargeObject {
  const succeeded = row.status === 'succeeded';
  const hardDecline = row.decline_code !== null && ['stolen_card', 'lost_card', 'fraudulent', 'pickup_card'].includes(row.decline_code);
  return {
    id: row.id,
    object: 'charge',
    amount: Number(row.amount),
    amount_captured: succeeded ? Number(row.amount) : 0,
    amount_refunded: Number(row.amount_refunded),
    captured: succeeded,
    created: unixSeconds(row.created_at),
    currency: row.currency,
    customer: row.customer_id,
    description: `Invoice ${row.invoice_id}`,
    failure_code: row.failure_code,
    failure_message: row.failure_message,
    gateway: row.gateway,
    gateway_account: row.gateway_account_id,
    gateway_reference: row.gateway_payment_ref,
    livemode: livemode(workspace),
    metadata: {},
    outcome: succeeded
      ? { network_status: 'approved_by_network', reason: null, seller_message: 'Payment complete.', type: 'authorized' }
      : {
          network_status: 'declined_by_network',
          reason: row.decline_code,
          seller_message: hardDecline ? 'The bank declined the payment; do not retry it.' : 'The bank did not return any further details with this decline.',
          type: 'issuer_declined',
        },
    paid: succeeded,
    payment_intent: paymentIntentIdOf(row.invoice_id),
    payment_method: row.payment_method_id,
    payment_method_details: row.card ? { card: row.card, type: 'card' } : null,
    refunded: succeeded && row.amount_refunded === row.amount,
    status: row.status,
  };
}

function paymentIntentStatus(invoice: InvoiceRow): PaymentIntentObject['status'] {
  if (invoice.status === 'paid') return 'succeeded';
  if (invoice.status === 'void') return 'canceled';
  return invoice.last_payment_error !== null || invoice.default_payment_method_id === null ? 'requires_payment_method' : 'requires_confirmation';
}

export function paymentIntentObject(invoice: InvoiceRow, latest: ChargeRow | null, workspace: WorkspaceRef): PaymentIntentObject {
  const error = invoice.last_payment_error;
  return {
    id: paymentIntentIdOf(invoice.id),
    object: 'payment_intent',
    amount: Number(invoice.amount_due),
    amount_capturable: 0,
    amount_received: Number(invoice.amount_paid),
    canceled_at: unixSecondsOrNull(invoice.voided_at),
    cancellation_reason: invoice.status === 'void' ? 'void_invoice' : null,
    capture_method: 'automatic',
    confirmation_method: 'automatic',
    created: unixSeconds(invoice.finalized_at ?? invoice.created_at),
    currency: invoice.currency,
    customer: invoice.customer_id,
    description: invoice.number ? `Invoice ${invoice.number}` : null,
    invoice: invoice.id,
    last_payment_error:
      invoice.status !== 'paid' && error
        ? { charge: latest?.status === 'failed' ? latest.id : null, code: error.code, decline_code: error.decline_code, message: error.message, payment_method: error.payment_method, type: error.type }
        : null,
    latest_charge: latest?.id ?? null,
    livemode: livemode(workspace),
    metadata: {},
    payment_method: latest?.payment_method_id ?? null,
    payment_method_types: ['card'],
    status: paymentIntentStatus(invoice),
  };
}

export function invoicePaymentObject(invoice: InvoiceRow, workspace: WorkspaceRef): InvoicePaymentObject {
  const status = invoice.status === 'paid' ? 'paid' : invoice.status === 'void' ? 'canceled' : 'open';
  return {
    id: invoicePaymentIdOf(invoice.id),
    object: 'invoice_payment',
    amount_paid: status === 'paid' ? Number(invoice.amount_paid) : null,
    amount_requested: Number(invoice.amount_due),
    created: unixSeconds(invoice.finalized_at ?? invoice.created_at),
    currency: invoice.currency,
    invoice: invoice.id,
    is_default: true,
    livemode: livemode(workspace),
    payment: { type: 'payment_intent', payment_intent: paymentIntentIdOf(invoice.id) },
    status,
    status_transitions: { canceled_at: unixSecondsOrNull(invoice.voided_at), paid_at: unixSecondsOrNull(invoice.paid_at) },
  };
}

/** The latest charge of each invoice, by invoice id. */
async function latestCharges(db: Executor, workspaceId: string, invoiceIds: readonly string[]): Promise<Map<string, ChargeRow>> {
  if (invoiceIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('charges')
    .selectAll()
    .distinctOn('invoice_id')
    .where('workspace_id', '=', workspaceId)
    .where('invoice_id', 'in', invoiceIds)
    .orderBy('invoice_id')
    .orderBy('attempt', 'desc')
    .execute();
  return new Map(rows.map((row) => [row.invoice_id, row]));
}

export async function retrieveCharge(ctx: Pick<RequestContext, 'db' | 'workspace'>, id: string): Promise<ChargeObject> {
  const row = hasPrefix(id, 'charge') ? await chargesWithCards(ctx.db, ctx.workspace.id).where('ch.id', '=', id).executeTakeFirst() : undefined;
  if (!row) throw resourceMissing('charge', id);
  return chargeObject(row, ctx.workspace);
}

export async function listCharges(ctx: RequestContext, params: ListChargesParams): Promise<{ data: ChargeObject[]; hasMore: boolean }> {
  let query = whereCreated(chargesWithCards(ctx.db, ctx.workspace.id), params.created, 'ch.created_at');
  if (params.customer !== undefined) query = query.where('ch.customer_id', '=', params.customer);
  if (params.payment_intent !== undefined) query = query.where('ch.invoice_id', '=', invoiceIdOf(params.payment_intent));
  const { rows, hasMore } = await paginate(query, params, 'ch.id');
  return { data: rows.map((row) => chargeObject(row, ctx.workspace)), hasMore };
}

export async function retrievePaymentIntent(ctx: RequestContext, id: string): Promise<PaymentIntentObject> {
  const invoice = await invoiceBehind(ctx.db, ctx.workspace.id, id, 'pi');
  if (!invoice) throw resourceMissing('payment_intent', id);
  const latest = await latestCharges(ctx.db, ctx.workspace.id, [invoice.id]);
  return paymentIntentObject(invoice, latest.get(invoice.id) ?? null, ctx.workspace);
}

/** Invoices that ask for money, paged by the derived ids' cursors. */
async function pageOfInvoices(ctx: RequestContext, params: ListPaymentIntentsParams & { invoice?: string }): Promise<{ rows: InvoiceRow[]; hasMore: boolean }> {
  let query = ctx.db.selectFrom('invoices').selectAll().where('workspace_id', '=', ctx.workspace.id).where('status', '!=', 'draft').where('amount_due', '>', 0n);
  query = whereCreated(query, params.created, 'created_at');
  if (params.customer !== undefined) query = query.where('customer_id', '=', params.customer);
  if (params.invoice !== undefined) query = query.where('id', '=', params.invoice);
  const cursor = (id: string | undefined) => (id === undefined ? undefined : invoiceIdOf(id));
  return paginate(query, { ...params, starting_after: cursor(params.starting_after), ending_before: cursor(params.ending_before) }, 'id');
}

export async function listPaymentIntents(ctx: RequestContext, params: ListPaymentIntentsParams): Promise<{ data: PaymentIntentObject[]; hasMore: boolean }> {
  const { rows, hasMore } = await pageOfInvoices(ctx, params);
  const latest = await latestCharges(ctx.db, ctx.workspace.id, rows.map((r) => r.id));
  return { data: rows.map((row) => paymentIntentObject(row, latest.get(row.id) ?? null, ctx.workspace)), hasMore };
}

export async function retrieveInvoicePayment(ctx: RequestContext, id: string): Promise<InvoicePaymentObject> {
  const invoice = await invoiceBehind(ctx.db, ctx.workspace.id, id, 'inpay');
  if (!invoice) throw resourceMissing('invoice_payment', id);
  return invoicePaymentObject(invoice, ctx.workspace);
}

export async function listInvoicePayments(ctx: RequestContext, params: ListInvoicePaymentsParams): Promise<{ data: InvoicePaymentObject[]; hasMore: boolean }> {
  const { rows, hasMore } = await pageOfInvoices(ctx, params);
  return { data: rows.map((row) => invoicePaymentObject(row, ctx.workspace)), hasMore };
}
