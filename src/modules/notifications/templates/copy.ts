/**
 * The words of every email, per language: each language file (en.ts, id.ts, …) fills in
 * this shape. Values arrive already formatted for the language (amounts, dates) and are
 * plain text: the layout escapes everything when it writes HTML.
 */

/** One message's words, before the layout (greeting, sign-off, footer) is put around them. */
export interface Wording {
  subject: string;
  heading: string;
  paragraphs: string[];
  /** Label and value rows; a null value leaves its row out. */
  facts: Array<[label: string, value: string | null]>;
  /** The button's words, when the message has a link to act on. */
  action?: string;
}

export interface EmailCopy {
  /** Between a label and its value in the plain-text version (French spaces it: " : "). */
  colon: string;
  greeting(name: string | null): string;
  /** Before the business's name at the end ("Thank you,"). */
  closing: string;
  footer(business: string): string;
  receipt(v: { business: string; number: string | null; amount: string; date: string }): Wording;
  invoice(v: { business: string; number: string; amount: string; due: string | null }): Wording;
  /** `reason`: the decline message the payment gateway gave, as it gave it. */
  paymentFailed(v: { business: string; number: string | null; amount: string; nextAttempt: string | null; reason: string | null }): Wording;
  cardExpiring(v: { business: string; brand: string; last4: string; expiry: string }): Wording;
  refund(v: { business: string; number: string | null; amount: string }): Wording;
  /** To the account's owner, not a customer: the team's own footer goes under it. */
  webhookEndpointDisabled(v: { url: string; since: string }): Wording;
  teamFooter: string;
}

/**
 * Ends a sentence whose last word is a value: with a full stop, unless the value brings its
 * own ("1.234,56 kr.", "Acme Inc."), which then ends the sentence as in print.
 */
export function period(sentence: string): string {
  return sentence.endsWith('.') ? sentence : `${sentence}.`;
}
