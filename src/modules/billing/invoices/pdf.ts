/**
 * Invoice PDFs: a pure function from an invoice's printable facts to PDF bytes.
 *
 * pdfkit with its built-in Helvetica, so there are no font files to ship; the price is that
 * those fonts only have WinAnsi (Windows-1252) glyphs, so every string goes through
 * `toWinAnsi` before it reaches pdfkit (see `put`). Amounts use `formatAmount` (ISO exponents,
 * decisions.md §15), dates are shown in UTC like every time Recur stores. The output is
 * byte-for-byte repeatable: the PDF's dates and file id come from `issuedAt`.
 */
import PDFDocument from 'pdfkit';
import { formatAmount } from '../../../lib/money.ts';
import { ENGLISH_LABELS, labelsForLocale, localeLanguage, type InvoicePdfLabels } from './pdf-labels.ts';

export interface InvoicePdfLine {
  description: string;
  quantity: number | null;
  /** Minor units; negative for credits such as unused time. */
  amount: bigint;
  /** Unix seconds. */
  periodStart: number | null;
  periodEnd: number | null;
}

export interface InvoicePdfAddress {
  line1: string | null;
  line2: string | null;
  city: string | null;
  state: string | null;
  postal_code: string | null;
  country: string | null;
}

export interface InvoicePdfInput {
  /** Null for a draft, which is stamped DRAFT instead. */
  number: string | null;
  status: 'draft' | 'open' | 'paid' | 'void' | 'uncollectible';
  /** Lowercase ISO 4217. */
  currency: string;
  /** BCP 47; a language without labels (or a malformed tag) renders the whole PDF in English. */
  locale: string;
  /** Unix seconds, like every time below. */
  issuedAt: number;
  dueDate: number | null;
  paidAt: number | null;
  seller: { name: string };
  customer: { name: string | null; email: string | null; address: InvoicePdfAddress | null };
  lines: InvoicePdfLine[];
  subtotal: bigint;
  /** Positive = money off. */
  discounts: { name: string; amount: bigint }[];
  taxes: { name: string; inclusive: boolean; amount: bigint }[];
  total: bigint;
  /** ≤ 0 when customer credit was used. */
  appliedBalance: bigint;
  amountDue: bigint;
  amountPaid: bigint;
  footer: string | null;
}

export async function renderInvoicePdf(input: InvoicePdfInput, options: { compress?: boolean } = {}): Promise<Buffer> {
  // async: a bad currency or locale rejects, as a failure while drawing does.
  const f = pdfFormatter(input.locale, input.currency);
  const number = input.number ?? f.labels.draft;
  const facts: [string, string][] = [[f.labels.invoiceNumber, number]];
  facts.push([f.labels.dateOfIssue, f.date(input.issuedAt)]);
  if (input.dueDate !== null) facts.push([f.labels.dateDue, f.date(input.dueDate)]);
  if (input.paidAt !== null) facts.push([f.labels.paidOn, f.date(input.paidAt)]);
  return renderPdfDocument(
    {
      title: f.labels.invoice,
      number,
      stamp: stampOf(input, f.labels),
      facts,
      issuedAt: input.issuedAt,
      seller: input.seller,
      customer: input.customer,
      lines: input.lines,
      totals: totalRows(input, f),
      footer: input.footer,
    },
    f,
    options,
  );
}

/**
 * What a printed billing document is made of, worded and formatted already: invoices
 * (above) and credit notes (billing/credit-notes/pdf.ts) share the layout.
 */
export interface PdfDocument {
  /** "Invoice", "Credit note", in the document's language. */
  title: string;
  number: string;
  /** Across every page (DRAFT, VOID), or null. */
  stamp: string | null;
  /** Label and value pairs under the title. */
  facts: [string, string][];
  /** Unix seconds: the PDF's own dates, so the output is repeatable. */
  issuedAt: number;
  seller: { name: string };
  customer: InvoicePdfInput['customer'];
  lines: InvoicePdfLine[];
  totals: TotalRow[];
  footer: string | null;
}

export interface TotalRow {
  label: string;
  value: string;
  bold?: boolean;
  ruleAbove?: boolean;
}

export function renderPdfDocument(document: PdfDocument, f: PdfFormatter, options: { compress?: boolean } = {}): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const issued = new Date(document.issuedAt * 1000);
    const doc = new PDFDocument({
      size: 'A4',
      margins: { top: 50, left: 50, right: 50, bottom: 60 },
      bufferPages: true, // "Page x of y" is written once the page count is known
      compress: options.compress ?? true,
      info: {
        Title: toWinAnsi(`${document.title} ${document.number}`),
        Author: toWinAnsi(document.seller.name),
        Producer: 'Recur',
        Creator: 'Recur',
        CreationDate: issued,
        ModDate: issued,
      },
    });
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    try {
      drawHeader(doc, document, f);
      drawLines(doc, document.lines, f);
      drawTotals(doc, document.totals);
      drawFooter(doc, document.footer);
      decoratePages(doc, document.stamp, f.labels);
      doc.end();
    } catch (error) {
      reject(error instanceof Error ? error : new Error(String(error)));
    }
  });
}

// --- WinAnsi ---

/** The characters above U+00FF that WinAnsi has (its 0x80–0x9F row). */
const WIN_ANSI_HIGH = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');

function isWinAnsi(char: string): boolean {
  const code = char.codePointAt(0) ?? 0;
  return (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || WIN_ANSI_HIGH.has(char);
}

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/**
 * Text the built-in fonts can print. pdfkit does not check: it writes each UTF-16 unit as
 * hex, so an emoji or a control character would corrupt the string instead of failing.
 * Taken one user-visible character (grapheme) at a time: spaces of any kind (Intl puts
 * U+00A0 and U+202F in fr/da amounts) become plain spaces, a letter with an accent WinAnsi
 * lacks loses the accent ("ễ" → "e"), invisible format characters go, and anything else
 * (an emoji, even one built of several code points) is one "?". Newlines stay: pdfkit starts
 * a new line on them.
 */
export function toWinAnsi(text: string): string {
  let out = '';
  for (const { segment } of graphemes.segment(text.replace(/\r\n?/g, '\n'))) {
    const char = segment.replace(/\p{Cf}/gu, '').normalize('NFC');
    if (char === '\n') out += char;
    else if (/^\s+$/u.test(char)) out += ' ';
    else if ([...char].every(isWinAnsi)) out += char;
    else if (char === '\u2212' || char === '\u2010' || char === '\u2011') out += '-'; // minus signs in some locales' numbers
    else {
      const base = char.normalize('NFD').replace(/\p{M}/gu, '');
      out += base !== '' && [...base].every(isWinAnsi) ? base : '?';
    }
  }
  return out;
}

// --- Formatting ---

export interface PdfFormatter {
  labels: InvoicePdfLabels;
  locale: string;
  money: (amount: bigint) => string;
  date: (seconds: number) => string;
  quantity: (quantity: number) => string;
}

/** Words, amounts and dates in `locale` (BCP 47), amounts in `currency`. */
export function pdfFormatter(requestedLocale: string, currency: string): PdfFormatter {
  // Without labels for the language, English throughout: English words with, say, German
  // dates would read worse than either. A malformed tag ("fr_FR") keeps its language alone.
  const labels = labelsForLocale(requestedLocale);
  let locale = 'en';
  if (labels) {
    try {
      locale = Intl.getCanonicalLocales(requestedLocale)[0] ?? 'en';
    } catch {
      locale = localeLanguage(requestedLocale);
    }
  }
  const dates = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' });
  const numbers = new Intl.NumberFormat(locale);
  return {
    labels: labels ?? ENGLISH_LABELS,
    locale,
    money: (amount) => formatAmount(amount, currency, locale),
    date: (seconds) => dates.format(new Date(seconds * 1000)),
    quantity: (quantity) => numbers.format(quantity),
  };
}

function period(line: InvoicePdfLine, f: PdfFormatter): string | null {
  const { periodStart: start, periodEnd: end } = line;
  if (start === null || end === null || start === end) {
    const only = start ?? end;
    return only === null ? null : f.date(only);
  }
  return `${f.date(start)} – ${f.date(end)}`;
}

/** Most countries write "postal city"; North America and Australia "city, state postal". */
function addressLines(address: InvoicePdfAddress | null, locale: string): string[] {
  if (!address) return [];
  const { line1, line2, city, state, postal_code: postal, country } = address;
  const join = (parts: (string | null)[], separator: string) => parts.filter(Boolean).join(separator);
  const cityLine = ['US', 'CA', 'AU'].includes(country?.toUpperCase() ?? '')
    ? join([join([city, state], ', '), postal], ' ')
    : join([join([postal, city], ' '), state], ', ');
  return [line1, line2, cityLine, country && regionName(country, locale)].filter((line): line is string => Boolean(line));
}

function regionName(country: string, locale: string): string {
  try {
    return new Intl.DisplayNames([locale], { type: 'region' }).of(country.toUpperCase()) ?? country;
  } catch {
    return country; // not a region code Intl accepts: print it as given
  }
}

function stampOf(input: InvoicePdfInput, labels: InvoicePdfLabels): string | null {
  if (input.status === 'draft') return labels.draft;
  if (input.status === 'void') return labels.void;
  return null;
}

// --- Drawing ---

type Doc = PDFKit.PDFDocument;

const REGULAR = 'Helvetica';
const BOLD = 'Helvetica-Bold';
const INK = '#1a1a1a';
const MUTED = '#6b7280';
const RULE = '#d1d5db';
const STAMP = '#b91c1c';

/** Table columns; A4 is 595 pt wide, the content 50–545. */
const DESCRIPTION = { x: 50, width: 280 };
const QTY = { x: 335, width: 60 };
const AMOUNT = { x: 400, width: 145 };
const TOTAL_LABEL = { x: 250, width: 150 };

/** Every string reaches pdfkit through here, so none skips `toWinAnsi`. */
function put(doc: Doc, text: string, x: number, y: number, options: PDFKit.Mixins.TextOptions = {}): void {
  doc.text(toWinAnsi(text), x, y, options);
}

function contentWidth(doc: Doc): number {
  return doc.page.width - doc.page.margins.left - doc.page.margins.right;
}

function rule(doc: Doc, y: number, from = doc.page.margins.left): void {
  doc.moveTo(from, y).lineTo(doc.page.width - doc.page.margins.right, y).lineWidth(0.5).strokeColor(RULE).stroke();
}

/** Starts a new page (and calls `onNewPage`) unless `height` more points fit on this one. */
function ensureSpace(doc: Doc, height: number, onNewPage?: () => void): void {
  if (doc.y + height <= doc.page.height - doc.page.margins.bottom) return;
  doc.addPage();
  onNewPage?.();
}

function drawHeader(doc: Doc, input: PdfDocument, f: PdfFormatter): void {
  const left = doc.page.margins.left;
  const width = contentWidth(doc);
  const top = doc.page.margins.top;
  doc.font(BOLD).fontSize(22).fillColor(INK);
  put(doc, input.title, left, top);
  if (input.stamp) {
    doc.fillColor(STAMP);
    put(doc, input.stamp, left, top, { width, align: 'right' });
  }

  let y = top + 40;
  doc.fontSize(10);
  for (const [label, value] of input.facts) {
    doc.font(BOLD).fillColor(INK);
    put(doc, label, left, y, { width: 120 });
    const labelBottom = doc.y;
    doc.font(REGULAR);
    put(doc, value, left + 125, y, { width: width - 125 });
    y = Math.max(doc.y, labelBottom) + 3;
  }

  // Seller on the left, customer on the right.
  const blockTop = y + 20;
  const half = width / 2;
  doc.font(BOLD).fontSize(10).fillColor(INK);
  put(doc, input.seller.name, left, blockTop, { width: half - 10 });
  const sellerBottom = doc.y;
  put(doc, f.labels.billTo, left + half, blockTop, { width: half });
  doc.font(REGULAR);
  const customer = [input.customer.name, ...addressLines(input.customer.address, f.locale), input.customer.email];
  for (const line of customer) {
    if (line) put(doc, line, left + half, doc.y + 2, { width: half });
  }
  doc.y = Math.max(sellerBottom, doc.y) + 30;
}

function drawTableHeader(doc: Doc, f: PdfFormatter): void {
  const y = doc.y;
  doc.font(BOLD).fontSize(9).fillColor(MUTED);
  put(doc, f.labels.description, DESCRIPTION.x, y, { width: DESCRIPTION.width });
  put(doc, f.labels.qty, QTY.x, y, { width: QTY.width, align: 'right' });
  put(doc, f.labels.amount, AMOUNT.x, y, { width: AMOUNT.width, align: 'right' });
  rule(doc, y + 14);
  doc.y = y + 22;
}

function drawLines(doc: Doc, lines: InvoicePdfLine[], f: PdfFormatter): void {
  drawTableHeader(doc, f);
  for (const line of lines) {
    const when = period(line, f);
    // Measure first so a row is never split between pages (unless it is taller than a page).
    const width = { width: DESCRIPTION.width };
    const descriptionHeight = doc.font(REGULAR).fontSize(10).heightOfString(toWinAnsi(line.description), width);
    const periodHeight = when ? doc.fontSize(8).heightOfString(toWinAnsi(when), width) + 2 : 0;
    ensureSpace(doc, descriptionHeight + periodHeight, () => drawTableHeader(doc, f));

    const y = doc.y;
    doc.font(REGULAR).fontSize(10).fillColor(INK);
    if (line.quantity !== null) put(doc, f.quantity(line.quantity), QTY.x, y, { width: QTY.width, align: 'right' });
    put(doc, f.money(line.amount), AMOUNT.x, y, { width: AMOUNT.width, align: 'right' });
    const amountBottom = doc.y;
    put(doc, line.description, DESCRIPTION.x, y, { width: DESCRIPTION.width });
    if (when) {
      doc.fontSize(8).fillColor(MUTED);
      put(doc, when, DESCRIPTION.x, doc.y + 2, { width: DESCRIPTION.width });
    }
    doc.y = Math.max(doc.y, amountBottom) + 8;
  }
}

/** An invoice's totals: subtotal, discounts, taxes, total, balance applied, due and paid. */
function totalRows(input: InvoicePdfInput, f: PdfFormatter): TotalRow[] {
  const { labels, money } = f;
  const rows: TotalRow[] = [{ label: labels.subtotal, value: money(input.subtotal), ruleAbove: true }];
  for (const discount of input.discounts) {
    const label = discount.name ? `${labels.discount} (${discount.name})` : labels.discount;
    rows.push({ label, value: money(-discount.amount) });
  }
  for (const tax of input.taxes) {
    const name = tax.name || labels.tax;
    rows.push({ label: tax.inclusive ? `${name} (${labels.inclusive})` : name, value: money(tax.amount) });
  }
  rows.push({ label: labels.total, value: money(input.total), bold: true, ruleAbove: true });
  if (input.appliedBalance !== 0n) rows.push({ label: labels.appliedBalance, value: money(input.appliedBalance) });
  rows.push({ label: labels.amountDue, value: money(input.amountDue), bold: true });
  if (input.amountPaid !== 0n || input.status === 'paid') {
    rows.push({ label: labels.amountPaid, value: money(input.amountPaid) });
  }
  return rows;
}

function drawTotals(doc: Doc, rows: readonly TotalRow[]): void {
  doc.y += 6;
  for (const row of rows) {
    doc.font(row.bold ? BOLD : REGULAR).fontSize(10).fillColor(INK);
    const label = toWinAnsi(row.label);
    ensureSpace(doc, doc.heightOfString(label, { width: TOTAL_LABEL.width }) + 8);
    if (row.ruleAbove) {
      rule(doc, doc.y, TOTAL_LABEL.x);
      doc.y += 6;
    }
    const y = doc.y;
    put(doc, label, TOTAL_LABEL.x, y, { width: TOTAL_LABEL.width });
    const labelBottom = doc.y;
    put(doc, row.value, AMOUNT.x, y, { width: AMOUNT.width, align: 'right' });
    doc.y = Math.max(doc.y, labelBottom) + 4;
  }
}

function drawFooter(doc: Doc, footer: string | null): void {
  if (!footer) return;
  const width = contentWidth(doc);
  const text = toWinAnsi(footer);
  doc.font(REGULAR).fontSize(9).fillColor(MUTED);
  doc.y += 24;
  const height = doc.heightOfString(text, { width });
  // Keep a short footer in one piece; a long one flows over pages by itself.
  if (height < doc.page.height / 2) ensureSpace(doc, height);
  put(doc, text, doc.page.margins.left, doc.y, { width });
}

/** The pager and, on drafts and void invoices, a faint diagonal stamp on every page. */
function decoratePages(doc: Doc, stamp: string | null, labels: InvoicePdfLabels): void {
  const { start, count } = doc.bufferedPageRange();
  for (let index = start; index < start + count; index += 1) {
    doc.switchToPage(index);
    const { width, height, margins } = doc.page;
    const bottomMargin = margins.bottom;
    // pdfkit adds a page for text below the bottom margin; the pager lives there.
    margins.bottom = 0;
    if (stamp) {
      const text = toWinAnsi(stamp);
      const size = Math.min(110, (Math.hypot(width, height) * 0.6) / doc.font(BOLD).fontSize(1).widthOfString(text));
      doc.save().rotate(-55, { origin: [width / 2, height / 2] });
      doc.fontSize(size).fillColor(STAMP, 0.12);
      put(doc, text, (width - doc.widthOfString(text)) / 2, (height - size * 0.7) / 2, { lineBreak: false });
      doc.restore();
    }
    if (count > 1) {
      doc.font(REGULAR).fontSize(8).fillColor(MUTED, 1);
      put(doc, labels.page(index - start + 1, count), margins.left, height - 40, {
        width: width - margins.left - margins.right,
        align: 'center',
        lineBreak: false,
      });
    }
    margins.bottom = bottomMargin;
  }
}
