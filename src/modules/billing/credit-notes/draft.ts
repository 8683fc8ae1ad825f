/**
 * A credit note drafted from its parameters and its invoice, before anything is written:
 * every check that can refuse it (400s naming the parameter) happens here, so that a credit
 * note that refunds is refused before the gateway is asked, never after.
 */
import { invalidRequest, missingParam } from '../../../lib/errors.ts';
import { newId } from '../../../lib/ids.ts';
import { applyMetadata } from '../../../lib/params.ts';
import type { InvoiceWithLines } from '../invoices/lifecycle.ts';
import type { InvoiceLineRow, StoredTaxAmount } from '../invoices/models.ts';
import {
  amountForQuantity,
  creditNoteTotals,
  creditOfLine,
  creditSplit,
  NOTHING_CREDITED,
  remainingAmount,
  spreadCredit,
  unitAmount,
  type ChargedLine,
  type CreditedSoFar,
  type LineCredit,
} from './math.ts';
import type { CreditNoteLineRow, CreditNoteReason, CreditNoteRow, StoredCreditedDiscount } from './models.ts';
import type { CreditNoteLineParam } from './schema.ts';

/** What the invoice's issued credit notes have credited so far. */
export interface InvoiceCredits {
  /** By invoice line id. */
  soFar: ReadonlyMap<string, CreditedSoFar>;
  /** The issued credit notes' totals, summed: at most the invoice's total. */
  creditedTotal: bigint;
  /** Credit notes the invoice has, void ones too (they keep their numbers). */
  count: number;
}

export interface CreditNoteRequest {
  lines?: CreditNoteLineParam[] | undefined;
  amount?: number | undefined;
  refund_amount?: number | undefined;
  credit_amount?: number | undefined;
  out_of_band_amount?: number | undefined;
  reason?: CreditNoteReason | undefined;
  memo?: string | undefined;
  metadata: Record<string, string>;
}

export interface CreditNoteDraft {
  row: CreditNoteRow;
  lines: CreditNoteLineRow[];
}

/** An invoice line as the arithmetic sees it. */
export function chargedLine(line: InvoiceLineRow): ChargedLine {
  return {
    id: line.id,
    amount: line.amount,
    quantity: line.quantity,
    discounts: line.discount_amounts.map((d) => ({ discount: d.discount, amount: BigInt(d.amount) })),
    taxes: line.taxes.map((t) => ({ taxRate: t.tax_rate, inclusive: t.inclusive, amount: BigInt(t.amount), taxableAmount: BigInt(t.taxable_amount) })),
  };
}

/** A line credit as stored (jsonb amounts as decimal strings, like invoice lines). */
function storedDiscounts(credit: LineCredit): StoredCreditedDiscount[] {
  return credit.discounts.filter((d) => d.amount !== 0n).map((d) => ({ discount: d.discount, amount: d.amount.toString() }));
}
function storedTaxes(credit: LineCredit): StoredTaxAmount[] {
  return credit.taxes.map((t) => ({ tax_rate: t.taxRate, amount: t.amount.toString(), inclusive: t.inclusive, taxable_amount: t.taxableAmount.toString() }));
}

type PlannedLine = Omit<CreditNoteLineRow, 'workspace_id' | 'credit_note_id' | 'position' | 'id' | 'discount_amount' | 'discount_amounts' | 'taxes'> & { credit: LineCredit };

function fromInvoiceLine(line: InvoiceLineRow, credit: LineCredit, quantity: bigint | null, metadata: Record<string, string>): PlannedLine {
  const unit = quantity !== null && line.quantity !== null ? unitAmount(line.amount, line.quantity) : { unit: null, decimal: null };
  return {
    type: 'invoice_line_item',
    invoice_line_id: line.id,
    description: line.description,
    quantity,
    unit_amount: unit.unit,
    unit_amount_decimal: unit.decimal,
    amount: credit.amount,
    metadata,
    credit,
  };
}

/** The credits `lines[]` asks for, each checked against what is left of its invoice line. */
function requestedLines(invoice: InvoiceWithLines, credits: InvoiceCredits, lines: readonly CreditNoteLineParam[]): PlannedLine[] {
  const seen = new Set<string>();
  return lines.map((line, i) => {
    const param = (name: string) => `lines[${i}][${name}]`;
    const metadata = applyMetadata({}, line.metadata);
    if (line.type === 'custom_line_item') {
      for (const name of ['invoice_line_item', 'amount'] as const) {
        if (line[name] !== undefined) throw invalidRequest(`${param(name)} is only for lines of type invoice_line_item.`, param(name));
      }
      if (line.unit_amount === undefined) throw missingParam(param('unit_amount'));
      const quantity = BigInt(line.quantity ?? 1);
      const amount = BigInt(line.unit_amount) * quantity;
      return {
        type: 'custom_line_item',
        invoice_line_id: null,
        description: line.description ?? null,
        quantity,
        unit_amount: BigInt(line.unit_amount),
        unit_amount_decimal: String(line.unit_amount),
        amount,
        metadata,
        credit: { amount, discounts: [], taxes: [] },
      } satisfies PlannedLine;
    }
    for (const name of ['description', 'unit_amount'] as const) {
      if (line[name] !== undefined) throw invalidRequest(`${param(name)} is only for lines of type custom_line_item.`, param(name));
    }
    if (line.invoice_line_item === undefined) throw missingParam(param('invoice_line_item'));
    const invoiceLine = invoice.lines.find((l) => l.id === line.invoice_line_item);
    if (!invoiceLine) throw invalidRequest(`Invoice ${invoice.row.id} has no line '${line.invoice_line_item}'.`, param('invoice_line_item'), 'resource_missing');
    if (seen.has(invoiceLine.id)) throw invalidRequest(`Line ${invoiceLine.id} is credited twice in this credit note.`, param('invoice_line_item'));
    seen.add(invoiceLine.id);
    if (invoiceLine.amount <= 0n) throw invalidRequest(`Line ${invoiceLine.id} charges nothing (it is ${invoiceLine.amount < 0n ? 'itself a credit' : 'zero'}): there is nothing to credit.`, param('invoice_line_item'));
    const charged = chargedLine(invoiceLine);
    const soFar = credits.soFar.get(invoiceLine.id) ?? NOTHING_CREDITED;
    const left = remainingAmount(charged, soFar);
    if (line.quantity !== undefined && line.amount !== undefined) throw invalidRequest(`Credit ${param('quantity')} or ${param('amount')}, not both.`, param('amount'));
    if (line.quantity !== undefined) {
      if (charged.quantity === null) throw invalidRequest(`Line ${invoiceLine.id} has no quantity: credit an amount of it.`, param('quantity'));
      // Stripe's rule: a line credited by amount can no longer be credited by units, and the reverse.
      if (soFar.byAmount) throw invalidRequest(`Line ${invoiceLine.id} was credited by amount before: credit an amount of it again.`, param('quantity'));
      const units = BigInt(line.quantity);
      if (units > charged.quantity - soFar.quantity) {
        throw invalidRequest(`Line ${invoiceLine.id} has ${charged.quantity - soFar.quantity} of its ${charged.quantity} units left to credit.`, param('quantity'));
      }
      const amount = amountForQuantity(charged, soFar, units);
      return fromInvoiceLine(invoiceLine, creditOfLine(charged, soFar, amount), units, metadata);
    }
    if (line.amount === undefined) throw missingParam(param('quantity'));
    if (soFar.quantity > 0n) throw invalidRequest(`Line ${invoiceLine.id} was credited by quantity before: credit a quantity of it again.`, param('amount'));
    const amount = BigInt(line.amount);
    if (amount > left) throw invalidRequest(`Line ${invoiceLine.id} has ${left} left to credit.`, param('amount'));
    return fromInvoiceLine(invoiceLine, creditOfLine(charged, soFar, amount), null, metadata);
  });
}

/** An `amount` alone: spread over the invoice's lines, their taxes with them (math.ts). */
function spreadLines(invoice: InvoiceWithLines, credits: InvoiceCredits, total: bigint): PlannedLine[] {
  const entries = invoice.lines.map((line) => ({ line: chargedLine(line), soFar: credits.soFar.get(line.id) ?? NOTHING_CREDITED }));
  const byId = new Map(invoice.lines.map((line) => [line.id, line]));
  return spreadCredit(entries, total).map(({ lineId, credit }) => fromInvoiceLine(byId.get(lineId) as InvoiceLineRow, credit, null, {}));
}

/**
 * Drafts the credit note: its lines, totals, number, and where its total goes (off what the
 * invoice still asks for first, the rest as the caller split it between refund, customer
 * balance and outside Recur, which must add up).
 */
export function draftCreditNote(invoice: InvoiceWithLines, credits: InvoiceCredits, request: CreditNoteRequest, now: Date): CreditNoteDraft {
  const inv = invoice.row;
  if (inv.status !== 'open' && inv.status !== 'paid') {
    throw invalidRequest(`Invoice ${inv.id} is ${inv.status}: only open and paid invoices can be credited.`, 'invoice', 'invoice_not_editable');
  }
  const creditable = inv.total - credits.creditedTotal;
  let planned: PlannedLine[];
  let amountParam: string;
  if (request.lines !== undefined && request.lines.length > 0) {
    planned = requestedLines(invoice, credits, request.lines);
    amountParam = 'lines';
  } else if (request.amount !== undefined) {
    const total = BigInt(request.amount);
    if (total > creditable) throw invalidRequest(`Invoice ${inv.id} has ${creditable > 0n ? creditable : 0n} left to credit.`, 'amount');
    planned = spreadLines(invoice, credits, total);
    amountParam = 'amount';
  } else {
    throw invalidRequest('Say what to credit: lines, or an amount.', 'lines', 'parameter_missing');
  }

  const totals = creditNoteTotals(planned.map((p) => p.credit));
  if (request.amount !== undefined && BigInt(request.amount) !== totals.total) {
    throw invalidRequest(`amount (${request.amount}) is not the total of the lines (${totals.total}).`, 'amount');
  }
  if (totals.total <= 0n) throw invalidRequest('A credit note must credit more than nothing.', amountParam);
  if (totals.total > creditable) {
    throw invalidRequest(`This credit note totals ${totals.total}; invoice ${inv.id} has ${creditable > 0n ? creditable : 0n} left to credit.`, amountParam);
  }

  const { pre, post } = creditSplit(totals.total, { status: inv.status, amountRemaining: inv.amount_remaining });
  const refund = BigInt(request.refund_amount ?? 0);
  const credit = BigInt(request.credit_amount ?? 0);
  const outOfBand = request.out_of_band_amount === undefined ? null : BigInt(request.out_of_band_amount);
  if (refund + credit + (outOfBand ?? 0n) !== post) {
    const given = (['refund_amount', 'credit_amount', 'out_of_band_amount'] as const).find((p) => (request[p] ?? 0) > 0);
    throw invalidRequest(
      post === 0n
        ? `This credit note's ${totals.total} comes off what invoice ${inv.id} still asks for; there is nothing to refund or credit elsewhere.`
        : `Invoice ${inv.id} ${pre > 0n ? `asks for only ${pre} more` : 'is paid'}: refund_amount, credit_amount and out_of_band_amount must add up to the other ${post} of this credit note.`,
      given ?? 'refund_amount',
    );
  }

  // Ids from the wall clock, not the billing time (whole seconds, or a test clock's): lists
  // page by id, which must follow the order credit notes were made in.
  const id = newId('creditNote');
  const discountAmount = totals.total_discount_amounts.reduce((sum, d) => sum + d.amount, 0n);
  const row: CreditNoteRow = {
    workspace_id: inv.workspace_id,
    id,
    invoice_id: inv.id,
    customer_id: inv.customer_id,
    number: `${inv.number ?? inv.id}-CN-${String(credits.count + 1).padStart(2, '0')}`,
    currency: inv.currency,
    status: 'issued',
    type: pre === 0n ? 'post_payment' : post === 0n ? 'pre_payment' : 'mixed',
    subtotal: totals.subtotal,
    discount_amount: discountAmount,
    discount_amounts: totals.total_discount_amounts.filter((d) => d.amount !== 0n).map((d) => ({ discount: d.couponId, amount: d.amount.toString() })),
    total_excluding_tax: totals.total_excluding_tax,
    total_taxes: totals.total_taxes.map((t) => ({ tax_rate: t.taxRateId, amount: t.amount.toString(), inclusive: t.inclusive, taxable_amount: t.taxableAmount.toString() })),
    total: totals.total,
    pre_payment_amount: pre,
    post_payment_amount: post,
    refund_amount: refund,
    credit_amount: credit,
    out_of_band_amount: outOfBand,
    reason: request.reason ?? null,
    memo: request.memo ?? null,
    metadata: request.metadata,
    voided_at: null,
    created_at: now,
    updated_at: now,
  };
  const lines = planned.map(({ credit: lineCredit, ...line }, position): CreditNoteLineRow => {
    const discounts = storedDiscounts(lineCredit);
    return {
      ...line,
      workspace_id: inv.workspace_id,
      credit_note_id: id,
      position,
      id: newId('creditNoteLine'),
      discount_amount: lineCredit.discounts.reduce((sum, d) => sum + d.amount, 0n),
      discount_amounts: discounts,
      taxes: storedTaxes(lineCredit),
    };
  });
  return { row, lines };
}

/** A stored credit note line as the credit it was (to sum what a line has had credited). */
export function lineCreditOf(line: CreditNoteLineRow): LineCredit & { quantity: bigint | null } {
  return {
    amount: line.amount,
    quantity: line.quantity,
    discounts: line.discount_amounts.map((d) => ({ discount: d.discount, amount: BigInt(d.amount) })),
    taxes: line.taxes.map((t) => ({ taxRate: t.tax_rate, inclusive: t.inclusive, amount: BigInt(t.amount), taxableAmount: BigInt(t.taxable_amount) })),
  };
}
