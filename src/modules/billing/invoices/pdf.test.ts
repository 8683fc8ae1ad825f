import { describe, expect, it } from 'vitest';
import { formatAmount } from '../../../lib/money.ts';
import { shownText } from '../../../../test/helpers/pdf-text.ts';
import { renderInvoicePdf, toWinAnsi, type InvoicePdfInput, type InvoicePdfLine } from './pdf.ts';

const JAN_15_2027 = Date.UTC(2027, 0, 15) / 1000;
const FEB_15_2027 = Date.UTC(2027, 1, 15) / 1000;

function line(description: string, amount: bigint, rest: Partial<InvoicePdfLine> = {}): InvoicePdfLine {
  return { description, amount, quantity: null, periodStart: null, periodEnd: null, ...rest };
}

function invoice(overrides: Partial<InvoicePdfInput> = {}): InvoicePdfInput {
  return {
    number: 'RCR-0042',
    status: 'open',
    currency: 'usd',
    locale: 'en',
    issuedAt: JAN_15_2027,
    dueDate: FEB_15_2027,
    paidAt: null,
    seller: { name: 'Acme Software' },
    customer: {
      name: 'Jenny Rosen',
      email: 'jenny@example.com',
      address: { line1: '1 Main St', line2: null, city: 'Springfield', state: 'IL', postal_code: '62701', country: 'US' },
    },
    lines: [
      line('1 × Pro (at $20.00 / month)', 123_456n, { quantity: 1, periodStart: JAN_15_2027, periodEnd: FEB_15_2027 }),
      line('Unused time on Pro after 15 Jan 2027', -1_000n),
    ],
    subtotal: 122_456n,
    discounts: [{ name: 'SUMMER', amount: 2_456n }],
    taxes: [{ name: 'VAT 25%', inclusive: false, amount: 30_000n }],
    total: 150_000n,
    appliedBalance: 0n,
    amountDue: 150_000n,
    amountPaid: 0n,
    footer: 'Thank you for your business.',
    ...overrides,
  };
}

async function render(input: InvoicePdfInput): Promise<{ pdf: Buffer; text: string }> {
  const pdf = await renderInvoicePdf(input, { compress: false });
  return { pdf, text: shownText(pdf).join('\n') };
}

/** What an amount looks like once printed (Intl's no-break spaces become spaces). */
const printed = (amount: bigint, currency: string, locale: string) => toWinAnsi(formatAmount(amount, currency, locale));

const pageCount = (pdf: Buffer) => pdf.toString('latin1').match(/\/Type \/Page\b/g)?.length ?? 0;

describe('renderInvoicePdf', () => {
  it('renders the number, customer, lines and totals in English', async () => {
    const { pdf, text } = await render(invoice());
    expect(pdf.subarray(0, 4).toString()).toBe('%PDF');
    expect(text).toContain('RCR-0042');
    expect(text).toContain('Jenny Rosen');
    expect(text).toContain('Springfield, IL 62701');
    expect(text).toContain('United States');
    expect(text).toContain('$1,500.00'); // total and amount due
    expect(text).toContain('$1,234.56');
    expect(text).toContain('-$10.00'); // the credit line
    expect(text).toContain('-$24.56'); // the discount, as money off
    expect(text).toContain('January 15, 2027 – February 15, 2027');
    const labels = ['Invoice', 'Date of issue', 'Date due', 'Bill to', 'Subtotal', 'Discount (SUMMER)', 'VAT 25%', 'Amount due'];
    for (const label of labels) expect(text).toContain(label);
    expect(text).not.toContain('DRAFT');
    expect(pageCount(pdf)).toBe(1);
  });

  it('is byte-for-byte repeatable, and compressed by default', async () => {
    const first = await renderInvoicePdf(invoice());
    expect(first.equals(await renderInvoicePdf(invoice()))).toBe(true);
    expect(first.toString('latin1')).toContain('/FlateDecode');
    expect(shownText(first)).toEqual([]);
  });

  it('speaks Danish, with kr. amounts', async () => {
    const { text } = await render(invoice({ locale: 'da', currency: 'dkk' }));
    const labels = ['Faktura', 'Fakturanummer', 'Udstedelsesdato', 'Forfaldsdato', 'Faktureres til', 'I alt', 'Skyldigt beløb'];
    for (const label of labels) expect(text).toContain(label);
    expect(printed(150_000n, 'dkk', 'da')).toBe('1.500,00 kr.');
    expect(text).toContain('1.500,00 kr.');
    expect(text).toContain('15. januar 2027');
  });

  it('speaks French (fr-FR), printing the narrow no-break spaces of its amounts as spaces', async () => {
    const { text } = await render(invoice({ locale: 'fr-FR', currency: 'eur' }));
    const labels = ['Facture', 'Numéro de facture', 'Date d’émission', 'Facturer à', 'Sous-total', 'Montant dû'];
    for (const label of labels) expect(text).toContain(label);
    expect(formatAmount(150_000n, 'eur', 'fr-FR')).toMatch(/^1\u202f500,00\u00a0€$/);
    expect(text).toContain('1 500,00 €');
    expect(text).toContain('15 janvier 2027');
  });

  it('speaks Italian and Indonesian; IDR has 2 decimals as ISO says', async () => {
    const italian = await render(invoice({ locale: 'it', currency: 'eur' }));
    expect(italian.text).toContain('Fattura');
    expect(italian.text).toContain('Importo dovuto');
    expect(italian.text).toContain('1500,00 €'); // Italian groups only from 5 digits
    expect(italian.text).toContain('1234,56 €');

    const indonesian = await render(invoice({ locale: 'id', currency: 'idr' }));
    expect(indonesian.text).toContain('Faktur');
    expect(indonesian.text).toContain('Jumlah terutang');
    expect(indonesian.text).toContain(printed(150_000n, 'idr', 'id'));
    expect(indonesian.text).toContain('Rp 1.500,00');
  });

  it('falls back to English for languages without labels and for malformed tags', async () => {
    const german = await render(invoice({ locale: 'de-DE', currency: 'eur' }));
    expect(german.text).toContain('Amount due');
    expect(german.text).toContain('€1,500.00');

    const underscore = await render(invoice({ locale: 'fr_FR', currency: 'eur' }));
    expect(underscore.text).toContain('Montant dû');
    expect(underscore.text).toContain('1 500,00 €');
  });

  it('stamps a draft DRAFT, in place of the missing number too', async () => {
    const { text } = await render(invoice({ number: null, status: 'draft' }));
    expect(text.split('\n').filter((run) => run === 'DRAFT').length).toBeGreaterThanOrEqual(3); // title, number, watermark
    expect((await render(invoice({ status: 'void' }))).text).toContain('VOID');
    expect((await render(invoice({ number: null, status: 'draft', locale: 'da' }))).text).toContain('KLADDE');
  });

  it('shows paid, applied balance and inclusive tax rows when present', async () => {
    const { text } = await render(
      invoice({
        status: 'paid',
        paidAt: FEB_15_2027,
        taxes: [{ name: 'Moms 25%', inclusive: true, amount: 24_491n }],
        appliedBalance: -5_000n,
        amountDue: 145_000n,
        amountPaid: 145_000n,
      }),
    );
    expect(text).toContain('Paid on');
    expect(text).toContain('Moms 25% (incl.)');
    expect(text).toContain('Applied balance');
    expect(text).toContain('-$50.00');
    expect(text).toContain('Amount paid');
    expect(text).toContain('$1,450.00');
  });

  it('wraps long descriptions', async () => {
    const description = Array.from({ length: 40 }, (_, i) => `word${i}`).join(' ');
    const { text } = await render(invoice({ lines: [line(description, 100n, { quantity: 3 })] }));
    const runs = text.split('\n').filter((run) => run.includes('word'));
    expect(runs.length).toBeGreaterThan(1);
    expect(runs.join(' ')).toBe(description);
  });

  it('flows 200 lines over several pages, with a pager', async () => {
    const lines = Array.from({ length: 200 }, (_, i) =>
      line(`Seat ${i + 1}`, 1_000n, { quantity: 1, periodStart: JAN_15_2027, periodEnd: FEB_15_2027 }),
    );
    const { pdf, text } = await render(invoice({ lines }));
    const pages = pageCount(pdf);
    expect(pages).toBeGreaterThan(1);
    expect(text).toContain('Seat 1\n');
    expect(text).toContain('Seat 200\n');
    expect(text).toContain(`Page 1 of ${pages}`);
    expect(text).toContain(`Page ${pages} of ${pages}`);
    // The table header is repeated on every page with lines (the totals may start a page).
    expect(text.split('\n').filter((run) => run === 'Description').length).toBeGreaterThanOrEqual(pages - 1);
  });

  it('prints names outside WinAnsi as best it can instead of throwing', async () => {
    const { text } = await render(
      invoice({
        seller: { name: 'Łódź 🚀 GmbH' },
        customer: { name: 'Nguyễn 👩‍💻 Zoë\u0007 李', email: null, address: null },
        lines: [line('Tab\there ❤️', 1n)],
        footer: 'Line one\r\nLine two 🎉',
      }),
    );
    expect(text).toContain('?ódz ? GmbH');
    expect(text).toContain('Nguyen ? Zoë? ?');
    expect(text).toContain('Tab here ?');
    expect(text).toContain('Line one\nLine two ?');
  });

  it('refuses an unknown currency', async () => {
    await expect(renderInvoicePdf(invoice({ currency: 'xyz' }))).rejects.toThrow(RangeError);
  });
});

describe('toWinAnsi', () => {
  it('keeps what WinAnsi has', () => {
    expect(toWinAnsi('Beløb – “quoted” €5 × 2 Œuvre ™')).toBe('Beløb – “quoted” €5 × 2 Œuvre ™');
  });

  it('turns every kind of space into a plain one and keeps newlines', () => {
    expect(toWinAnsi('1\u202f500,00\u00a0€\tx\r\ny')).toBe('1 500,00 € x\ny');
  });

  it('drops accents WinAnsi lacks, invisible characters, and marks everything else', () => {
    expect(toWinAnsi('Dvořák Nguyễn')).toBe('Dvorák Nguyen');
    expect(toWinAnsi('e\u0301')).toBe('é'); // composed first
    expect(toWinAnsi('a\u200db\u00adc\ufeff')).toBe('abc');
    expect(toWinAnsi('q\u0301')).toBe('q'); // no precomposed form
    expect(toWinAnsi('\u2212 5')).toBe('- 5');
    expect(toWinAnsi('😀 ❤️ 👩‍💻 🇩🇰 中 \u0000 \u0085x')).toBe('? ? ? ? ? ? ?x'); // one ? per visible character
  });
});
