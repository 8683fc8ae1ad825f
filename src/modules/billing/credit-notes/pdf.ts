/**
 * Credit note PDFs, on the invoice PDF's layout (invoices/pdf.ts): the same header, lines
 * and totals blocks and formatting, in the customer's language, with the credit note's own
 * facts (its number, the invoice's, the reason) and where its total went.
 */
import { pdfFormatter, renderPdfDocument, type InvoicePdfInput, type TotalRow } from '../invoices/pdf.ts';
import type { CreditNoteReason } from './models.ts';
import { creditNoteLabels } from './pdf-labels.ts';

export interface CreditNotePdfInput {
  number: string;
  invoiceNumber: string | null;
  status: 'issued' | 'void';
  reason: CreditNoteReason | null;
  currency: string;
  locale: string;
  /** Unix seconds. */
  issuedAt: number;
  seller: { name: string };
  customer: InvoicePdfInput['customer'];
  lines: { description: string; quantity: number | null; amount: bigint }[];
  subtotal: bigint;
  discounts: { name: string; amount: bigint }[];
  taxes: { name: string; inclusive: boolean; amount: bigint }[];
  total: bigint;
  prePayment: bigint;
  refunded: bigint;
  creditedToBalance: bigint;
  outOfBand: bigint;
  memo: string | null;
}

export async function renderCreditNotePdf(input: CreditNotePdfInput, options: { compress?: boolean } = {}): Promise<Buffer> {
  const f = pdfFormatter(input.locale, input.currency);
  const words = creditNoteLabels(f.locale);
  const { labels, money } = f;
  const facts: [string, string][] = [[words.creditNoteNumber, input.number]];
  if (input.invoiceNumber !== null) facts.push([labels.invoiceNumber, input.invoiceNumber]);
  facts.push([labels.dateOfIssue, f.date(input.issuedAt)]);
  if (input.reason !== null) facts.push([words.reason, words.reasons[input.reason]]);

  const totals: TotalRow[] = [{ label: labels.subtotal, value: money(input.subtotal), ruleAbove: true }];
  for (const discount of input.discounts) {
    totals.push({ label: discount.name ? `${labels.discount} (${discount.name})` : labels.discount, value: money(-discount.amount) });
  }
  for (const tax of input.taxes) {
    const name = tax.name || labels.tax;
    totals.push({ label: tax.inclusive ? `${name} (${labels.inclusive})` : name, value: money(tax.amount) });
  }
  totals.push({ label: words.totalCredited, value: money(input.total), bold: true, ruleAbove: true });
  const parts: [string, bigint][] = [
    [words.offInvoice, input.prePayment],
    [words.refunded, input.refunded],
    [words.creditedToBalance, input.creditedToBalance],
    [words.outOfBand, input.outOfBand],
  ];
  for (const [label, amount] of parts) if (amount !== 0n) totals.push({ label, value: money(amount) });

  return renderPdfDocument(
    {
      title: words.creditNote,
      number: input.number,
      stamp: input.status === 'void' ? words.void : null,
      facts,
      issuedAt: input.issuedAt,
      seller: input.seller,
      customer: input.customer,
      lines: input.lines.map((line) => ({ ...line, periodStart: null, periodEnd: null })),
      totals,
      footer: input.memo,
    },
    f,
    options,
  );
}
