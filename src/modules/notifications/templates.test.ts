import { describe, expect, it } from 'vitest';
import { formatAmount } from '../../lib/money.ts';
import type { EmailTemplate } from './models.ts';
import { EMAIL_TEMPLATES } from './models.ts';
import { emailLocale, renderEmail, type EmailContent } from './templates/render.ts';

const paidAt = new Date(Date.UTC(2027, 2, 12, 23, 30)); // late in the day: still the 12th, in UTC
const portal = 'https://billing.example.com/portal/update?customer=cus_1&token=abc';

const samples: Record<EmailTemplate, EmailContent> = {
  receipt: {
    template: 'receipt',
    data: { invoiceNumber: 'ACME-0042', amountPaid: 123456n, currency: 'eur', paidAt, lines: [{ description: 'Pro plan', amount: 123456n }] },
  },
  invoice: { template: 'invoice', data: { invoiceNumber: 'ACME-0042', amountDue: 123456n, currency: 'eur', dueDate: paidAt } },
  payment_failed: {
    template: 'payment_failed',
    data: { invoiceNumber: 'ACME-0042', amountDue: 123456n, currency: 'eur', nextAttemptAt: paidAt, declineMessage: 'Your card has insufficient funds.', updateCardUrl: portal },
  },
  card_expiring: { template: 'card_expiring', data: { brand: 'visa', last4: '4242', expMonth: 3, expYear: 2027, updateCardUrl: portal } },
  refund: { template: 'refund', data: { amount: 123456n, currency: 'eur', invoiceNumber: 'ACME-0042' } },
  webhook_endpoint_disabled: {
    template: 'webhook_endpoint_disabled',
    data: { url: 'https://hooks.example.com/recur', failingSince: paidAt, dashboardUrl: 'https://billing.example.com/admin/developers/webhooks/we_1' },
  },
};

/** Words each language's version of each template must say (in the subject, then the text). */
const expected: Record<string, { greeting: string; date: string; subjects: Record<EmailTemplate, string> }> = {
  en: {
    greeting: 'Hi Jane,',
    date: 'March 12, 2027',
    subjects: {
      receipt: 'Your receipt from Acme (ACME-0042)',
      invoice: 'New invoice ACME-0042 from Acme',
      payment_failed: 'Your payment to Acme failed',
      card_expiring: 'Your card ending in 4242 expires soon',
      refund: 'Your refund from Acme',
      webhook_endpoint_disabled: 'Webhook endpoint disabled: https://hooks.example.com/recur',
    },
  },
  id: {
    greeting: 'Halo Jane,',
    date: '12 Maret 2027',
    subjects: {
      receipt: 'Tanda terima pembayaran dari Acme (ACME-0042)',
      invoice: 'Faktur baru ACME-0042 dari Acme',
      payment_failed: 'Pembayaran Anda kepada Acme gagal',
      card_expiring: 'Kartu Anda yang berakhiran 4242 akan segera kedaluwarsa',
      refund: 'Pengembalian dana dari Acme',
      webhook_endpoint_disabled: 'Endpoint webhook dinonaktifkan: https://hooks.example.com/recur',
    },
  },
  da: {
    greeting: 'Hej Jane',
    date: '12. marts 2027',
    subjects: {
      receipt: 'Din kvittering fra Acme (ACME-0042)',
      invoice: 'Ny faktura ACME-0042 fra Acme',
      payment_failed: 'Din betaling til Acme mislykkedes',
      card_expiring: 'Dit kort, der slutter på 4242, udløber snart',
      refund: 'Din refusion fra Acme',
      webhook_endpoint_disabled: 'Webhook-endpoint deaktiveret: https://hooks.example.com/recur',
    },
  },
  fr: {
    greeting: 'Bonjour Jane,',
    date: '12 mars 2027',
    subjects: {
      receipt: 'Votre reçu de la part de Acme (ACME-0042)',
      invoice: 'Nouvelle facture ACME-0042 de la part de Acme',
      payment_failed: 'Échec de votre paiement à Acme',
      card_expiring: 'Votre carte se terminant par 4242 expire bientôt',
      refund: 'Votre remboursement de la part de Acme',
      webhook_endpoint_disabled: 'Endpoint de webhook désactivé : https://hooks.example.com/recur',
    },
  },
  it: {
    greeting: 'Ciao Jane,',
    date: '12 marzo 2027',
    subjects: {
      receipt: 'La tua ricevuta da Acme (ACME-0042)',
      invoice: 'Nuova fattura ACME-0042 da Acme',
      payment_failed: 'Il tuo pagamento a Acme non è andato a buon fine',
      card_expiring: 'La tua carta che termina con 4242 sta per scadere',
      refund: 'Il tuo rimborso da Acme',
      webhook_endpoint_disabled: 'Endpoint webhook disattivato: https://hooks.example.com/recur',
    },
  },
};

const render = (content: EmailContent, locale: string, names: { business?: string; customerName?: string | null } = {}) =>
  renderEmail(content, { locale, business: names.business ?? 'Acme', customerName: names.customerName === undefined ? 'Jane' : names.customerName });

describe('email templates', () => {
  for (const [language, words] of Object.entries(expected)) {
    it(`write every template in ${language}`, () => {
      for (const template of EMAIL_TEMPLATES) {
        const email = render(samples[template], language);
        expect(email.subject, template).toBe(words.subjects[template]);
        expect(email.text, template).toContain(words.greeting);
        expect(email.html, template).toContain(`<html lang="${language}">`);
        // Not an English text with a translated subject: the English heading is nowhere.
        if (language !== 'en') {
          const english = render(samples[template], 'en');
          const heading = english.text.split('\n')[0] ?? '';
          expect(email.text, template).not.toContain(heading);
          expect(email.text, template).not.toContain('Thank you');
        }
      }
      const amount = formatAmount(123456n, 'eur', language);
      expect(render(samples.receipt, language).text).toContain(amount);
      expect(render(samples.receipt, language).text).toContain(words.date);
      expect(render(samples.invoice, language).text).toContain(words.date);
      expect(render(samples.payment_failed, language).text).toContain(words.date);
    });
  }

  it('format money for the customer: IDR with its ISO decimals, DKK and EUR with decimal commas', () => {
    const receipt = (currency: string, amount: bigint, locale: string) =>
      render({ template: 'receipt', data: { invoiceNumber: null, amountPaid: amount, currency, paidAt, lines: [] } }, locale).text;
    // decisions.md §15: amounts are shown with the ISO 4217 exponent, as on the invoice PDF (IDR has 2).
    expect(receipt('idr', 150_000_00n, 'id')).toMatch(/Rp\s150\.000,00/u);
    expect(receipt('dkk', 123456n, 'da')).toMatch(/på 1\.234,56\skr\. Tak!/u);
    expect(receipt('dkk', 123456n, 'da')).not.toContain('kr..'); // the amount's own full stop ends the sentence
    expect(receipt('eur', 123456n, 'fr')).toMatch(/1\s234,56\s€/u);
    expect(receipt('eur', 123456n, 'it')).toMatch(/1234,56\s€/u);
    expect(receipt('usd', 123456n, 'en')).toContain('$1,234.56');
    expect(receipt('jpy', 5000n, 'en')).toContain('¥5,000');
  });

  it('escape every value in the HTML and keep it as typed in the text', () => {
    const evil = '<script>alert("x")</script>';
    const email = render(
      {
        template: 'receipt',
        data: { invoiceNumber: 'A&B-1', amountPaid: 100n, currency: 'usd', paidAt, lines: [{ description: '<b>Pro</b> & "more"', amount: 100n }] },
      },
      'en',
      { business: "Tom & Jerry's", customerName: evil },
    );
    expect(email.html).not.toContain('<script>');
    expect(email.html).not.toContain('<b>');
    expect(email.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(email.html).toContain('&lt;b&gt;Pro&lt;/b&gt; &amp; &quot;more&quot;');
    expect(email.html).toContain('Tom &amp; Jerry&#39;s');
    expect(email.html).toContain('A&amp;B-1');
    expect(email.text).toContain(`Hi ${evil},`);
    expect(email.text).toContain('<b>Pro</b> & "more"');

    const link = render({ ...samples.payment_failed, data: { ...samples.payment_failed.data, updateCardUrl: 'https://x.example/p?a=1&b="2"' } } as EmailContent, 'en');
    expect(link.html).toContain('href="https://x.example/p?a=1&amp;b=%222%22"');
    expect(() => render({ ...samples.payment_failed, data: { ...samples.payment_failed.data, updateCardUrl: 'javascript:alert(1)' } } as EmailContent, 'en')).toThrow(/http/);
  });

  it('keep the subject on one line whatever the names hold', () => {
    const email = render(samples.refund, 'en', { business: 'Acme\r\nBcc: victim@example.com' });
    expect(email.subject).toBe('Your refund from Acme Bcc: victim@example.com');
    expect(email.subject).not.toMatch(/[\r\n]/);
  });

  it('greet without a name, leave out facts that are unknown, and link only when there is a link', () => {
    const invoice = render({ template: 'invoice', data: { invoiceNumber: 'ACME-1', amountDue: 500n, currency: 'usd', dueDate: null } }, 'en', { customerName: null });
    expect(invoice.text).toContain('Hello,');
    expect(invoice.text).toContain('It is due on receipt.');
    expect(invoice.text).not.toContain('Due date');
    const card = render({ template: 'card_expiring', data: { brand: 'mastercard', last4: '4444', expMonth: 11, expYear: 2026, updateCardUrl: null } }, 'da');
    expect(card.text).toContain('Mastercard •••• 4444');
    expect(card.text).toContain('november 2026');
    expect(card.html).not.toContain('<a ');
    expect(render(samples.card_expiring, 'fr').text).toContain(`Mettre à jour votre carte\u00a0: ${portal}`);
  });

  it("say why a payment failed, and when no retry will follow, say so instead of a date", () => {
    const retrying = render(samples.payment_failed, 'en');
    expect(retrying.text).toContain('Reason: Your card has insufficient funds.');
    expect(retrying.text).toContain('We will try again on March 12, 2027.');
    expect(retrying.text).toContain(`Update your card: ${portal}`);
    const last = render({ template: 'payment_failed', data: { ...samples.payment_failed.data, nextAttemptAt: null, declineMessage: null } } as EmailContent, 'fr');
    expect(last.text).toContain('Veuillez mettre à jour votre carte');
    expect(last.text).not.toContain('Prochaine tentative');
    expect(last.text).not.toContain('Motif du refus');
  });

  it('pick the first preferred locale it writes, else English', () => {
    expect(emailLocale(['ja', 'fr-CA', 'da'])).toBe('fr-CA');
    expect(emailLocale(['in'])).toBe('id'); // the retired code for Indonesian
    expect(emailLocale(['it_it'])).toBe('it-IT');
    expect(emailLocale(['not a tag', 'da-DK'])).toBe('da-DK');
    expect(emailLocale(['ja', 'de'])).toBe('en');
    expect(emailLocale([])).toBe('en');
  });
});
