/**
 * The card-update page's words, per language (copy/en.ts, id.ts, da.ts, fr.ts, it.ts): the
 * languages the emails are written in, so a customer reads the page in the language of the
 * email that linked to it. Values arrive formatted and as plain text; the page escapes them.
 */
import { localeLanguage } from '../../billing/invoices/pdf-labels.ts';
import { da } from './copy/da.ts';
import { en } from './copy/en.ts';
import { fr } from './copy/fr.ts';
import { id } from './copy/id.ts';
import { it } from './copy/it.ts';

export interface PageCopy {
  /** The page's title and heading. */
  title: string;
  /** Above the form when no invoice waits (a card-expiring email's link). */
  cardIntro(business: string): string;
  /** Above the form when an invoice waits for the new card. */
  invoiceIntro(v: { business: string; number: string | null; amount: string }): string;
  invoiceNumber: string;
  amountDue: string;
  /** The card the link's email was about (it expires). */
  currentCard: string;
  cardLabel: string;
  /** Under the field in a sandbox: which test cards to type. */
  sandboxHint: string;
  sandboxBanner: string;
  submitPay: string;
  submitSave: string;
  paid(v: { number: string | null; amount: string }): string;
  saved: string;
  /** `message`: the gateway's decline message, as it gave it. */
  paymentFailed(message: string): string;
  refused(message: string): string;
  unknownCard: string;
  alreadyPaid(number: string | null): string;
  noLongerDue(number: string | null): string;
  unavailable(business: string): string;
  expiredTitle: string;
  expired(business: string): string;
  invalidTitle: string;
  invalid: string;
}

const COPY: Readonly<Record<string, PageCopy>> = Object.freeze({ en, id, da, fr, it });
export const PAGE_LANGUAGES = Object.keys(COPY);

/** The words for a locale that `emailLocale` chose (so always one of ours; English otherwise). */
export function pageCopy(locale: string): PageCopy {
  return COPY[localeLanguage(locale)] ?? en;
}
