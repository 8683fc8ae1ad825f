/**
 * Issuing a credit note, with the refund it makes (POST /v1/credit_notes with a
 * refund_amount, and POST /v1/refunds, whose refund gets its credit note here): locks, checks,
 * the gateway, then the writes.
 */
import { conflict, invalidRequest } from '../../../lib/errors.ts';
import type { RequestContext } from '../../../server/context.ts';
import { adjustBalance } from '../../customers/balance.ts';
import { recordEvent } from '../../events/service.ts';
import type { ChargeRow } from '../../payments/charges/models.ts';
import { chargeToRefund, paidChargeOf } from '../../payments/charges/refunded.ts';
import { refundableRest, refundAtGateway } from '../../payments/refunds/gateway.ts';
import type { RefundReason, RefundRow } from '../../payments/refunds/models.ts';
import { billingTime } from '../../subscriptions/test-clocks/service.ts';
import { applyCredit, invoiceToCredit } from '../invoices/credits.ts';
import type { InvoiceWithLines } from '../invoices/lifecycle.ts';
import { draftCreditNote, lineCreditOf, type CreditNoteDraft, type CreditNoteRequest, type InvoiceCredits } from './draft.ts';
import { sumCredits } from './math.ts';
import type { CreditNoteReason } from './models.ts';
import { creditNoteObject } from './objects.ts';
import type { CreditNoteObject } from './schema.ts';

/** What the invoice's credit notes have credited so far (void ones give theirs back). */
export async function invoiceCredits(ctx: Pick<RequestContext, 'db' | 'workspace'>, invoiceId: string): Promise<InvoiceCredits> {
  const notes = await ctx.db
    .selectFrom('credit_notes')
    .select(['id', 'status', 'total'])
    .where('workspace_id', '=', ctx.workspace.id)
    .where('invoice_id', '=', invoiceId)
    .execute();
  const issued = notes.filter((n) => n.status === 'issued');
  const lines =
    issued.length === 0
      ? []
      : await ctx.db
          .selectFrom('credit_note_lines')
          .selectAll()
          .where('workspace_id', '=', ctx.workspace.id)
          .where('credit_note_id', 'in', issued.map((n) => n.id))
          .where('type', '=', 'invoice_line_item')
          .execute();
  const byLine = new Map<string, ReturnType<typeof lineCreditOf>[]>();
  for (const line of lines) byLine.set(line.invoice_line_id as string, [...(byLine.get(line.invoice_line_id as string) ?? []), lineCreditOf(line)]);
  return {
    soFar: new Map([...byLine].map(([id, credits]) => [id, sumCredits(credits)])),
    creditedTotal: issued.reduce((sum, n) => sum + n.total, 0n),
    count: notes.length,
  };
}

/**
 * A concurrent duplicate of this request (the same Idempotency-Key) may have committed while
 * this one waited for the invoice: its changes are now visible and would make this one fail
 * (or refund what is left). A 409, which the SDK retries, gets the first answer replayed.
 */
async function refuseIfAnswered(ctx: RequestContext): Promise<void> {
  if (ctx.idempotencyKey === null) return;
  const answered = await ctx.db
    .selectFrom('idempotency_keys')
    .select('key')
    .where('workspace_id', '=', ctx.workspace.id)
    .where('key', '=', ctx.idempotencyKey)
    .executeTakeFirst();
  if (answered) throw conflict('A request with this Idempotency-Key was answered while this one waited; retry it to get that answer.', 'idempotency_key_in_use');
}

/** A refund POST /v1/refunds asks for: its credit note is made to fit it. */
export interface RefundRequest {
  chargeId: string;
  /** Undefined: what is left of the charge. */
  amount: bigint | undefined;
  reason: RefundReason | null;
  metadata: Record<string, string>;
}

const refundReasonOf = (reason: CreditNoteReason | null | undefined): RefundReason | null => (reason === 'duplicate' || reason === 'fraudulent' ? reason : null);
const creditNoteReasonOf = (reason: RefundReason | null): CreditNoteReason | null => (reason === 'requested_by_customer' ? null : reason);

/**
 * The refund's charge, locked (after the invoice: every path locks invoice, then charge),
 * and the credit note's parameters completed by it: a refund request's amount defaults to
 * what is left of the charge.
 */
async function refundedCharge(
  ctx: RequestContext,
  invoice: InvoiceWithLines,
  request: CreditNoteRequest,
  refund: RefundRequest | undefined,
  lock: boolean,
): Promise<{ charge: ChargeRow | undefined; request: CreditNoteRequest }> {
  if (refund) {
    const charge = await chargeToRefund(ctx, refund.chargeId, 'charge', { lock });
    const rest = refundableRest(charge, 'charge');
    const amount = refund.amount ?? rest;
    if (amount > rest) throw invalidRequest(`Refund amount (${amount}) is greater than what is left to refund of charge ${charge.id} (${rest}).`, 'amount', 'amount_too_large');
    return { charge, request: { ...request, amount: Number(amount), refund_amount: Number(amount) } };
  }
  if ((request.refund_amount ?? 0) === 0) return { charge: undefined, request };
  const charge = await paidChargeOf(ctx, invoice.row.id, { lock });
  if (!charge) throw invalidRequest(`Invoice ${invoice.row.id} was not paid by a charge: there is nothing to refund.`, 'refund_amount');
  const rest = refundableRest(charge, 'refund_amount');
  if (BigInt(request.refund_amount ?? 0) > rest) {
    throw invalidRequest(`refund_amount (${request.refund_amount}) is greater than what is left to refund of charge ${charge.id} (${rest}).`, 'refund_amount', 'amount_too_large');
  }
  return { charge, request };
}

/** The draft a request makes, checked; nothing written. `lock` holds the invoice and charge. */
async function draftFor(ctx: RequestContext, invoiceId: string, request: CreditNoteRequest, refund: RefundRequest | undefined, lock: boolean) {
  const invoice = await invoiceToCredit(ctx, invoiceId, refund ? 'charge' : 'invoice', { lock });
  if (lock) await refuseIfAnswered(ctx);
  const completed = await refundedCharge(ctx, invoice, refund ? { ...request, reason: request.reason ?? creditNoteReasonOf(refund.reason) ?? undefined } : request, refund, lock);
  const now = await billingTime(ctx, invoice.row.test_clock_id);
  const draft = draftCreditNote(invoice, await invoiceCredits(ctx, invoice.row.id), completed.request, now);
  return { invoice, charge: completed.charge, draft, now };
}

/** What POST /v1/credit_notes/preview shows: the credit note as it would be issued now. */
export async function draftPreview(ctx: RequestContext, invoiceId: string, request: CreditNoteRequest): Promise<CreditNoteDraft> {
  return (await draftFor(ctx, invoiceId, request, undefined, false)).draft;
}

/**
 * Issues a credit note: the refund at the gateway first (everything that could refuse the
 * request has been checked by then), then the credit note, its invoice's amounts and the
 * customer's balance. Records `credit_note.created` (after the refund's events).
 */
export async function issueCreditNote(
  ctx: RequestContext,
  invoiceId: string,
  request: CreditNoteRequest,
  refund?: RefundRequest,
): Promise<{ creditNote: CreditNoteObject; refund: RefundRow | null }> {
  const { invoice, charge, draft, now } = await draftFor(ctx, invoiceId, request, refund, true);
  const { row, lines } = draft;
  const made =
    charge && row.refund_amount > 0n
      ? await refundAtGateway(ctx, {
          charge,
          amount: row.refund_amount,
          reason: refund ? refund.reason : refundReasonOf(row.reason),
          metadata: refund?.metadata ?? {},
          creditNoteId: row.id,
          amountParam: refund ? 'amount' : 'refund_amount',
          now,
        })
      : null;
  await ctx.db
    .insertInto('credit_notes')
    .values({ ...row, discount_amounts: JSON.stringify(row.discount_amounts), total_taxes: JSON.stringify(row.total_taxes), metadata: JSON.stringify(row.metadata) })
    .execute();
  await ctx.db
    .insertInto('credit_note_lines')
    .values(lines.map((line) => ({ ...line, discount_amounts: JSON.stringify(line.discount_amounts), taxes: JSON.stringify(line.taxes), metadata: JSON.stringify(line.metadata) })))
    .execute();
  const object = creditNoteObject(row, lines, made ? [{ id: made.id, amount: made.amount }] : [], ctx.workspace);
  recordEvent(ctx, 'credit_note.created', { ...object, id: row.id });
  await applyCredit(ctx, invoice, { pre: row.pre_payment_amount, post: row.post_payment_amount }, now);
  // Stripe's sign: a negative balance is credit the customer holds.
  await adjustBalance(ctx, row.customer_id, -row.credit_amount);
  return { creditNote: object, refund: made };
}
