import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { invalidRequest, resourceMissing } from '../../../../lib/errors.ts';
import { minorUnitExponent, toDecimalString } from '../../../../lib/money.ts';
import {
  chargeEach,
  type ChargeRequest,
  type ChargeResult,
  type Gateway,
  type GatewayConfig,
  type GatewayCustomer,
  type GatewayEvent,
  type GatewayWebhookRequest,
  type PaymentStatus,
  type RefundRequest,
  type RefundResult,
  type SavedPaymentMethod,
} from '../gateway.ts';
import type { AuthorizeNetCredentials } from './credentials.ts';
import { DUPLICATE_REASON, HELD_REASONS, mapDecline, refundFailureCode } from './declines.ts';
import { ProfileRef, saveCard, type Opaque } from './profiles.ts';
import {
  amountToMinor,
  apiError,
  createTransactionResponse,
  firstMessage,
  getTransactionDetailsResponse,
  parse,
  transactionListResponse,
  type TransactionDetails,
  type TransactionSummary,
} from './responses.ts';
import { AuthorizeNetUnavailableError, call, endpointFor, type MerchantAuthentication, type Operation } from './sdk.ts';
import { parseWebhook } from './webhooks.ts';

/**
 * The duplicate window sent with every charge and refund: Authorize.net's maximum, 8 hours.
 * Within it a repeat with the same invoice number, amount and card is refused with reason 11
 * and the original's transaction id, which the adapter reads back as the original's result.
 */
export const DUPLICATE_WINDOW_SECONDS = 28_800;

/** How many recent transactions each look-up by invoice number reads (the API's page maximum). */
const LOOKUP_PAGE = 1000;

const SUCCEEDED = new Set(['capturedPendingSettlement', 'settledSuccessfully', 'approvedReview', 'couldNotVoid']);
const PENDING = new Set(['FDSPendingReview', 'FDSAuthorizedPendingReview', 'underReview', 'authorizedPendingCapture', 'authorizedPendingRelease']);
const REFUNDED = new Set(['refundPendingSettlement', 'refundSettledSuccessfully']);

/**
 * A charge Authorize.net holds for review (response code 4, or a transaction still under
 * review): neither paid nor refused yet. Thrown, so the caller retries later with the same
 * idempotency key, which finds this transaction again and gets its outcome once decided.
 */
export class AuthorizeNetHeldError extends Error {
  override readonly name = 'AuthorizeNetHeldError';
  constructor(readonly transId: string | null) {
    super(`Authorize.net is holding transaction ${transId ?? '(no id)'} for review; the charge is neither paid nor refused yet.`);
  }
}

/**
 * An idempotency key as Authorize.net can carry it: invoice numbers and refIds hold 20
 * characters, so a key becomes the first 20 characters of its SHA-256 (base64url, 120 bits),
 * scoped so that a charge and a refund never share one.
 */
export function keyRef(scope: 'charge' | 'refund', idempotencyKey: string): string {
  return createHash('sha256').update(`${scope}:${idempotencyKey}`).digest('base64url').slice(0, 20);
}

export class AuthorizeNetGateway implements Gateway {
  readonly kind = 'authorizenet' as const;
  private readonly endpoint: string;
  private readonly auth: MerchantAuthentication;
  private readonly currency: string;

  constructor(private readonly config: GatewayConfig<AuthorizeNetCredentials>) {
    this.endpoint = endpointFor(config.environment, config.apiBase);
    this.auth = { name: config.credentials.api_login_id, transactionKey: config.credentials.transaction_key };
    this.currency = config.credentials.currency;
  }

  private async request<T>(operation: Operation, fields: Record<string, unknown>, schema: z.ZodType<T>): Promise<T> {
    return parse(schema, await call(this.endpoint, this.auth, operation, fields), operation);
  }

  async savePaymentMethod(token: string, customer: GatewayCustomer): Promise<SavedPaymentMethod> {
    // Sandbox cards are only checked field by field; live ones get a zero-amount authorization.
    const validationMode = this.config.environment === 'production' ? 'liveMode' : 'testMode';
    const saved = await saveCard((operation, fields, schema) => this.request(operation, fields, schema), parseToken(token), customer, validationMode);
    return { gatewayRef: saved.ref.toString(), card: saved.card };
  }

  /**
   * At most once, without an idempotency key at Authorize.net: the key becomes the invoice
   * number (and refId). First the transactions of the card's profile (settled) and the
   * account's unsettled ones are searched for that invoice number: a match is the earlier
   * attempt, whose result is returned. Then the charge is sent with the 8-hour duplicate
   * window, which catches an attempt the search could not see yet (one in flight, or lost on
   * the way back). What remains: a retry more than 8 hours after an attempt that is no longer
   * among the account's 1,000 most recent unsettled transactions and not yet settled, or
   * beyond the profile's 1,000 most recent, charges again.
   */
  async charge(request: ChargeRequest): Promise<ChargeResult> {
    this.assertCurrency(request.currency);
    if (request.amount <= 0n) throw invalidRequest('An Authorize.net charge needs a positive amount.', 'amount');
    const ref = ProfileRef.parse(request.gatewayRef);
    const invoiceNumber = keyRef('charge', request.idempotencyKey);
    const earlier = await this.findByInvoice(ref, invoiceNumber);
    if (earlier) return this.chargeOutcome(await this.details(earlier.transId));
    const response = await this.request(
      'createTransaction',
      {
        refId: invoiceNumber,
        transactionRequest: {
          transactionType: 'authCaptureTransaction',
          amount: toDecimalString(request.amount, request.currency.toLowerCase()),
          profile: ref.asPayment(),
          order: { invoiceNumber, description: request.description?.slice(0, 255) },
          transactionSettings: [{ settingName: 'duplicateWindow', settingValue: String(DUPLICATE_WINDOW_SECONDS) }],
        },
      },
      createTransactionResponse,
    );
    const transaction = response.transactionResponse;
    if (!transaction) {
      // E00040: the customer or payment profile is gone (deleted in the Merchant Interface).
      if (firstMessage(response).code === 'E00040') {
        return { status: 'failed', code: 'card_declined', declineCode: 'generic_decline', message: 'The saved card no longer exists at Authorize.net.', paymentRef: null };
      }
      throw apiError('createTransaction', response);
    }
    const transId = transaction.transId && transaction.transId !== '0' ? transaction.transId : null;
    const reason = transaction.errors?.[0]?.errorCode ?? transaction.messages?.[0]?.code ?? '';
    const reasonText = transaction.errors?.[0]?.errorText ?? transaction.messages?.[0]?.description;
    switch (transaction.responseCode) {
      case '1':
        if (!transId) throw new AuthorizeNetUnavailableError('Authorize.net approved a charge without a transaction id (is the account in Test Mode?)');
        return { status: 'succeeded', paymentRef: transId };
      case '4':
        throw new AuthorizeNetHeldError(transId);
      case '2':
      case '3':
        if (reason === DUPLICATE_REASON) return this.chargeOutcome(await this.details(this.original(transId)));
        if (reason === '13') throw new AuthorizeNetUnavailableError(`Authorize.net refused the API Login ID: ${reasonText ?? ''}`);
        return { status: 'failed', ...mapDecline(transaction.responseCode, reason, reasonText), paymentRef: transId };
      default:
        throw new AuthorizeNetUnavailableError(`Authorize.net answered a charge with response code ${transaction.responseCode}`);
    }
  }

  chargeMany(requests: readonly ChargeRequest[]): Promise<ChargeResult[]> {
    return chargeEach(this, requests);
  }

  /**
   * A settled payment is refunded (refundTransaction against it, to its profile); an unsettled
   * one can only be voided, whole. At most once as for charges: the key is the refund's
   * invoice number, searched for first and guarded by the duplicate window; a void is
   * idempotent by nature (a voided payment answers a repeat with success).
   */
  async refund(request: RefundRequest): Promise<RefundResult> {
    this.assertCurrency(request.currency);
    if (request.amount <= 0n) throw invalidRequest('An Authorize.net refund needs a positive amount.', 'amount');
    const payment = await this.details(request.paymentRef);
    const exponent = minorUnitExponent(this.currency);
    const authorized = amountToMinor(payment.authAmount, exponent) ?? 0n;
    const failed = (code: string, message: string): RefundResult => ({ status: 'failed', refundRef: null, code, message });
    if (payment.transactionType !== 'authCaptureTransaction') return failed('charge_not_refundable', `Transaction ${payment.transId} is not a payment.`);
    switch (payment.transactionStatus) {
      case 'capturedPendingSettlement':
        if (request.amount > authorized) return failed('amount_too_large', 'The refund is larger than the payment.');
        if (request.amount < authorized) {
          return failed('charge_not_settled', 'Authorize.net refunds part of a payment only once it has settled (usually the next day); until then it can only be refunded whole.');
        }
        return this.voidPayment(payment.transId);
      case 'voided':
        return request.amount === authorized ? { status: 'succeeded', refundRef: payment.transId } : failed('charge_already_refunded', 'The payment was voided.');
      case 'settledSuccessfully':
        return this.refundSettled(request, payment);
      default:
        return failed('charge_not_refundable', `Authorize.net cannot refund a payment whose status is ${payment.transactionStatus}.`);
    }
  }

  private async refundSettled(request: RefundRequest, payment: TransactionDetails): Promise<RefundResult> {
    const ref = payment.profile?.customerPaymentProfileId ? new ProfileRef(payment.profile.customerProfileId, payment.profile.customerPaymentProfileId) : null;
    const invoiceNumber = keyRef('refund', request.idempotencyKey);
    const earlier = await this.findByInvoice(ref, invoiceNumber);
    if (earlier) return this.refundOutcome(await this.details(earlier.transId));
    const lastFour = payment.payment?.creditCard?.cardNumber.slice(-4) ?? '';
    const response = await this.request(
      'createTransaction',
      {
        refId: invoiceNumber,
        transactionRequest: {
          transactionType: 'refundTransaction',
          amount: toDecimalString(request.amount, this.currency),
          ...(ref ? { profile: ref.asPayment() } : { payment: { creditCard: { cardNumber: lastFour, expirationDate: 'XXXX' } } }),
          refTransId: payment.transId,
          order: { invoiceNumber, description: request.reason ? `Refund (${request.reason})` : 'Refund' },
          transactionSettings: [{ settingName: 'duplicateWindow', settingValue: String(DUPLICATE_WINDOW_SECONDS) }],
        },
      },
      createTransactionResponse,
    );
    const transaction = response.transactionResponse;
    if (!transaction) throw apiError('createTransaction', response);
    const transId = transaction.transId && transaction.transId !== '0' ? transaction.transId : null;
    const reason = transaction.errors?.[0]?.errorCode ?? transaction.messages?.[0]?.code ?? '';
    if (transaction.responseCode === '1' && transId) return { status: 'succeeded', refundRef: transId };
    if (reason === DUPLICATE_REASON) return this.refundOutcome(await this.details(this.original(transId)));
    if (transaction.responseCode === '4') return { status: 'pending', refundRef: transId ?? '' };
    return { status: 'failed', refundRef: transId, code: refundFailureCode(reason), message: transaction.errors?.[0]?.errorText ?? 'The refund was refused.' };
  }

  private async voidPayment(transId: string): Promise<RefundResult> {
    const response = await this.request('createTransaction', { transactionRequest: { transactionType: 'voidTransaction', refTransId: transId } }, createTransactionResponse);
    const transaction = response.transactionResponse;
    // Reason 310, "This transaction has already been voided.", comes with response code 1.
    if (transaction?.responseCode === '1') return { status: 'succeeded', refundRef: transId };
    // Anything else (typically: it settled meanwhile) is retried: the payment's status decides again.
    throw new AuthorizeNetUnavailableError(`Authorize.net did not void ${transId}: ${transaction?.errors?.[0]?.errorText ?? firstMessage(response).text}`);
  }

  async retrievePayment(paymentRef: string): Promise<PaymentStatus> {
    const payment = await this.details(paymentRef);
    const exponent = minorUnitExponent(this.currency);
    const authorized = amountToMinor(payment.authAmount, exponent) ?? 0n;
    const settled = amountToMinor(payment.settleAmount, exponent) || authorized;
    const status = (value: PaymentStatus['status'], amount: bigint, amountRefunded: bigint): PaymentStatus => ({
      paymentRef: payment.transId,
      status: value,
      amount,
      amountRefunded,
      currency: this.currency,
    });
    const { transactionStatus } = payment;
    if (transactionStatus === 'voided') return status('succeeded', authorized, authorized);
    if (transactionStatus === 'settledSuccessfully') return status('succeeded', settled, await this.refundedAmount(payment, exponent));
    if (SUCCEEDED.has(transactionStatus)) return status('succeeded', settled, 0n);
    if (PENDING.has(transactionStatus)) return status('pending', authorized, 0n);
    return status('failed', 0n, 0n);
  }

  async parseWebhook(request: GatewayWebhookRequest): Promise<GatewayEvent> {
    return parseWebhook(request, this.config.credentials.signature_key, this.currency);
  }

  // --- helpers ---

  private assertCurrency(currency: string): void {
    if (currency.toLowerCase() !== this.currency) {
      throw invalidRequest(
        `This Authorize.net account settles in ${this.currency.toUpperCase()}; it cannot take ${currency.toUpperCase()}. Connect an account in that currency.`,
        'currency',
      );
    }
  }

  /** The original's id a duplicate (reason 11) carries, because the request set duplicateWindow. */
  private original(transId: string | null): string {
    if (!transId) throw new AuthorizeNetUnavailableError('Authorize.net reported a duplicate transaction without the original transaction id');
    return transId;
  }

  private async details(transId: string): Promise<TransactionDetails> {
    if (!/^\d+$/.test(transId)) throw resourceMissing('payment', transId, 'payment');
    const response = await this.request('getTransactionDetails', { transId }, getTransactionDetailsResponse);
    if (response.transaction) return response.transaction;
    if (firstMessage(response).code === 'E00040') throw resourceMissing('payment', transId, 'payment');
    throw apiError('getTransactionDetails', response);
  }

  /** A charge's outcome read from the transaction (an earlier attempt's, or a duplicate's original). */
  private chargeOutcome(transaction: TransactionDetails): ChargeResult {
    const { transId, transactionStatus } = transaction;
    if (SUCCEEDED.has(transactionStatus) || transactionStatus === 'voided') return { status: 'succeeded', paymentRef: transId };
    if (PENDING.has(transactionStatus) || HELD_REASONS.has(transaction.responseReasonCode ?? '')) throw new AuthorizeNetHeldError(transId);
    const decline = mapDecline(transaction.responseCode ?? '2', transaction.responseReasonCode ?? '', transaction.responseReasonDescription);
    return { status: 'failed', ...decline, paymentRef: transId };
  }

  private refundOutcome(transaction: TransactionDetails): RefundResult {
    if (REFUNDED.has(transaction.transactionStatus)) return { status: 'succeeded', refundRef: transaction.transId };
    if (PENDING.has(transaction.transactionStatus)) return { status: 'pending', refundRef: transaction.transId };
    const reason = transaction.responseReasonCode ?? '';
    return { status: 'failed', refundRef: transaction.transId, code: refundFailureCode(reason), message: transaction.responseReasonDescription ?? 'The refund was refused.' };
  }

  /** The earlier transaction made with this invoice number (so with this idempotency key), if any is visible. */
  private async findByInvoice(ref: ProfileRef | null, invoiceNumber: string): Promise<TransactionSummary | null> {
    const settled = ref ? await this.profileTransactions(ref) : [];
    const found = settled.find((transaction) => transaction.invoiceNumber === invoiceNumber);
    if (found) return found;
    return (await this.unsettledTransactions(ref)).find((transaction) => transaction.invoiceNumber === invoiceNumber) ?? null;
  }

  /** The payment profile's most recent transactions (getTransactionListForCustomer lists settled ones). */
  private async profileTransactions(ref: ProfileRef): Promise<TransactionSummary[]> {
    const response = await this.request(
      'getTransactionListForCustomer',
      { customerProfileId: ref.customerProfileId, customerPaymentProfileId: ref.paymentProfileId, ...recentFirst() },
      transactionListResponse,
    );
    if (response.messages.resultCode === 'Ok') return response.transactions ?? [];
    if (firstMessage(response).code === 'E00040') return []; // the profile is gone: it has no transactions
    throw apiError('getTransactionListForCustomer', response);
  }

  /** The account's most recent unsettled transactions, those of `ref` only when given. */
  private async unsettledTransactions(ref: ProfileRef | null): Promise<TransactionSummary[]> {
    const response = await this.request('getUnsettledTransactionList', recentFirst(), transactionListResponse);
    if (response.messages.resultCode !== 'Ok') throw apiError('getUnsettledTransactionList', response);
    const all = response.transactions ?? [];
    return ref ? all.filter((transaction) => ref.matches(transaction.profile)) : all;
  }

  /** What has been refunded of a settled payment: its refunds are transactions of the same profile. */
  private async refundedAmount(payment: TransactionDetails, exponent: number): Promise<bigint> {
    const profile = payment.profile;
    if (!profile?.customerPaymentProfileId) return 0n;
    const ref = new ProfileRef(profile.customerProfileId, profile.customerPaymentProfileId);
    const candidates = [...(await this.profileTransactions(ref)), ...(await this.unsettledTransactions(ref))].filter((transaction) => REFUNDED.has(transaction.transactionStatus));
    let refunded = 0n;
    for (const candidate of candidates) {
      const refund = await this.details(candidate.transId);
      if (refund.refTransId === payment.transId) refunded += amountToMinor(refund.settleAmount ?? refund.authAmount, exponent) ?? 0n;
    }
    return refunded;
  }
}

function recentFirst(): Record<string, unknown> {
  return { sorting: { orderBy: 'submitTimeUTC', orderDescending: true }, paging: { limit: LOOKUP_PAGE, offset: 1 } };
}

/** An Accept.js payment nonce, given as `<dataDescriptor>:<dataValue>`. */
function parseToken(token: string): Opaque {
  const colon = token.indexOf(':');
  const dataDescriptor = token.slice(0, colon);
  const dataValue = token.slice(colon + 1);
  if (colon <= 0 || !/^[A-Za-z0-9._]+$/.test(dataDescriptor) || dataValue.length === 0) {
    throw invalidRequest('An Authorize.net payment method token is Accept.js opaque data, given as "<dataDescriptor>:<dataValue>".', 'payment_method');
  }
  return { dataDescriptor, dataValue };
}

