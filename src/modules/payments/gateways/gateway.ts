import type { z } from 'zod';
import type { CardDetails } from '../payment-methods/models.ts';

/**
 * A payment gateway: it keeps the card (Recur only ever sees its token and reference) and
 * moves the money. Implementations: test-gateway.ts (sandbox workspaces) and one folder per
 * real gateway (stripe/, paypal/, braintree/, authorizenet/, razorpay/), each behind this
 * interface and listed in registry.ts.
 */
export type GatewayKind = 'test' | 'stripe' | 'paypal' | 'braintree' | 'authorizenet' | 'razorpay';

/** Whom a payment method is saved for: gateways that keep customers get these. */
export interface GatewayCustomer {
  /** Recur's customer id (cus_…): adapters store it as the gateway customer's reference. */
  id: string;
  email: string | null;
  name: string | null;
}

export interface SavedPaymentMethod {
  /**
   * Everything the gateway needs to charge the card later, as one string (e.g. a gateway
   * customer and its saved card joined by '/'): never a card number.
   */
  gatewayRef: string;
  card: CardDetails;
}

export interface ChargeRequest {
  gatewayRef: string;
  /** Minor units of `currency`. */
  amount: bigint;
  /** Lower-case ISO code. */
  currency: string;
  /**
   * The same key returns the first result and never charges twice: sent as the gateway's
   * idempotency key where it has one, else looked up before charging (see the adapter).
   */
  idempotencyKey: string;
  /** Shown in the gateway's dashboard (e.g. the invoice id and number). */
  description?: string;
  metadata?: Record<string, string>;
}

/** A decline or refusal: what the card's bank or the gateway said, in Stripe's codes. */
export interface PaymentFailure {
  status: 'failed';
  /** Stripe's error code: card_declined, expired_card, incorrect_cvc, processing_error … */
  code: string;
  /** Stripe's decline code: generic_decline, insufficient_funds, stolen_card … */
  declineCode: string;
  message: string;
  /** The gateway's reference to the failed payment, when it made one. */
  paymentRef?: string | null;
}

export type ChargeResult = { status: 'succeeded'; paymentRef: string } | PaymentFailure;

export interface RefundRequest {
  /** ChargeResult.paymentRef of the payment to refund. */
  paymentRef: string;
  /** Minor units; at most what is left unrefunded. */
  amount: bigint;
  currency: string;
  idempotencyKey: string;
  reason?: 'duplicate' | 'fraudulent' | 'requested_by_customer' | null;
}

export type RefundResult =
  | { status: 'succeeded' | 'pending'; refundRef: string }
  | { status: 'failed'; refundRef: string | null; code: string; message: string };

export interface PaymentStatus {
  paymentRef: string;
  status: 'succeeded' | 'failed' | 'pending';
  /** Minor units captured, and refunded so far. */
  amount: bigint;
  amountRefunded: bigint;
  currency: string;
}

/** A gateway's webhook, verified and reduced to what Recur acts on. */
export interface GatewayEvent {
  /** The gateway's event id (deliveries are deduplicated on it). */
  id: string;
  type:
    | 'payment.succeeded'
    | 'payment.failed'
    | 'payment.refunded'
    | 'refund.succeeded'
    | 'refund.failed'
    | 'dispute.created'
    | 'payment_method.updated'
    | 'other';
  /** The gateway's own event type, as sent. */
  gatewayType: string;
  paymentRef: string | null;
  refundRef: string | null;
  /** Minor units, when the event carries an amount. */
  amount: bigint | null;
  currency: string | null;
}

export interface GatewayWebhookRequest {
  /** The body exactly as received (signatures cover the bytes). */
  rawBody: string;
  /** Header names in lower case. */
  headers: Readonly<Record<string, string | undefined>>;
}

export interface Gateway {
  readonly kind: GatewayKind;
  /** Saves a card from a token; throws a 402 card_error `ApiError` when it is refused. */
  savePaymentMethod(token: string, customer: GatewayCustomer): Promise<SavedPaymentMethod>;
  /**
   * Charges a saved card off-session. Declines come back as `failed`; anything else (the
   * gateway unreachable, a 5xx, bad credentials) throws, and the caller retries later with
   * the same idempotency key.
   */
  charge(request: ChargeRequest): Promise<ChargeResult>;
  /** Many charges at once (the billing run's batches); results in the order of `requests`. */
  chargeMany(requests: readonly ChargeRequest[]): Promise<ChargeResult[]>;
  /** Refunds all or part of a payment; the same key never refunds twice. */
  refund(request: RefundRequest): Promise<RefundResult>;
  /** The payment as the gateway now sees it. */
  retrievePayment(paymentRef: string): Promise<PaymentStatus>;
  /** Verifies a webhook's signature and reads it; throws `GatewayWebhookError` when forged. */
  parseWebhook(request: GatewayWebhookRequest): Promise<GatewayEvent>;
}

/** A webhook whose signature or shape does not hold (answered with 400, never acted on). */
export class GatewayWebhookError extends Error {}

/** How a workspace's account at a gateway is reached. */
export interface GatewayConfig<Credentials> {
  credentials: Credentials;
  environment: 'sandbox' | 'production';
  /**
   * The API's base URL instead of the gateway's own (a local fake in tests, or a proxy).
   * Undefined: the gateway's URL for `environment`.
   */
  apiBase?: string | undefined;
}

/** One gateway as the registry knows it. */
export interface GatewayDefinition<Credentials> {
  kind: Exclude<GatewayKind, 'test'>;
  displayName: string;
  /** The credentials a workspace gives (every field is secret: sealed, never shown again). */
  credentials: z.ZodType<Credentials>;
  create(config: GatewayConfig<Credentials>): Gateway;
}

/** Runs `charge` for each request, a few at a time (gateways without a batch API). */
export async function chargeEach(gateway: Pick<Gateway, 'charge'>, requests: readonly ChargeRequest[], concurrency = 8): Promise<ChargeResult[]> {
  const results: ChargeResult[] = new Array(requests.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < requests.length) {
      const i = next++;
      results[i] = await gateway.charge(requests[i] as ChargeRequest);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, requests.length) }, lane));
  return results;
}
