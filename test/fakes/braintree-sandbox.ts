/**
 * Braintree's documented sandbox test values (developer.paypal.com/braintree/docs/reference/
 * general/testing): the static nonces that stand for cards, and the transaction amounts that
 * choose the processor's answer. Used by the fake Braintree (braintree.ts).
 */

export interface TestCard {
  cardType: string;
  bin: string;
  last4: string;
  expirationMonth: string;
  expirationYear: string;
  countryOfIssuance: string;
  debit: 'Yes' | 'No' | 'Unknown';
  prepaid: 'Yes' | 'No' | 'Unknown';
}

/** What saving a nonce with `verify_card` does. */
export type NonceOutcome =
  | { kind: 'card'; card: TestCard; verification: 'verified' }
  | { kind: 'card'; card: TestCard; verification: 'processor_declined' | 'failed'; code: string }
  | { kind: 'card'; card: TestCard; verification: 'gateway_rejected'; reason: string }
  | { kind: 'invalid'; on: string; code: string; attribute: string; message: string };

const YEAR = String(new Date().getUTCFullYear() + 3);
const card = (cardType: string, number: string, extra: Partial<TestCard> = {}): TestCard => ({
  cardType,
  bin: number.slice(0, 6),
  last4: number.slice(-4),
  expirationMonth: '12',
  expirationYear: YEAR,
  countryOfIssuance: 'Unknown',
  debit: 'Unknown',
  prepaid: 'Unknown',
  ...extra,
});
const valid = (c: TestCard): NonceOutcome => ({ kind: 'card', card: c, verification: 'verified' });

export const NONCES: Readonly<Record<string, NonceOutcome>> = {
  'fake-valid-nonce': valid(card('Visa', '4012888888881881')),
  'fake-valid-visa-nonce': valid(card('Visa', '4111111111111111')),
  'fake-valid-mastercard-nonce': valid(card('MasterCard', '5555555555554444')),
  'fake-valid-amex-nonce': valid(card('American Express', '378282246310005')),
  'fake-valid-discover-nonce': valid(card('Discover', '6011111111111117')),
  'fake-valid-debit-nonce': valid(card('Visa', '4111111111111111', { debit: 'Yes', prepaid: 'No' })),
  'fake-valid-prepaid-nonce': valid(card('Visa', '4111111111111111', { prepaid: 'Yes' })),
  'fake-valid-country-of-issuance-usa-nonce': valid(card('Visa', '4111111111111111', { countryOfIssuance: 'USA' })),
  'fake-valid-country-of-issuance-cad-nonce': valid(card('Visa', '4111111111111111', { countryOfIssuance: 'CAN' })),
  // The card numbers behind these are the documented "unsuccessful verification" cards.
  'fake-processor-declined-visa-nonce': { kind: 'card', card: card('Visa', '4000111111111115'), verification: 'processor_declined', code: '2000' },
  'fake-processor-declined-mastercard-nonce': { kind: 'card', card: card('MasterCard', '5105105105105100'), verification: 'processor_declined', code: '2000' },
  'fake-processor-declined-amex-nonce': { kind: 'card', card: card('American Express', '378734493671000'), verification: 'processor_declined', code: '2000' },
  'fake-processor-declined-discover-nonce': { kind: 'card', card: card('Discover', '6011000990139424'), verification: 'processor_declined', code: '2000' },
  'fake-processor-failure-jcb-nonce': { kind: 'card', card: card('JCB', '3566002020360505'), verification: 'failed', code: '3000' },
  'fake-gateway-rejected-fraud-nonce': { kind: 'card', card: card('Visa', '4000111111111511'), verification: 'gateway_rejected', reason: 'fraud' },
  'fake-luhn-invalid-nonce': { kind: 'invalid', on: 'credit-card', code: '81715', attribute: 'number', message: 'Credit card number is invalid.' },
  'fake-consumed-nonce': { kind: 'invalid', on: 'payment-method', code: '93107', attribute: 'payment_method_nonce', message: 'Cannot use a payment_method_nonce more than once.' },
};

export const UNKNOWN_NONCE: NonceOutcome = {
  kind: 'invalid',
  on: 'payment-method',
  code: '93108',
  attribute: 'payment_method_nonce',
  message: 'Unknown or expired payment_method_nonce.',
};

/** Processor response texts (authorization responses) for the codes the fake gives. */
const RESPONSE_TEXTS: Readonly<Record<string, string>> = {
  '1000': 'Approved',
  '2000': 'Do Not Honor',
  '2001': 'Insufficient Funds',
  '2002': 'Limit Exceeded',
  '2003': "Cardholder's Activity Limit Exceeded",
  '2004': 'Expired Card',
  '2005': 'Invalid Credit Card Number',
  '2006': 'Invalid Expiration Date',
  '2007': 'No Account',
  '2010': 'Card Issuer Declined CVV',
  '2012': 'Processor Declined - Possible Lost Card',
  '2013': 'Processor Declined - Possible Stolen Card',
  '2014': 'Processor Declined - Fraud Suspected',
  '2015': 'Transaction Not Allowed',
  '2038': 'Processor Declined',
  '2044': 'Declined - Call Issuer',
  '2046': 'Declined',
  '2047': 'Call Issuer. Pick Up Card',
  '3000': 'Processor Network Unavailable - Try Again',
};
/** Codes Braintree reports as hard declines (processor-response-type). */
const HARD = new Set(['2004', '2005', '2007', '2012', '2013', '2014', '2015', '2047']);

export function responseText(code: string): string {
  return RESPONSE_TEXTS[code] ?? 'Processor Declined';
}

export function responseType(code: string): 'approved' | 'soft_declined' | 'hard_declined' {
  if (code.startsWith('1')) return 'approved';
  return HARD.has(code) ? 'hard_declined' : 'soft_declined';
}

/** What the processor answers for an amount, "regardless of the processing currency". */
export type AmountOutcome =
  | { status: 'authorized' }
  | { status: 'processor_declined' | 'failed'; code: string }
  | { status: 'gateway_rejected'; reason: string };

export function amountOutcome(amount: string): AmountOutcome {
  const [whole = '0', fraction = ''] = amount.split('.');
  const hundredths = BigInt(whole) * 100n + BigInt((fraction + '00').slice(0, 2));
  if (hundredths >= 200000n && hundredths <= 299999n) return { status: 'processor_declined', code: whole };
  if (hundredths >= 300000n && hundredths <= 300099n) return { status: 'failed', code: '3000' };
  if (hundredths === 500100n) return { status: 'gateway_rejected', reason: 'application_incomplete' };
  return { status: 'authorized' };
}
