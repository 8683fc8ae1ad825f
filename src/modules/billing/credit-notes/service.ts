import { invalidRequest, resourceMissing } from '../../../lib/errors.ts';
import { hasPrefix } from '../../../lib/ids.ts';
import { DEFAULT_LIMIT, paginate, whereCreated } from '../../../lib/pagination.ts';
import { applyMetadata } from '../../../lib/params.ts';
import type { RequestContext } from '../../../server/context.ts';
import { adjustBalance } from '../../customers/balance.ts';
import { recordEvent, recordUpdate } from '../../events/service.ts';
import { billingTime } from '../../subscriptions/test-clocks/service.ts';
import { applyCredit, invoiceToCredit, type CreditContext } from '../invoices/credits.ts';
import type { InvoiceWithLines } from '../invoices/lifecycle.ts';
import type { CreditNoteRequest } from './draft.ts';
import { draftPreview, issueCreditNote } from './issue.ts';
import type { CreditNoteLineRow, CreditNoteRow } from './models.ts';
import { creditNoteLineObject, creditNoteObject, type CreditNoteRefund } from './objects.ts';
import type {
  CreateCreditNoteParams,
  CreditNoteLineObject,
  CreditNoteLinesParams,
  CreditNoteObject,
  ListCreditNotesParams,
  PreviewCreditNoteLinesParams,
  UpdateCreditNoteParams,
} from './schema.ts';

type Ctx = Pick<RequestContext, 'db' | 'workspace'>;

function requestOf(params: CreateCreditNoteParams): CreditNoteRequest {
  return {
    lines: params.lines,
    amount: params.amount,
    refund_amount: params.refund_amount,
    credit_amount: params.credit_amount,
    out_of_band_amount: params.out_of_band_amount,
    reason: params.reason,
    memo: params.memo,
    metadata: applyMetadata({}, params.metadata),
  };
}

async function findRow(ctx: Ctx, id: string, options: { lock?: boolean } = {}): Promise<CreditNoteRow> {
  let query = ctx.db.selectFrom('credit_notes').selectAll().where('workspace_id', '=', ctx.workspace.id).where('id', '=', id);
  if (options.lock) query = query.forUpdate();
  const row = hasPrefix(id, 'creditNote') ? await query.executeTakeFirst() : undefined;
  if (!row) throw resourceMissing('credit_note', id);
  return row;
}

/** The lines and refunds of some credit notes, by credit note id. */
async function partsOf(ctx: Ctx, ids: readonly string[]): Promise<{ lines: Map<string, CreditNoteLineRow[]>; refunds: Map<string, CreditNoteRefund[]> }> {
  const lines = new Map<string, CreditNoteLineRow[]>();
  const refunds = new Map<string, CreditNoteRefund[]>();
  if (ids.length === 0) return { lines, refunds };
  const [lineRows, refundRows] = await Promise.all([
    ctx.db.selectFrom('credit_note_lines').selectAll().where('workspace_id', '=', ctx.workspace.id).where('credit_note_id', 'in', ids).orderBy('credit_note_id').orderBy('position').execute(),
    ctx.db.selectFrom('refunds').select(['id', 'amount', 'credit_note_id']).where('workspace_id', '=', ctx.workspace.id).where('credit_note_id', 'in', ids).orderBy('id').execute(),
  ]);
  for (const line of lineRows) lines.set(line.credit_note_id, [...(lines.get(line.credit_note_id) ?? []), line]);
  for (const refund of refundRows) refunds.set(refund.credit_note_id, [...(refunds.get(refund.credit_note_id) ?? []), { id: refund.id, amount: refund.amount }]);
  return { lines, refunds };
}

async function objectOf(ctx: Ctx, row: CreditNoteRow): Promise<CreditNoteObject> {
  const parts = await partsOf(ctx, [row.id]);
  return creditNoteObject(row, parts.lines.get(row.id) ?? [], parts.refunds.get(row.id) ?? [], ctx.workspace);
}

export async function createCreditNote(ctx: RequestContext, params: CreateCreditNoteParams): Promise<CreditNoteObject> {
  return (await issueCreditNote(ctx, params.invoice, requestOf(params))).creditNote;
}

/** The credit note these parameters would issue now, with the number it would get; nothing is written. */
export async function previewCreditNote(ctx: RequestContext, params: CreateCreditNoteParams): Promise<CreditNoteObject> {
  const { row, lines } = await draftPreview(ctx, params.invoice, requestOf(params));
  return creditNoteObject(row, lines, [], ctx.workspace, { preview: true });
}

export async function previewCreditNoteLines(ctx: RequestContext, params: PreviewCreditNoteLinesParams): Promise<{ data: CreditNoteLineObject[]; hasMore: boolean }> {
  const { lines } = await draftPreview(ctx, params.invoice, requestOf(params));
  // A preview's lines are not stored and have no ids to page from: the first `limit` of them.
  const page = pageOfLines(lines, { limit: params.limit, starting_after: params.starting_after, ending_before: params.ending_before });
  return { data: page.rows.map((line) => creditNoteLineObject(line, ctx.workspace, null)), hasMore: page.hasMore };
}

export async function retrieveCreditNote(ctx: RequestContext, id: string): Promise<CreditNoteObject> {
  return objectOf(ctx, await findRow(ctx, id));
}

export async function listCreditNotes(ctx: RequestContext, params: ListCreditNotesParams): Promise<{ data: CreditNoteObject[]; hasMore: boolean }> {
  let query = whereCreated(ctx.db.selectFrom('credit_notes').selectAll().where('workspace_id', '=', ctx.workspace.id), params.created, 'created_at');
  if (params.invoice !== undefined) query = query.where('invoice_id', '=', params.invoice);
  if (params.customer !== undefined) query = query.where('customer_id', '=', params.customer);
  const { rows, hasMore } = await paginate(query, params, 'id');
  const parts = await partsOf(ctx, rows.map((r) => r.id));
  return { data: rows.map((row) => creditNoteObject(row, parts.lines.get(row.id) ?? [], parts.refunds.get(row.id) ?? [], ctx.workspace)), hasMore };
}

/** Lines in their order on the credit note, paged by line id. */
function pageOfLines(lines: readonly CreditNoteLineRow[], params: CreditNoteLinesParams): { rows: CreditNoteLineRow[]; hasMore: boolean } {
  if (params.starting_after && params.ending_before) {
    throw invalidRequest('You may only specify one of these parameters: starting_after, ending_before.', 'ending_before');
  }
  const limit = params.limit ?? DEFAULT_LIMIT;
  const at = (id: string, param: string) => {
    const index = lines.findIndex((line) => line.id === id);
    if (index === -1) throw resourceMissing('credit_note_line_item', id, param);
    return index;
  };
  if (params.ending_before) {
    const end = at(params.ending_before, 'ending_before');
    return { rows: lines.slice(Math.max(0, end - limit), end), hasMore: end - limit > 0 };
  }
  const start = params.starting_after ? at(params.starting_after, 'starting_after') + 1 : 0;
  return { rows: lines.slice(start, start + limit), hasMore: start + limit < lines.length };
}

export async function listCreditNoteLines(ctx: RequestContext, id: string, params: CreditNoteLinesParams): Promise<{ data: CreditNoteLineObject[]; hasMore: boolean }> {
  const row = await findRow(ctx, id);
  const lines = (await partsOf(ctx, [row.id])).lines.get(row.id) ?? [];
  const page = pageOfLines(lines, params);
  return { data: page.rows.map((line) => creditNoteLineObject(line, ctx.workspace)), hasMore: page.hasMore };
}

export async function updateCreditNote(ctx: RequestContext, id: string, params: UpdateCreditNoteParams): Promise<CreditNoteObject> {
  const current = await findRow(ctx, id, { lock: true });
  const updated = await ctx.db
    .updateTable('credit_notes')
    .set({
      ...(params.memo !== undefined ? { memo: params.memo } : {}),
      ...(params.metadata !== undefined ? { metadata: JSON.stringify(applyMetadata(current.metadata, params.metadata)) } : {}),
      updated_at: new Date(),
    })
    .where('workspace_id', '=', ctx.workspace.id)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  const parts = await partsOf(ctx, [id]);
  const object = (row: CreditNoteRow) => creditNoteObject(row, parts.lines.get(id) ?? [], parts.refunds.get(id) ?? [], ctx.workspace);
  const after = object(updated);
  recordUpdate(ctx, 'credit_note.updated', { ...object(current), id }, { ...after, id });
  return after;
}

/**
 * Voids a credit note: its credit is given back. What came off an open invoice is due again
 * (not once the invoice is paid: then the note stands), and what went to the customer's
 * balance is taken back from it. A credit note that refunded money cannot be voided: the
 * refund cannot be taken back. Records `credit_note.voided`.
 */
export async function voidCreditNote(ctx: RequestContext, id: string): Promise<CreditNoteObject> {
  // The invoice first, as issuing does, then the credit note.
  const invoice = await invoiceToCredit(ctx, (await findRow(ctx, id)).invoice_id, 'id', { lock: true });
  const current = await findRow(ctx, id, { lock: true });
  if (current.status === 'void') throw invalidRequest(`Credit note ${id} is already void.`, undefined, 'credit_note_voided');
  if (current.refund_amount > 0n) {
    throw invalidRequest(`Credit note ${id} refunded ${current.refund_amount} to the card, which cannot be taken back: it cannot be voided.`, undefined, 'credit_note_refunded');
  }
  if (current.pre_payment_amount > 0n && invoice.row.status !== 'open') {
    throw invalidRequest(`Credit note ${id} came off what invoice ${invoice.row.id} asked for, and the invoice is now ${invoice.row.status}: it cannot be voided.`, undefined, 'invoice_not_editable');
  }
  const now = await billingTime(ctx, invoice.row.test_clock_id);
  const voided = await ctx.db
    .updateTable('credit_notes')
    .set({ status: 'void', voided_at: now, updated_at: now })
    .where('workspace_id', '=', ctx.workspace.id)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  const object = await objectOf(ctx, voided);
  recordEvent(ctx, 'credit_note.voided', { ...object, id });
  await applyCredit(ctx, invoice, { pre: -current.pre_payment_amount, post: -current.post_payment_amount }, now);
  await adjustBalance(ctx, current.customer_id, current.credit_amount);
  return object;
}

/**
 * A refund failed (or was canceled) at the gateway after its credit note was issued: a note
 * that did nothing but refund, and none of whose refunds still stands, is voided with it, so
 * the invoice no longer counts it and the charge can be refunded again under a new one. A
 * note that also credited the balance, the invoice or out of band stands: it is the
 * business's to correct. The caller holds the invoice's lock (as issuing does).
 */
export async function voidIfOnlyFailedRefunds(ctx: CreditContext, invoice: InvoiceWithLines, creditNoteId: string, now: Date): Promise<void> {
  const note = await findRow(ctx, creditNoteId, { lock: true });
  if (note.status !== 'issued' || note.refund_amount !== note.total) return;
  const standing = await ctx.db
    .selectFrom('refunds')
    .select('id')
    .where('workspace_id', '=', ctx.workspace.id)
    .where('credit_note_id', '=', note.id)
    .where('status', 'in', ['pending', 'succeeded'])
    .executeTakeFirst();
  if (standing) return;
  const voided = await ctx.db
    .updateTable('credit_notes')
    .set({ status: 'void', voided_at: now, updated_at: now })
    .where('workspace_id', '=', ctx.workspace.id)
    .where('id', '=', note.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  recordEvent(ctx, 'credit_note.voided', { ...(await objectOf(ctx, voided)), id: note.id });
  await applyCredit(ctx, invoice, { pre: -note.pre_payment_amount, post: -note.post_payment_amount }, now);
}
