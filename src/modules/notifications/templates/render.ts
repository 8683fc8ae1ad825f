/**
 * Writes a message: picks the language, formats amounts (lib/money.ts, ISO exponents) and
 * dates (Intl, in UTC like every time Recur stores) for the customer's locale, and puts the
 * language's words (en.ts, id.ts, da.ts, fr.ts, it.ts) into the shared layout.
 */
import { formatAmount } from '../../../lib/money.ts';
import { localeLanguage } from '../../billing/invoices/pdf-labels.ts';
import type { EmailTemplate } from '../models.ts';
import type { EmailCopy, Wording } from './copy.ts';
import { da } from './da.ts';
import { en } from './en.ts';
import { fr } from './fr.ts';
import { id } from './id.ts';
import { it } from './it.ts';
import { renderHtml, renderText } from './layout.ts';

const COPY: Readonly<Record<string, EmailCopy>> = Object.freeze({ en, id, da, fr, it });
export const EMAIL_LANGUAGES = Object.keys(COPY);

/** What each template is about; amounts in minor units of `currency` (lowercase ISO 4217). */
export interface TemplateData {
  receipt: {
    invoiceNumber: string | null;
    amountPaid: bigint;
    currency: string;
    paidAt: Date;
    lines: Array<{ description: string; amount: bigint }>;
  };
  invoice: { invoiceNumber: string; amountDue: bigint; currency: string; dueDate: Date | null };
  payment_failed: {
    invoiceNumber: string | null;
    amountDue: bigint;
    currency: string;
    /** Null: no retry will follow (a hard decline, the last retry made, no payment method). */
    nextAttemptAt: Date | null;
    /** Why the charge failed, as the payment gateway said it (e.g. "Your card has insufficient funds."). */
    declineMessage: string | null;
    /** Where the customer puts in a new card (the card-update page's signed link). */
    updateCardUrl: string;
  };
  card_expiring: { brand: string; last4: string; expMonth: number; expYear: number; updateCardUrl: string | null };
  refund: { amount: bigint; currency: string; invoiceNumber: string | null };
  /** To the account's owner: Recur stopped sending events to one of their endpoints. */
  webhook_endpoint_disabled: { url: string; failingSince: Date; dashboardUrl: string | null };
}

export type EmailContent = { [T in EmailTemplate]: { template: T; data: TemplateData[T] } }[EmailTemplate];

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

/** The customer's first preferred locale whose language we write, canonicalized; else en. */
export function emailLocale(preferredLocales: readonly string[]): string {
  for (const tag of preferredLocales) {
    const canonical = canonicalLocale(tag);
    if (canonical && Object.hasOwn(COPY, localeLanguage(canonical))) return canonical;
  }
  return 'en';
}

function canonicalLocale(tag: string): string | null {
  try {
    // "in" (the old code for Indonesian) becomes "id", "fr_ca" becomes "fr-CA".
    return Intl.getCanonicalLocales(tag.replace(/_/g, '-'))[0] ?? null;
  } catch (error) {
    if (error instanceof RangeError) return null; // not a language tag: the next one may be
    throw error;
  }
}

// Building an Intl.DateTimeFormat costs far more than using one; receipts are written per renewal.
const dateFormats = new Map<string, Intl.DateTimeFormat>();

function formatDate(date: Date, locale: string, precision: 'day' | 'month'): string {
  const key = `${locale}\u0000${precision}`;
  let format = dateFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(
      locale,
      precision === 'day' ? { dateStyle: 'long', timeZone: 'UTC' } : { month: 'long', year: 'numeric', timeZone: 'UTC' },
    );
    if (dateFormats.size < 1000) dateFormats.set(key, format);
  }
  return format.format(date);
}

const BRANDS: Readonly<Record<string, string>> = {
  amex: 'American Express',
  diners: 'Diners Club',
  discover: 'Discover',
  jcb: 'JCB',
  mastercard: 'Mastercard',
  unionpay: 'UnionPay',
  visa: 'Visa',
};

/** A card brand as people write it (`visa` → Visa), for emails and the card-update page. */
export function brandName(brand: string): string {
  return BRANDS[brand] ?? brand.charAt(0).toUpperCase() + brand.slice(1);
}

function linkUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new Error(`An email link must be http(s): ${url}`);
  return parsed.href;
}

/** Subjects are one header line: a name with a line break in it must not start another header. */
function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

export function renderEmail(content: EmailContent, context: { locale: string; business: string; customerName: string | null }): RenderedEmail {
  const { locale, business } = context;
  const copy = COPY[localeLanguage(locale)] ?? en;
  const money = (amount: bigint, currency: string) => formatAmount(amount, currency, locale);
  const day = (date: Date) => formatDate(date, locale, 'day');
  let wording: Wording;
  let lines: Array<[string, string]> = [];
  let actionUrl: string | null = null;
  switch (content.template) {
    case 'receipt': {
      const d = content.data;
      wording = copy.receipt({ business, number: d.invoiceNumber, amount: money(d.amountPaid, d.currency), date: day(d.paidAt) });
      lines = d.lines.map((line) => [line.description, money(line.amount, d.currency)]);
      break;
    }
    case 'invoice': {
      const d = content.data;
      wording = copy.invoice({ business, number: d.invoiceNumber, amount: money(d.amountDue, d.currency), due: d.dueDate ? day(d.dueDate) : null });
      break;
    }
    case 'payment_failed': {
      const d = content.data;
      wording = copy.paymentFailed({
        business,
        number: d.invoiceNumber,
        amount: money(d.amountDue, d.currency),
        nextAttempt: d.nextAttemptAt ? day(d.nextAttemptAt) : null,
        reason: d.declineMessage,
      });
      actionUrl = linkUrl(d.updateCardUrl);
      break;
    }
    case 'card_expiring': {
      const d = content.data;
      const expiry = formatDate(new Date(Date.UTC(d.expYear, d.expMonth - 1, 1)), locale, 'month');
      wording = copy.cardExpiring({ business, brand: brandName(d.brand), last4: d.last4, expiry });
      actionUrl = d.updateCardUrl === null ? null : linkUrl(d.updateCardUrl);
      break;
    }
    case 'refund': {
      const d = content.data;
      wording = copy.refund({ business, number: d.invoiceNumber, amount: money(d.amount, d.currency) });
      break;
    }
    case 'webhook_endpoint_disabled': {
      const d = content.data;
      wording = copy.webhookEndpointDisabled({ url: d.url, since: day(d.failingSince) });
      actionUrl = d.dashboardUrl === null ? null : linkUrl(d.dashboardUrl);
      break;
    }
  }
  const doc = {
    locale,
    colon: copy.colon,
    subject: oneLine(wording.subject),
    heading: wording.heading,
    greeting: copy.greeting(context.customerName),
    paragraphs: wording.paragraphs,
    facts: wording.facts.filter((fact): fact is [string, string] => fact[1] !== null),
    lines,
    action: actionUrl && wording.action ? { label: wording.action, url: actionUrl } : null,
    closing: copy.closing,
    business,
    footer: content.template === 'webhook_endpoint_disabled' ? copy.teamFooter : copy.footer(business),
  };
  return { subject: doc.subject, text: renderText(doc), html: renderHtml(doc) };
}
