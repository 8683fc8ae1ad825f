import type Razorpay from 'razorpay';
import type { Payments } from 'razorpay/dist/types/payments.js';
import type { Refunds } from 'razorpay/dist/types/refunds.js';
import type { Tokens } from 'razorpay/dist/types/tokens.js';
import { ApiError } from '../../../../lib/errors.ts';
import {
  chargeEach,
  type ChargeRequest,
  type ChargeResult,
  type Gateway,
  type GatewayConfig,
  type GatewayCustomer,
  type GatewayEvent,
  type GatewayWebhookRequest,
  type PaymentFailure,
  type PaymentStatus,
  type RefundRequest,
  type RefundResult,
  type SavedPaymentMethod,
} from '../gateway.ts';
import { call, RazorpayApiError, razorpayClient } from './client.ts';
import type { RazorpayCredentials } from './credentials.ts';
import { cardBrand, isDeclineReason, razorpayDecline, receiptFor, refundIdempotencyKey, toRazorpayAmount } from './mapping.ts';
import { parseRazorpayWebhook } from './webhooks.ts';

/** A payment Razorpay has not settled yet (created/authorized): retry with the same key later. */
export class RazorpayPaymentPendingError extends Error {}
/** The idempotency key was used before for another amount or currency (nothing charged). */
export class RazorpayIdempotencyError extends Error {}

/** Razorpay notes: at most 15 pairs of at most 256 characters. */
function notesOf(entries: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(entries)
      .slice(0, 15)
      .map(([k, v]) => [k.slice(0, 256), v.slice(0, 256)]),
  );
}

/** `cust_…/token_…`: the Razorpay customer Checkout was opened for and its recurring token. */
function splitRef(ref: string): { customerId: string; tokenId: string } | null {
  const match = /^(cust_[0-9A-Za-z]+)\/(token_[0-9A-Za-z]+)$/.exec(ref);
  return match ? { customerId: match[1] as string, tokenId: match[2] as string } : null;
}

function failureOf(payment: Payments.RazorpayPayment): PaymentFailure {
  return { status: 'failed', ...razorpayDecline(payment.error_reason), message: payment.error_description ?? 'The payment failed.', paymentRef: payment.id };
}

/** The outcome of an order's payments, or null when none was made yet. */
function outcomeOf(payments: readonly Payments.RazorpayPayment[]): ChargeResult | null {
  const paid = payments.find((p) => p.status === 'captured' || p.status === 'refunded');
  if (paid) return { status: 'succeeded', paymentRef: paid.id };
  const open = payments.find((p) => p.status === 'created' || p.status === 'authorized');
  if (open) throw new RazorpayPaymentPendingError(`Razorpay payment ${open.id} is ${open.status}; retry with the same idempotency key to read its outcome.`);
  const latest = [...payments].sort((a, b) => b.created_at - a.created_at)[0];
  return latest ? failureOf(latest) : null;
}

function refundResultOf(refund: Refunds.RazorpayRefund): RefundResult {
  if (refund.status === 'processed') return { status: 'succeeded', refundRef: refund.id };
  if (refund.status === 'failed') return { status: 'failed', refundRef: refund.id, code: 'refund_failed', message: `Razorpay refund ${refund.id} failed.` };
  return { status: 'pending', refundRef: refund.id };
}

/**
 * Razorpay through its official SDK (pointed at `apiBase` as client.ts explains).
 *
 * Saved cards are Razorpay recurring card tokens. Razorpay makes them client-side: Checkout
 * opened with `recurring: 1` and a `customer_id` (a Razorpay customer created beforehand)
 * runs the authorisation payment and leaves a token on that customer. The token Recur is
 * given is therefore `cust_…/token_…`, both ids together.
 *
 * Razorpay has no idempotency key for orders or payments. A charge's key becomes the order's
 * receipt (hashed to Razorpay's 40 characters); before creating an order the adapter looks
 * the receipt up and, if an earlier attempt made one, reuses that order and its payment. The
 * window left: two calls with the same key at the same moment can both find nothing and both
 * charge; Recur's callers never run one key concurrently. Refunds send Razorpay's
 * X-Refund-Idempotency header and, first, look for an earlier refund carrying the key in its
 * notes (for retries after the header's record has expired).
 */
export class RazorpayGateway implements Gateway {
  readonly kind = 'razorpay' as const;
  private readonly razorpay: Razorpay;

  constructor(private readonly config: GatewayConfig<RazorpayCredentials>) {
    const live = config.credentials.key_id.startsWith('rzp_live_');
    if (live !== (config.environment === 'production')) {
      throw new Error(`A Razorpay ${live ? 'live' : 'test'} key cannot be used for the ${config.environment} environment.`);
    }
    this.razorpay = this.client();
  }

  private client(headers?: Record<string, string>): Razorpay {
    const { key_id: keyId, key_secret: keySecret } = this.config.credentials;
    return razorpayClient({ keyId, keySecret, apiBase: this.config.apiBase, ...(headers ? { headers } : {}) });
  }

  async savePaymentMethod(token: string, _customer: GatewayCustomer): Promise<SavedPaymentMethod> {
    const ref = splitRef(token);
    if (!ref) {
      throw new ApiError(400, 'invalid_request_error', `A Razorpay saved card is given as 'cust_…/token_…' (the customer Checkout was opened for and the recurring token it made), not '${token}'.`, {
        code: 'parameter_invalid',
        param: 'payment_method',
      });
    }
    let saved: Tokens.RazorpayToken;
    try {
      saved = await call(() => this.razorpay.customers.fetchToken(ref.customerId, ref.tokenId));
    } catch (error) {
      if (error instanceof RazorpayApiError && (error.statusCode === 400 || error.statusCode === 404) && error.body?.code === 'BAD_REQUEST_ERROR') {
        throw new ApiError(400, 'invalid_request_error', `No such Razorpay token: '${token}'`, { code: 'resource_missing', param: 'payment_method' });
      }
      throw error;
    }
    const card = saved.card;
    if (saved.method !== 'card' || !card) {
      throw new ApiError(400, 'invalid_request_error', `Only card tokens can be saved (got ${saved.method}).`, { code: 'parameter_invalid', param: 'payment_method' });
    }
    const mandate = saved.recurring_details?.status ?? null;
    if (!saved.recurring || mandate !== 'confirmed') {
      const { code, declineCode } = razorpayDecline(saved.recurring_details?.failure_reason ?? null);
      throw new ApiError(402, 'card_error', `The card cannot be charged again: its recurring mandate is ${mandate ?? 'missing'}.`, { code, declineCode });
    }
    if (saved.expired_at && saved.expired_at * 1000 < Date.now()) {
      throw new ApiError(402, 'card_error', 'The card has expired.', { code: 'expired_card', declineCode: 'expired_card' });
    }
    return {
      gatewayRef: `${ref.customerId}/${ref.tokenId}`,
      card: {
        brand: cardBrand(card.network),
        last4: card.last4,
        exp_month: Number(card.expiry_month),
        exp_year: Number(card.expiry_year),
        funding: ['credit', 'debit', 'prepaid'].includes(card.type) ? card.type : 'unknown',
        // Razorpay says only whether the card is foreign to the merchant's country.
        country: null,
      },
    };
  }

  async charge(request: ChargeRequest): Promise<ChargeResult> {
    const ref = splitRef(request.gatewayRef);
    if (!ref) throw new Error(`not a Razorpay payment method reference: ${request.gatewayRef}`);
    const amount = toRazorpayAmount(request.amount, request.currency);
    const currency = request.currency.toUpperCase();
    const receipt = receiptFor(request.idempotencyKey);

    const earlier = (await call(() => this.razorpay.orders.all({ receipt, count: 100 }))).items.find((order) => order.receipt === receipt);
    if (earlier && (Number(earlier.amount) !== amount || earlier.currency !== currency)) {
      throw new RazorpayIdempotencyError(`Idempotency key already used for order ${earlier.id} of ${earlier.amount} ${earlier.currency}.`);
    }
    if (earlier) {
      const outcome = outcomeOf((await call(() => this.razorpay.orders.fetchPayments(earlier.id))).items);
      if (outcome) return outcome;
    }
    const order = earlier ?? (await call(() => this.razorpay.orders.create({ amount, currency, receipt, payment_capture: true, notes: notesOf(request.metadata ?? {}) })));

    // Recurring payments need the customer's email and phone: the Razorpay customer has them.
    const { email, contact } = await call(() => this.razorpay.customers.fetch(ref.customerId));
    if (!email || !contact) throw new Error(`Razorpay customer ${ref.customerId} has no email or contact, which recurring payments require.`);
    let paymentId: string | undefined;
    try {
      const created = await call(() =>
        this.razorpay.payments.createRecurringPayment({
          email,
          contact,
          amount,
          currency,
          order_id: order.id,
          customer_id: ref.customerId,
          token: ref.tokenId,
          recurring: 1,
          ...(request.description ? { description: request.description } : {}),
          notes: notesOf(request.metadata ?? {}),
        }),
      );
      paymentId = created.razorpay_payment_id;
    } catch (error) {
      const reason = error instanceof RazorpayApiError ? error.body?.reason : null;
      if (error instanceof RazorpayApiError && error.statusCode === 400 && isDeclineReason(reason)) {
        const failedId = error.body?.metadata.payment_id;
        return { status: 'failed', ...razorpayDecline(reason), message: error.body?.description ?? 'The payment failed.', paymentRef: typeof failedId === 'string' ? failedId : null };
      }
      throw error;
    }
    const createdId = paymentId;
    if (!createdId) throw new RazorpayApiError('Razorpay created no payment id for a recurring payment.', 200, null);
    const payment = await call(() => this.razorpay.payments.fetch(createdId));
    const outcome = outcomeOf([payment]);
    if (!outcome) throw new Error(`Razorpay payment ${createdId} has no outcome.`);
    return outcome;
  }

  chargeMany(requests: readonly ChargeRequest[]): Promise<ChargeResult[]> {
    return chargeEach(this, requests);
  }

  async refund(request: RefundRequest): Promise<RefundResult> {
    const keyNote = request.idempotencyKey.length <= 256 ? request.idempotencyKey : refundIdempotencyKey(request.idempotencyKey);
    const earlier = (await call(() => this.razorpay.payments.fetchMultipleRefund(request.paymentRef, { count: 100 }))).items.find((refund) => refund.notes?.recur_idempotency_key === keyNote);
    if (earlier) return refundResultOf(earlier);
    // A client of its own, for the header: the SDK has no per-request headers.
    const client = this.client({ 'X-Refund-Idempotency': refundIdempotencyKey(request.idempotencyKey) });
    try {
      const refund = await call(() =>
        client.payments.refund(request.paymentRef, {
          amount: toRazorpayAmount(request.amount, request.currency),
          speed: 'normal',
          notes: { recur_idempotency_key: keyNote, ...(request.reason ? { recur_reason: request.reason } : {}) },
        }),
      );
      return refundResultOf(refund);
    } catch (error) {
      // A 400 is Razorpay's answer about this refund (too much, already refunded, not captured).
      if (error instanceof RazorpayApiError && error.statusCode === 400 && error.body) {
        const description = error.body.description;
        const code = /fully refunded/i.test(description) ? 'charge_already_refunded' : error.body.field === 'amount' || /greater than/i.test(description) ? 'amount_too_large' : 'refund_refused';
        return { status: 'failed', refundRef: null, code, message: description };
      }
      throw error;
    }
  }

  async retrievePayment(paymentRef: string): Promise<PaymentStatus> {
    const payment = await call(() => this.razorpay.payments.fetch(paymentRef));
    const status = payment.status === 'captured' || payment.status === 'refunded' ? 'succeeded' : payment.status === 'failed' ? 'failed' : 'pending';
    return { paymentRef: payment.id, status, amount: BigInt(payment.amount), amountRefunded: BigInt(payment.amount_refunded ?? 0), currency: payment.currency.toLowerCase() };
  }

  async parseWebhook(request: GatewayWebhookRequest): Promise<GatewayEvent> {
    return parseRazorpayWebhook(request, this.config.credentials.webhook_secret);
  }
}
