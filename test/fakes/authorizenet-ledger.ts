/**
 * The state of the fake Authorize.net account: Accept.js nonces, customer profiles (CIM),
 * transactions and settlement batches, with the sandbox's documented test triggers
 * (developer.authorize.net/hello_world/testing_guide):
 * - billing ZIP 46282: a general decline (reason 2); ZIP 46205: AVS "N", declined by the
 *   account's AVS filter (reason 27);
 * - card code 901: CVV "N", declined by the account's card code filter (reason 65), where a
 *   card code is checked (live-mode validation: profiles do not keep card codes);
 * - card 4222222222222: the response reason whose number is the whole-dollar amount (the
 *   older guide's trigger), e.g. $8.00 → 8 "The credit card has expired.";
 * - an expired card: reason 8.
 * Amounts are kept in cents (the account settles in one two-decimal currency).
 */

export interface FakeCard {
  cardNumber: string;
  /** YYYY-MM. */
  expirationDate: string;
  cardCode?: string;
  zip?: string;
}

export interface FakePaymentProfile {
  id: string;
  card: FakeCard;
}

export interface FakeCustomerProfile {
  id: string;
  merchantCustomerId: string | undefined;
  description: string | undefined;
  email: string | undefined;
  paymentProfiles: FakePaymentProfile[];
}

export type FakeTransactionType = 'authCaptureTransaction' | 'refundTransaction';

export interface FakeTransaction {
  transId: string;
  transactionType: FakeTransactionType;
  transactionStatus: string;
  responseCode: number;
  reasonCode: number;
  /** The amount as sent ("12.34"). */
  amount: string;
  amountCents: bigint;
  invoiceNumber: string | undefined;
  description: string | undefined;
  refId: string | undefined;
  customerProfileId: string;
  paymentProfileId: string;
  refTransId: string | undefined;
  /** Milliseconds on the fake's clock. */
  submitTime: number;
  authCode: string;
  avs: string;
  cvv: string;
  card: FakeCard;
  /** The duplicateWindow setting it was sent with (part of what makes a repeat a duplicate). */
  duplicateWindow: number | undefined;
  batchId: string | null;
}

/** [response code, reason text] of the reasons the fake gives. */
export const REASONS: ReadonlyMap<number, readonly [number, string]> = new Map<number, readonly [number, string]>([
  [1, [1, 'This transaction has been approved.']],
  [2, [2, 'This transaction has been declined.']],
  [3, [2, 'This transaction has been declined.']],
  [4, [2, 'This transaction has been declined.']],
  [5, [3, 'A valid amount is required.']],
  [6, [3, 'The credit card number is invalid.']],
  [8, [3, 'The credit card has expired.']],
  [11, [3, 'A duplicate transaction has been submitted.']],
  [16, [3, 'The transaction cannot be found.']],
  [17, [3, 'The merchant does not accept this type of credit card.']],
  [19, [3, 'An error occurred during processing. Please try again in 5 minutes.']],
  [27, [2, 'The transaction has been declined because of an AVS mismatch. The address provided does not match billing address of cardholder.']],
  [44, [2, 'This transaction has been declined.']],
  [45, [2, 'This transaction has been declined.']],
  [54, [3, 'The referenced transaction does not meet the criteria for issuing a credit.']],
  [55, [3, 'The sum of credits against the referenced transaction would exceed original debit amount.']],
  [65, [2, 'This transaction has been declined.']],
  [250, [2, 'This transaction has been declined.']],
  [252, [4, 'Your order has been received. Thank you for your business!']],
  [310, [1, 'This transaction has already been voided.']],
]);

export function reason(code: number): readonly [number, string] {
  return REASONS.get(code) ?? [3, 'An error occurred during processing.'];
}

export function cardType(cardNumber: string): string {
  if (cardNumber.startsWith('4')) return 'Visa';
  if (/^(5[1-5]|2[2-7])/.test(cardNumber)) return 'MasterCard';
  if (/^3[47]/.test(cardNumber)) return 'AmericanExpress';
  if (cardNumber.startsWith('6011')) return 'Discover';
  if (cardNumber.startsWith('35')) return 'JCB';
  if (/^3[068]/.test(cardNumber)) return 'DinersClub';
  return 'Unknown';
}

/** What the processor says to a card, as the sandbox's triggers decide: a reason code, AVS and CVV results. */
export interface Outcome {
  reasonCode: number;
  avs: string;
  cvv: string;
}

export class AuthorizeNetLedger {
  readonly profiles = new Map<string, FakeCustomerProfile>();
  readonly transactions = new Map<string, FakeTransaction>();
  private readonly nonces = new Map<string, { card: FakeCard; issuedAt: number; used: boolean }>();
  private nextId = 500_000_000;
  private nextTransId = 60_000_000_000;
  private nextBatch = 1;
  private clockOffsetMs = 0;

  now(): number {
    return Date.now() + this.clockOffsetMs;
  }

  advance(seconds: number): void {
    this.clockOffsetMs += seconds * 1000;
  }

  newId(): string {
    return String(this.nextId++);
  }

  newTransId(): string {
    return String(this.nextTransId++);
  }

  /** Accept.js: the card goes to Authorize.net, the page gets a one-time nonce (15 minutes). */
  issueNonce(card: FakeCard): string {
    const [year, month] = card.expirationDate.split('-').map(Number);
    if (!year || !month || new Date(this.now()).toISOString().slice(0, 7) > card.expirationDate) {
      throw new Error('Accept.js: E_WC_08 Expiration date must be in the future.');
    }
    const dataValue = Buffer.from(JSON.stringify({ token: this.newTransId(), v: '1.1' })).toString('base64');
    this.nonces.set(dataValue, { card, issuedAt: this.now(), used: false });
    return dataValue;
  }

  /** The card behind a nonce, spending it; undefined when unknown, used or older than 15 minutes. */
  redeemNonce(dataValue: string): FakeCard | undefined {
    const nonce = this.nonces.get(dataValue);
    if (!nonce || nonce.used || this.now() - nonce.issuedAt > 15 * 60_000) return undefined;
    nonce.used = true;
    return nonce.card;
  }

  /** The sandbox's answer for a card and amount (cents); `validation` for a zero-amount check. */
  outcome(card: FakeCard, amountCents: bigint, validation: boolean): Outcome {
    const avs = card.zip === '46205' ? 'N' : card.zip ? 'Y' : 'P';
    const cvv = !validation || !card.cardCode ? 'P' : card.cardCode === '901' ? 'N' : 'M';
    const declined = (reasonCode: number): Outcome => ({ reasonCode, avs, cvv });
    if (new Date(this.now()).toISOString().slice(0, 7) > card.expirationDate) return declined(8);
    if (card.cardNumber === '4222222222222' && amountCents % 100n === 0n && REASONS.has(Number(amountCents / 100n))) {
      return declined(Number(amountCents / 100n));
    }
    if (card.zip === '46282') return declined(2);
    if (avs === 'N') return declined(27);
    if (cvv === 'N') return declined(65);
    return declined(1);
  }

  /** A repeat of an earlier transaction within its duplicate window (the fields Authorize.net compares). */
  duplicateOf(candidate: Omit<FakeTransaction, 'transId' | 'transactionStatus' | 'responseCode' | 'reasonCode' | 'authCode' | 'avs' | 'cvv' | 'batchId'>): FakeTransaction | undefined {
    const windowMs = (candidate.duplicateWindow ?? 120) * 1000;
    for (const earlier of this.transactions.values()) {
      if (
        earlier.transactionType === candidate.transactionType &&
        earlier.amountCents === candidate.amountCents &&
        earlier.invoiceNumber === candidate.invoiceNumber &&
        earlier.customerProfileId === candidate.customerProfileId &&
        earlier.paymentProfileId === candidate.paymentProfileId &&
        earlier.refTransId === candidate.refTransId &&
        earlier.duplicateWindow === candidate.duplicateWindow &&
        candidate.submitTime - earlier.submitTime < windowMs
      ) {
        return earlier;
      }
    }
    return undefined;
  }

  /** What has been refunded of a payment, in cents (refunds not refused). */
  refundedCents(transId: string): bigint {
    let total = 0n;
    for (const transaction of this.transactions.values()) {
      if (transaction.refTransId === transId && transaction.responseCode === 1) total += transaction.amountCents;
    }
    return total;
  }

  /** The nightly batch: unsettled transactions settle (those under review wait). */
  settle(): string {
    const batchId = String(this.nextBatch++);
    for (const transaction of this.transactions.values()) {
      if (transaction.batchId !== null || transaction.transactionStatus === 'FDSPendingReview') continue;
      transaction.batchId = batchId;
      if (transaction.transactionStatus === 'capturedPendingSettlement') transaction.transactionStatus = 'settledSuccessfully';
      if (transaction.transactionStatus === 'refundPendingSettlement') transaction.transactionStatus = 'refundSettledSuccessfully';
    }
    return batchId;
  }
}
