import { BraintreeGateway as BraintreeSdk, Environment } from 'braintree';
import type { ErrorResult, MerchantAccount, Transaction } from 'braintree';
import { ApiError, invalidRequest, resourceMissing } from '../../../../lib/errors.ts';
import {
  chargeEach,
  GatewayWebhookError,
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
import { alpha2FromAlpha3 } from './countries.ts';
import type { BraintreeCredentials } from './credentials.ts';
import { cardBrand, cardFunding, failureOf, fromBraintreeAmount, orderIdFor, refundStatus, saleStatus, toBraintreeAmount } from './mapping.ts';
import { eventOf } from './webhooks.ts';

/**
 * Braintree through its official Node SDK. A saved card is a payment method in Braintree's
 * vault under a Braintree customer whose id is Recur's customer id; `gatewayRef` is the
 * payment method's token.
 *
 * Braintree has no idempotency keys. A charge or refund carries an order id derived from
 * the key (`orderIdFor`), and before moving money the adapter searches for a transaction
 * with that order id and returns it if there is one. The window that remains: two calls
 * with one key at the same moment (both search, find nothing, both charge), and a retry
 * made before Braintree's search index shows the first transaction (normally seconds).
 * Recur retries a charge only on a later run, so the second is the one that matters.
 */
export class BraintreeGateway implements Gateway {
  readonly kind = 'braintree' as const;
  private readonly sdk: BraintreeSdk;
  /** Currency → merchant account, asked of Braintree once per adapter when not configured. */
  private merchantAccounts: Promise<ReadonlyMap<string, string>> | null = null;

  constructor(private readonly config: GatewayConfig<BraintreeCredentials>) {
    this.sdk = new BraintreeSdk({
      environment: environmentFor(config),
      merchantId: config.credentials.merchant_id,
      publicKey: config.credentials.public_key,
      privateKey: config.credentials.private_key,
    });
  }

  async savePaymentMethod(token: string, customer: GatewayCustomer): Promise<SavedPaymentMethod> {
    await sdkCall(this.ensureCustomer(customer));
    const result = await sdkCall(this.sdk.paymentMethod.create({ customerId: customer.id, paymentMethodNonce: token, options: { verifyCard: true } }));
    if (!result.success) throw saveRefusal(result);
    const card = result.paymentMethod;
    if (!card.last4 || !card.cardType) {
      throw new ApiError(400, 'invalid_request_error', 'Only cards can be saved through Braintree: this nonce is another kind of payment method.', { param: 'payment_method' });
    }
    return {
      gatewayRef: card.token,
      card: {
        brand: cardBrand(card.cardType),
        last4: card.last4,
        exp_month: Number(card.expirationMonth ?? 0),
        exp_year: Number(card.expirationYear ?? 0),
        funding: cardFunding(card),
        country: alpha2FromAlpha3(card.countryOfIssuance),
      },
    };
  }

  /** The Braintree customer whose id is Recur's, created on first use. */
  private async ensureCustomer(customer: GatewayCustomer): Promise<void> {
    try {
      await this.sdk.customer.find(customer.id);
      return;
    } catch (error) {
      if (!isSdkError(error, 'notFoundError')) throw error;
    }
    const created = await this.sdk.customer.create({
      id: customer.id,
      ...(customer.email ? { email: customer.email } : {}),
      // Braintree splits names; the whole name as the first name reads right in its Control Panel.
      ...(customer.name ? { firstName: customer.name.slice(0, 255) } : {}),
    });
    // 91609: the id is taken, by a save of the same customer running at the same time.
    if (created.success || errorCodes(created).includes('91609')) return;
    throw new ApiError(400, 'invalid_request_error', `Braintree refused the customer: ${created.message}`, { param: 'customer' });
  }

  async charge(request: ChargeRequest): Promise<ChargeResult> {
    const merchantAccountId = await this.merchantAccountFor(request.currency);
    const orderId = orderIdFor('charge', request.idempotencyKey);
    const earlier = firstResult(await this.searchByOrderId(orderId, 'sale'));
    if (earlier) return chargeResultOf(earlier);
    const result = await sdkCall(
      this.sdk.transaction.sale({
        amount: toBraintreeAmount(request.amount, request.currency),
        paymentMethodToken: request.gatewayRef,
        orderId,
        merchantAccountId,
        options: { submitForSettlement: true },
      }),
    );
    if (result.success) return { status: 'succeeded', paymentRef: result.transaction.id };
    if (result.transaction) return chargeResultOf(result.transaction);
    // 91518: no payment method with this token (deleted in the Control Panel): a hard
    // decline, so that dunning stops retrying a card that no longer exists.
    if (errorCodes(result).includes('91518')) {
      return { status: 'failed', code: 'card_declined', declineCode: 'invalid_account', message: `Braintree: ${result.message}`, paymentRef: null };
    }
    throw new Error(`Braintree refused the charge: ${result.message}`);
  }

  chargeMany(requests: readonly ChargeRequest[]): Promise<ChargeResult[]> {
    return chargeEach(this, requests);
  }

  async refund(request: RefundRequest): Promise<RefundResult> {
    const sale = await this.findTransaction(request.paymentRef);
    const currency = sale.currencyIsoCode.toLowerCase();
    if (currency !== request.currency.toLowerCase()) {
      throw invalidRequest(`The payment is in ${currency.toUpperCase()}, not ${request.currency.toUpperCase()}.`, 'currency');
    }
    const orderId = orderIdFor('refund', request.idempotencyKey);
    const earlier = (await this.searchByOrderId(orderId, 'credit')).find((refund) => refund.refundedTransactionId === sale.id);
    if (earlier) return refundResultOf(earlier);
    return this.refundOrVoid(sale, request.amount, orderId, true);
  }

  /**
   * Braintree refunds only settled (or settling) transactions; before settlement the whole
   * amount is given back by voiding the sale (the card is never charged), and a part of it
   * cannot be until the sale settles, usually within a day.
   */
  private async refundOrVoid(sale: Transaction, amount: bigint, orderId: string, mayRetry: boolean): Promise<RefundResult> {
    const currency = sale.currencyIsoCode.toLowerCase();
    const total = fromBraintreeAmount(sale.amount, currency);
    switch (sale.status) {
      case 'settled':
      case 'settling': {
        const result = await sdkCall(this.sdk.transaction.refund(sale.id, { amount: toBraintreeAmount(amount, currency), orderId }));
        if (result.success) return refundResultOf(result.transaction);
        if (result.transaction) return refundResultOf(result.transaction);
        return refundRefusal(result);
      }
      case 'authorized':
      case 'submitted_for_settlement':
      case 'settlement_pending': {
        if (amount !== total) {
          return {
            status: 'failed',
            refundRef: null,
            code: 'payment_not_settled',
            message: 'Braintree refunds part of a payment only once it has settled (usually within a day); until then only the whole amount can be given back (by voiding it).',
          };
        }
        const result = await sdkCall(this.sdk.transaction.void(sale.id));
        // The refund of a voided sale is the void itself: it has no transaction of its own.
        if (result.success) return { status: 'succeeded', refundRef: sale.id };
        // 91504: it settled between our look and the void; refund it instead, once.
        if (mayRetry && errorCodes(result).includes('91504')) return this.refundOrVoid(await this.findTransaction(sale.id), amount, orderId, false);
        return refundRefusal(result);
      }
      case 'voided':
        // Voided before (a void whose answer was lost, or one made in the Control Panel):
        // nothing was captured, so the whole amount is already back with the customer.
        if (amount === total) return { status: 'succeeded', refundRef: sale.id };
        return { status: 'failed', refundRef: null, code: 'amount_too_large', message: 'The payment was voided: nothing is left to refund.' };
      default:
        return { status: 'failed', refundRef: null, code: 'charge_not_refundable', message: `A payment in status ${sale.status} cannot be refunded.` };
    }
  }

  async retrievePayment(paymentRef: string): Promise<PaymentStatus> {
    const sale = await this.findTransaction(paymentRef);
    const currency = sale.currencyIsoCode.toLowerCase();
    const amount = fromBraintreeAmount(sale.amount, currency);
    // A void gives the whole amount back before capture (see refundOrVoid).
    if (sale.status === 'voided') return { paymentRef: sale.id, status: 'succeeded', amount, amountRefunded: amount, currency };
    const refunds = await Promise.all((sale.refundIds ?? []).map((id) => this.findTransaction(id)));
    const amountRefunded = refunds
      .filter((refund) => refundStatus(refund.status) !== 'failed')
      .reduce((sum, refund) => sum + fromBraintreeAmount(refund.amount, currency), 0n);
    return { paymentRef: sale.id, status: saleStatus(sale.status), amount, amountRefunded, currency };
  }

  /** Braintree posts `bt_signature` and `bt_payload` as application/x-www-form-urlencoded. */
  async parseWebhook(request: GatewayWebhookRequest): Promise<GatewayEvent> {
    const form = new URLSearchParams(request.rawBody);
    const signature = form.get('bt_signature');
    const payload = form.get('bt_payload');
    if (!signature || !payload) throw new GatewayWebhookError('A Braintree webhook has bt_signature and bt_payload form fields.');
    try {
      // The SDK checks the HMAC-SHA1 (keyed with the SHA-1 of the private key) of the payload
      // against the signature given for our public key, then parses the XML.
      return eventOf(await this.sdk.webhookNotification.parse(signature, payload));
    } catch (error) {
      throw new GatewayWebhookError(`Braintree webhook rejected: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private async findTransaction(id: string): Promise<Transaction> {
    try {
      return await sdkCall(this.sdk.transaction.find(id));
    } catch (error) {
      if (isSdkError(error, 'notFoundError')) throw resourceMissing('payment', id, 'payment');
      throw error;
    }
  }

  private async searchByOrderId(orderId: string, type: 'sale' | 'credit'): Promise<Transaction[]> {
    const stream = this.sdk.transaction.search((search) => {
      search.orderId().is(orderId);
      search.type().is(type);
    });
    const found: Transaction[] = [];
    await sdkCall(
      (async () => {
        for await (const transaction of stream as AsyncIterable<Transaction>) found.push(transaction);
      })(),
    );
    return found;
  }

  /**
   * The merchant account that charges in `currency`: from the credentials' map when given,
   * else from Braintree's list of the account's merchant accounts (the default one first).
   */
  private async merchantAccountFor(currency: string): Promise<string> {
    const code = currency.toLowerCase();
    const configured = this.config.credentials.merchant_account_ids;
    const accounts = configured
      ? new Map(Object.entries(configured).map(([key, id]) => [key.toLowerCase(), id]))
      : await (this.merchantAccounts ??= this.listMerchantAccounts().catch((error: unknown) => {
          this.merchantAccounts = null;
          throw error;
        }));
    const id = accounts.get(code);
    if (id === undefined) {
      throw new ApiError(
        400,
        'invalid_request_error',
        `The Braintree account has no merchant account in ${code.toUpperCase()}: Braintree charges in the currency of a merchant account, so add one (and list it in merchant_account_ids).`,
        { param: 'currency', code: 'currency_not_supported' },
      );
    }
    return id;
  }

  private async listMerchantAccounts(): Promise<ReadonlyMap<string, string>> {
    const all: MerchantAccount[] = [];
    await sdkCall(
      (async () => {
        // A page with no accounts comes through as one undefined item.
        for await (const account of this.sdk.merchantAccount.all() as AsyncIterable<MerchantAccount | undefined>) if (account) all.push(account);
      })(),
    );
    const byCurrency = new Map<string, string>();
    const usable = all.filter((account) => (account.status ?? 'active') === 'active');
    for (const account of [...usable.filter((a) => a.default === true), ...usable.filter((a) => a.default !== true)]) {
      const code = account.currencyIsoCode.toLowerCase();
      if (!byCurrency.has(code)) byCurrency.set(code, account.id);
    }
    return byCurrency;
  }
}

/**
 * Where the SDK sends its requests. The SDK has no base-URL option; its `Environment`
 * (server, port, ssl) is how a host is chosen (its own Development environment is one
 * built the same way), so `apiBase` becomes an Environment of its own.
 */
function environmentFor(config: GatewayConfig<BraintreeCredentials>): Environment {
  if (config.apiBase === undefined) return config.environment === 'production' ? Environment.Production : Environment.Sandbox;
  const url = new URL(config.apiBase);
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.pathname !== '/' || url.search !== '') {
    throw new Error(`Braintree apiBase must be an http(s) origin with no path (the SDK writes its own paths): ${config.apiBase}`);
  }
  const ssl = url.protocol === 'https:';
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  // The third argument is the OAuth server, which Recur does not use.
  return new Environment(host, url.port || (ssl ? '443' : '80'), url.origin, ssl);
}

/** The SDK throws plain Errors with a `type` (exceptions.js). */
function isSdkError(error: unknown, type: string): boolean {
  return error instanceof Error && 'type' in error && error.type === type;
}

/**
 * Wrong API keys are a configuration problem, never a decline: say so plainly. Everything
 * else the SDK throws (5xx, timeouts, network) goes up as it is, for the caller to retry.
 */
async function sdkCall<T>(promise: Promise<T>): Promise<T> {
  try {
    return await promise;
  } catch (error) {
    if (isSdkError(error, 'authenticationError')) {
      throw new Error('Braintree refused the API keys (authentication error): check merchant_id, public_key and private_key.', { cause: error });
    }
    if (isSdkError(error, 'authorizationError')) {
      throw new Error('Braintree refused the request (authorization error): the API keys may not do this, or merchant_id is not theirs.', { cause: error });
    }
    throw error;
  }
}

function errorCodes(result: ErrorResult): string[] {
  return result.errors.deepErrors().map((error) => error.code);
}

/** Of the sales made with one order id: the one that charged, else the first attempt. */
function firstResult(sales: readonly Transaction[]): Transaction | undefined {
  const byAge = [...sales].sort((a, b) => (a.createdAt ?? '').localeCompare(b.createdAt ?? ''));
  return byAge.find((sale) => sale.status === 'voided' || saleStatus(sale.status) !== 'failed') ?? byAge[0];
}

function chargeResultOf(sale: Transaction): ChargeResult {
  // Voided: it was charged and then given back (a refund), which is still this key's charge.
  if (sale.status === 'voided' || saleStatus(sale.status) !== 'failed') return { status: 'succeeded', paymentRef: sale.id };
  const { code, declineCode } = failureOf(sale);
  const message =
    sale.status === 'gateway_rejected' ? `Gateway Rejected: ${sale.gatewayRejectionReason ?? 'unknown'}` : (sale.processorResponseText ?? `Braintree: ${sale.status}`);
  return { status: 'failed', code, declineCode, message, paymentRef: sale.id };
}

function refundResultOf(refund: Transaction): RefundResult {
  const status = refundStatus(refund.status);
  if (status !== 'failed') return { status, refundRef: refund.id };
  return { status: 'failed', refundRef: refund.id, code: 'refund_declined', message: refund.processorResponseText ?? `Braintree: refund ${refund.status}` };
}

/** Braintree's validation errors on a refund or void, in Stripe's refund codes where it has one. */
const REFUND_ERRORS: Readonly<Record<string, string>> = {
  '91521': 'amount_too_large', // Refund amount is too large.
  '91512': 'charge_already_refunded', // Transaction has already been completely refunded.
  '91506': 'payment_not_settled', // Cannot refund a transaction unless it is settled.
  '91574': 'payment_not_settled', // Cannot refund a transaction in settling status on this merchant account.
  '91505': 'charge_not_refundable', // Cannot refund a credit.
  '91504': 'charge_not_refundable', // Transaction can only be voided if status is authorized, submitted_for_settlement …
};

function refundRefusal(result: ErrorResult): RefundResult {
  const code = errorCodes(result)
    .map((c) => REFUND_ERRORS[c])
    .find((c) => c !== undefined);
  return { status: 'failed', refundRef: null, code: code ?? 'refund_failed', message: result.message };
}

/** Validation codes of a nonce Braintree does not know, or that was used already. */
const NONCE_ERRORS = new Set(['91564', '91565', '91731', '91732', '92907', '92908', '91733', '93102', '93107', '93108', '93109']);
/** Card validation codes (a tokenized card Braintree found malformed) → Stripe card codes. */
const CARD_ERRORS: Readonly<Record<string, string>> = {
  '81714': 'incorrect_number',
  '81715': 'incorrect_number',
  '81716': 'incorrect_number',
  '81717': 'incorrect_number',
  '81709': 'invalid_expiry_year',
  '81710': 'invalid_expiry_year',
  '81711': 'invalid_expiry_year',
  '81712': 'invalid_expiry_month',
  '81713': 'invalid_expiry_year',
  '81706': 'invalid_cvc',
  '81707': 'invalid_cvc',
  '81736': 'invalid_cvc',
};

/** A refused save: a failed card verification or a card error → 402; a bad nonce → 400. */
function saveRefusal(result: ErrorResult): ApiError {
  const verification = result.verification;
  if (verification && verification.status !== 'verified') {
    const { code, declineCode } = failureOf(verification);
    const message = verification.processorResponseText ?? result.message;
    return new ApiError(402, 'card_error', message, { code, declineCode });
  }
  const codes = errorCodes(result);
  const cardCode = codes.map((c) => CARD_ERRORS[c]).find((c) => c !== undefined);
  if (cardCode) return new ApiError(402, 'card_error', result.message, { code: cardCode, declineCode: cardCode });
  if (codes.some((c) => NONCE_ERRORS.has(c))) {
    return new ApiError(400, 'invalid_request_error', `Braintree: ${result.message}`, { code: 'resource_missing', param: 'payment_method' });
  }
  return new ApiError(400, 'invalid_request_error', `Braintree refused the payment method: ${result.message}`, { param: 'payment_method' });
}
