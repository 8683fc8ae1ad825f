import { createHash } from 'node:crypto';
import Razorpay from 'razorpay';
import { GatewayWebhookError, type GatewayEvent, type GatewayWebhookRequest } from '../gateway.ts';

type Entity = Record<string, unknown>;

const record = (value: unknown): Entity | null => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Entity) : null);
const str = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const amountOf = (value: unknown): bigint | null => (typeof value === 'number' && Number.isSafeInteger(value) ? BigInt(value) : null);

/** `payload.<name>.entity` of a Razorpay webhook. */
function entity(payload: Entity, name: string): Entity | null {
  return record(record(payload[name])?.entity);
}

/**
 * Verifies a Razorpay webhook (X-Razorpay-Signature: hex HMAC-SHA256 of the raw body with
 * the webhook secret, checked by the SDK's validateWebhookSignature) and reads it. Razorpay
 * names each delivery in X-Razorpay-Event-Id; without it the body's hash stands in, which
 * still deduplicates redeliveries of the same bytes.
 */
export function parseRazorpayWebhook(request: GatewayWebhookRequest, secret: string): GatewayEvent {
  const signature = request.headers['x-razorpay-signature'];
  if (!signature) throw new GatewayWebhookError('Missing X-Razorpay-Signature header.');
  if (!Razorpay.validateWebhookSignature(request.rawBody, signature, secret)) throw new GatewayWebhookError('Razorpay webhook signature does not match.');
  let body: Entity | null;
  try {
    body = record(JSON.parse(request.rawBody));
  } catch {
    body = null;
  }
  const gatewayType = str(body?.event);
  const payload = record(body?.payload);
  if (!body || !gatewayType || !payload) throw new GatewayWebhookError('Razorpay webhook body is not an event.');
  const id = request.headers['x-razorpay-event-id'] ?? `sha256_${createHash('sha256').update(request.rawBody).digest('hex')}`;
  const event: GatewayEvent = { id, type: 'other', gatewayType, paymentRef: null, refundRef: null, amount: null, currency: null };
  const currency = (value: unknown) => str(value)?.toLowerCase() ?? null;

  switch (gatewayType) {
    case 'payment.captured':
    case 'payment.failed': {
      const payment = entity(payload, 'payment');
      return {
        ...event,
        type: gatewayType === 'payment.captured' ? 'payment.succeeded' : 'payment.failed',
        paymentRef: str(payment?.id),
        amount: amountOf(payment?.amount),
        currency: currency(payment?.currency),
      };
    }
    case 'refund.processed':
    case 'refund.failed': {
      const refund = entity(payload, 'refund');
      return {
        ...event,
        type: gatewayType === 'refund.processed' ? 'refund.succeeded' : 'refund.failed',
        paymentRef: str(refund?.payment_id),
        refundRef: str(refund?.id),
        amount: amountOf(refund?.amount),
        currency: currency(refund?.currency),
      };
    }
    case 'payment.dispute.created': {
      const dispute = entity(payload, 'dispute');
      return { ...event, type: 'dispute.created', paymentRef: str(dispute?.payment_id), amount: amountOf(dispute?.amount), currency: currency(dispute?.currency) };
    }
    default:
      return event;
  }
}
