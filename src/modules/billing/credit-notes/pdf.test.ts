import { describe, expect, it } from 'vitest';
import { shownText } from '../../../../test/helpers/pdf-text.ts';
import { formatAmount } from '../../../lib/money.ts';
import { toWinAnsi } from '../invoices/pdf.ts';
import { renderCreditNotePdf, type CreditNotePdfInput } from './pdf.ts';

const note = (overrides: Partial<CreditNotePdfInput> = {}): CreditNotePdfInput => ({
  number: 'RCR-0042-CN-01',
  invoiceNumber: 'RCR-0042',
  status: 'issued',
  reason: 'product_unsatisfactory',
  currency: 'eur',
  locale: 'en',
  issuedAt: Date.UTC(2027, 0, 15) / 1000,
  seller: { name: 'Acme Software' },
  customer: { name: 'Jenny Rosen', email: 'jenny@example.com', address: null },
  lines: [{ description: 'Pro plan', quantity: 1, amount: 10_000n }],
  subtotal: 10_000n,
  discounts: [],
  taxes: [{ name: 'VAT 25%', inclusive: false, amount: 2_500n }],
  total: 12_500n,
  prePayment: 0n,
  refunded: 7_500n,
  creditedToBalance: 5_000n,
  outOfBand: 0n,
  memo: 'Sorry about the outage.',
  ...overrides,
});

const text = async (input: CreditNotePdfInput) => shownText(await renderCreditNotePdf(input, { compress: false })).join('\n');
const printed = (amount: bigint, locale: string) => toWinAnsi(formatAmount(amount, 'eur', locale));

describe('renderCreditNotePdf', () => {
  it('prints its number, its invoice, the reason, the tax credited and where the total went', async () => {
    const shown = await text(note());
    for (const expected of ['Credit note', 'RCR-0042-CN-01', 'RCR-0042', 'Product unsatisfactory', 'VAT 25%', 'Total credited', 'Refunded to the payment method', 'Credited to the account balance', 'Sorry about the outage.']) {
      expect(shown).toContain(expected);
    }
    expect(shown).toContain(printed(12_500n, 'en'));
    expect(shown).not.toContain('Taken off the invoice');
    expect(shown).not.toContain('VOID');
  });

  it('speaks the customer’s language, amounts in its format, and stamps a void note', async () => {
    const french = await text(note({ locale: 'fr-FR', status: 'void' }));
    for (const expected of ['Avoir', 'Numéro d’avoir', 'Produit insatisfaisant', 'Total crédité', 'ANNULÉ', printed(12_500n, 'fr-FR')]) expect(french).toContain(toWinAnsi(expected));
    const danish = await text(note({ locale: 'da', prePayment: 12_500n, refunded: 0n, creditedToBalance: 0n }));
    for (const expected of ['Kreditnota', 'Fratrukket fakturaen', printed(12_500n, 'da')]) expect(danish).toContain(toWinAnsi(expected));
    expect(await text(note({ locale: 'id' }))).toContain('Nota kredit');
    expect(await text(note({ locale: 'it' }))).toContain('Nota di credito');
    expect(await text(note({ locale: 'ja' }))).toContain('Credit note');
  });
});
