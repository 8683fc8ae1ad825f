/**
 * What the card-update page shows for a link, in the customer's language: the business, the
 * invoice waiting (number, amount due with `formatAmount`) or the card being replaced, what a
 * submitted card came to, and the form while there is something to do. Pure.
 */
import { formatAmount } from '../../../lib/money.ts';
import { brandName, emailLocale } from '../../notifications/templates/render.ts';
import { pageCopy } from './copy.ts';
import type { PageView } from './page.ts';
import type { CardForm, CardUpdateTarget, Outcome } from './service.ts';

/** The HTTP status a submission answers with: a refused or failed payment is a 402, as the API's. */
export function outcomeStatus(outcome: Outcome): number {
  switch (outcome.kind) {
    case 'refused':
    case 'payment_failed':
      return 402;
    case 'unknown_card':
      return 400;
    case 'unavailable':
      return 409;
    default:
      return 200;
  }
}

export function targetView(target: CardUpdateTarget, options: { form: CardForm | null; outcome: Outcome | null; nonce: string }): PageView {
  const locale = emailLocale(target.customer.preferredLocales);
  const copy = pageCopy(locale);
  const { invoice } = target;
  const money = (amount: bigint) => formatAmount(amount, invoice?.currency ?? 'usd', locale);
  const open = invoice === null || invoice.status === 'open';

  let notice: PageView['notice'] = null;
  const outcome = options.outcome ?? (!open && invoice ? (invoice.status === 'paid' ? { kind: 'already_paid' as const } : { kind: 'no_longer_due' as const }) : null);
  switch (outcome?.kind) {
    case 'paid':
      notice = { tone: 'success', text: copy.paid({ number: invoice?.number ?? null, amount: money(invoice?.amountPaid ?? 0n) }) };
      break;
    case 'saved':
      notice = { tone: 'success', text: copy.saved };
      break;
    case 'payment_failed':
      notice = { tone: 'error', text: copy.paymentFailed(outcome.message) };
      break;
    case 'refused':
      notice = { tone: 'error', text: copy.refused(outcome.message) };
      break;
    case 'unknown_card':
      notice = { tone: 'error', text: copy.unknownCard };
      break;
    case 'already_paid':
      notice = { tone: 'info', text: copy.alreadyPaid(invoice?.number ?? null) };
      break;
    case 'no_longer_due':
      notice = { tone: 'info', text: copy.noLongerDue(invoice?.number ?? null) };
      break;
    case 'unavailable':
    case undefined:
      break;
  }
  if (!options.form && open) notice = { tone: 'info', text: copy.unavailable(target.business) };

  const facts: PageView['facts'] = [];
  if (invoice?.number) facts.push([copy.invoiceNumber, invoice.number]);
  if (invoice && open) facts.push([copy.amountDue, money(invoice.amountRemaining)]);
  if (target.replaces) facts.push([copy.currentCard, `${brandName(target.replaces.brand)} •••• ${target.replaces.last4}`]);

  // Done: paid, or a card saved when nothing was waiting. Else, while open, another try.
  const done = outcome?.kind === 'paid' || outcome?.kind === 'saved' || !open;
  const intro = done ? null : invoice ? copy.invoiceIntro({ business: target.business, number: invoice.number, amount: money(invoice.amountRemaining) }) : copy.cardIntro(target.business);
  const sandbox = target.workspace.mode === 'sandbox';
  return {
    locale,
    title: copy.title,
    business: target.business,
    sandbox: sandbox ? { banner: copy.sandboxBanner } : null,
    notice,
    intro: options.form ? intro : null,
    facts,
    form:
      options.form && !done
        ? {
            label: copy.cardLabel,
            hint: options.form.kind === 'test' ? copy.sandboxHint : null,
            submit: invoice ? copy.submitPay : copy.submitSave,
            nonce: options.nonce,
          }
        : null,
  };
}

/** The link was real but its time is up: shown in the customer's language, nothing else. */
export function expiredView(target: CardUpdateTarget): PageView {
  const locale = emailLocale(target.customer.preferredLocales);
  const copy = pageCopy(locale);
  return { locale, title: copy.expiredTitle, business: target.business, sandbox: null, notice: null, intro: copy.expired(target.business), facts: [], form: null };
}

/** Not a link of ours (or naming what is not there): in the browser's language, since nobody is known. */
export function invalidView(acceptLanguage: string | undefined): PageView {
  const tags = (acceptLanguage ?? '')
    .split(',')
    .map((part) => part.split(';')[0]?.trim() ?? '')
    .filter((tag) => tag !== '' && tag !== '*')
    .slice(0, 20);
  const locale = emailLocale(tags);
  const copy = pageCopy(locale);
  return { locale, title: copy.invalidTitle, business: null, sandbox: null, notice: null, intro: copy.invalid, facts: [], form: null };
}
