import { createHash } from 'node:crypto';
import Stripe from 'stripe';
import { ApiError } from '../../../../lib/errors.ts';
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
import type { StripeCredentials } from './credentials.ts';
import { fromStripeAmount, stripeDecline, toStripeAmount } from './mapping.ts';
import { gatewayEventOf } from './webhooks.ts';

/** Stripe accepts idempotency keys of up to 255 characters. */
const MAX_IDEMPOTENCY_KEY = 255;

/**
 * Namespaced per operation (a caller reusing one key for a charge and its refund must not
 * get Stripe's idempotency_error), hashed when too long for Stripe.
 */
export function stripeIdempotencyKey(operation: 'charge' | 'refund', key: string): string {
  const plain = `recur_${operation}_${key}`;
  if (plain.length <= MAX_IDEMPOTENCY_KEY) return plain;
  return `recur_${operation}_sha256_${createHash('sha256').update(key).digest('base64url')}`;
}

/**
 * The SDK's documented `host`/`port`/`protocol` constructor options point it at
 * `config.apiBase`; the SDK always adds `/v1/`, so apiBase must be an origin.
 */
function connectionOptions(apiBase: string | undefined): Pick<Stripe.StripeConfig, 'host' | 'port' | 'protocol'> {
  if (apiBase === undefined) return {};
  const url = new URL(apiBase);
  if (url.pathname !== '/' || url.search !== '') throw new Error(`Stripe apiBase must be an origin such as https://stripe-proxy.example (got ${apiBase}): the SDK adds /v1/ itself.`);
  const protocol = url.protocol === 'http:' ? 'http' : 'https';
  return { host: url.hostname, port: url.port === '' ? (protocol === 'http' ? 80 : 443) : Number(url.port), protocol };
}

/** `cus_…/pm_…`: the Stripe Customer made for the card and the PaymentMethod attached to it. */
function splitRef(gatewayRef: string): { customer: string; paymentMethod: string } {
  const match = /^(cus_[0-9A-Za-z]+)\/(pm_[0-9A-Za-z_]+)$/.exec(gatewayRef);
  if (!match) throw new Error(`not a Stripe payment method reference: ${gatewayRef}`);
  return { customer: match[1] as string, paymentMethod: match[2] as string };
}

/** A payment Stripe has not finished (e.g. `processing`): retried later with the same key. */
export class StripePaymentPendingError extends Error {}

/** The refusals of a refund that are final answers, not failures to reach Stripe. */
function refusedRefund(error: unknown): { code: string; message: string } | null {
  if (!(error instanceof Stripe.errors.StripeInvalidRequestError)) return null;
  // Stripe answers an amount above what is left with param=amount and, on some API
  // versions, no code; amount_too_large is its documented name for that refusal.
  if (error.code === undefined && error.param === 'amount') return { code: 'amount_too_large', message: error.message };
  if (error.code && ['amount_too_large', 'charge_already_refunded', 'charge_disputed', 'refund_disputed_payment'].includes(error.code)) {
    return { code: error.code, message: error.message };
  }
  return null;
}

/**
 * Stripe through its official SDK. A saved card is a Stripe Customer (carrying Recur's
 * customer id in metadata) with the PaymentMethod made by Stripe.js attached; charges are
 * off-session PaymentIntents confirmed at once; Stripe's own Idempotency-Key makes a charge
 * or refund repeated with its key happen once (Stripe keeps keys 24 hours: a retry after
 * that would be a new payment, so callers retry within the day).
 */
export class StripeGateway implements Gateway {
  readonly kind = 'stripe' as const;
  private readonly stripe: Stripe;

  constructor(private readonly config: GatewayConfig<StripeCredentials>) {
    const live = /^(sk|rk)_live_/.test(config.credentials.secret_key);
    if (live !== (config.environment === 'production')) {
      throw new Error(`A Stripe ${live ? 'live' : 'test'} key cannot be used for the ${config.environment} environment.`);
    }
    this.stripe = new Stripe(config.credentials.secret_key, {
      ...connectionOptions(config.apiBase),
      // One retry on a network error or 5xx, with the same Idempotency-Key, so it is safe.
      maxNetworkRetries: 1,
      telemetry: false,
    });
  }

  async savePaymentMethod(token: string, customer: GatewayCustomer): Promise<SavedPaymentMethod> {
    if (!/^pm_[0-9A-Za-z_]+$/.test(token)) {
      throw new ApiError(400, 'invalid_request_error', `A Stripe payment method id (pm_…) made by Stripe.js is expected, not '${token}'.`, { code: 'resource_missing', param: 'payment_method' });
    }
    const stripeCustomer = await this.stripe.customers.create({
      ...(customer.email ? { email: customer.email } : {}),
      ...(customer.name ? { name: customer.name } : {}),
      metadata: { recur_customer_id: customer.id },
    });
    let method: Stripe.PaymentMethod;
    try {
      method = await this.stripe.paymentMethods.attach(token, { customer: stripeCustomer.id });
    } catch (error) {
      // Best effort: a customer without a card is only clutter in the Stripe dashboard.
      await this.stripe.customers.del(stripeCustomer.id).catch(() => undefined);
      if (error instanceof Stripe.errors.StripeCardError) {
        const { code, declineCode } = stripeDecline(error.code, error.decline_code);
        throw new ApiError(402, 'card_error', error.message, { code, declineCode });
      }
      if (error instanceof Stripe.errors.StripeInvalidRequestError && error.code === 'resource_missing') {
        throw new ApiError(400, 'invalid_request_error', `No such Stripe payment method: '${token}'`, { code: 'resource_missing', param: 'payment_method' });
      }
      throw error;
    }
    if (method.type !== 'card' || !method.card) {
      throw new ApiError(400, 'invalid_request_error', `Only card payment methods can be saved (got ${method.type}).`, { code: 'parameter_invalid', param: 'payment_method' });
    }
    return {
      gatewayRef: `${stripeCustomer.id}/${method.id}`,
      card: {
        brand: method.card.brand,
        last4: method.card.last4,
        exp_month: method.card.exp_month,
        exp_year: method.card.exp_year,
        funding: method.card.funding,
        country: method.card.country ?? null,
      },
    };
  }

  async charge(request: ChargeRequest): Promise<ChargeResult> {
    const { customer, paymentMethod } = splitRef(request.gatewayRef);
    let intent: Stripe.PaymentIntent;
    try {
      intent = await this.stripe.paymentIntents.create(
        {
          amount: toStripeAmount(request.amount, request.currency),
          currency: request.currency.toLowerCase(),
          customer,
          payment_method: paymentMethod,
          off_session: true,
          confirm: true,
          // Cards only, never a redirect: nobody is there to follow one.
          automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
          ...(request.description ? { description: request.description } : {}),
          ...(request.metadata ? { metadata: request.metadata } : {}),
        },
        { idempotencyKey: stripeIdempotencyKey('charge', request.idempotencyKey) },
      );
    } catch (error) {
      if (error instanceof Stripe.errors.StripeCardError) {
        const { code, declineCode } = stripeDecline(error.code, error.decline_code);
        return { status: 'failed', code, declineCode, message: error.message, paymentRef: error.payment_intent?.id ?? null };
      }
      throw error;
    }
    if (intent.status === 'succeeded') return { status: 'succeeded', paymentRef: intent.id };
    if (intent.status === 'requires_payment_method' || intent.status === 'requires_action') {
      const failure = intent.last_payment_error;
      const { code, declineCode } = stripeDecline(failure?.code ?? (intent.status === 'requires_action' ? 'authentication_required' : undefined), failure?.decline_code);
      return { status: 'failed', code, declineCode, message: failure?.message ?? 'The payment needs the customer to act.', paymentRef: intent.id };
    }
    throw new StripePaymentPendingError(`Stripe payment ${intent.id} is ${intent.status}; retry with the same idempotency key to read its outcome.`);
  }

  chargeMany(requests: readonly ChargeRequest[]): Promise<ChargeResult[]> {
    return chargeEach(this, requests);
  }

  async refund(request: RefundRequest): Promise<RefundResult> {
    let refund: Stripe.Refund;
    try {
      refund = await this.stripe.refunds.create(
        {
          payment_intent: request.paymentRef,
          amount: toStripeAmount(request.amount, request.currency),
          ...(request.reason ? { reason: request.reason } : {}),
        },
        { idempotencyKey: stripeIdempotencyKey('refund', request.idempotencyKey) },
      );
    } catch (error) {
      const refused = refusedRefund(error);
      if (refused) return { status: 'failed', refundRef: null, ...refused };
      throw error;
    }
    switch (refund.status) {
      case 'succeeded':
        return { status: 'succeeded', refundRef: refund.id };
      case 'failed':
      case 'canceled':
        return { status: 'failed', refundRef: refund.id, code: refund.failure_reason ?? 'refund_failed', message: `Stripe refund ${refund.id} ${refund.status}.` };
      default:
        return { status: 'pending', refundRef: refund.id };
    }
  }

  async retrievePayment(paymentRef: string): Promise<PaymentStatus> {
    const intent = await this.stripe.paymentIntents.retrieve(paymentRef, { expand: ['latest_charge'] });
    const charge = typeof intent.latest_charge === 'object' ? intent.latest_charge : null;
    const status = intent.status === 'succeeded' ? 'succeeded' : intent.status === 'requires_payment_method' || intent.status === 'canceled' ? 'failed' : 'pending';
    return {
      paymentRef: intent.id,
      status,
      amount: fromStripeAmount(intent.amount, intent.currency),
      amountRefunded: charge ? fromStripeAmount(charge.amount_refunded, charge.currency) : 0n,
      currency: intent.currency,
    };
  }

  async parseWebhook(request: GatewayWebhookRequest): Promise<GatewayEvent> {
    const signature = request.headers['stripe-signature'];
    if (!signature) throw new GatewayWebhookError('Missing Stripe-Signature header.');
    let event: Stripe.Event;
    try {
      event = await this.stripe.webhooks.constructEventAsync(request.rawBody, signature, this.config.credentials.webhook_secret);
    } catch (error) {
      throw new GatewayWebhookError(`Stripe webhook rejected: ${error instanceof Error ? error.message : String(error)}`);
    }
    return gatewayEventOf(event);
  }
}
