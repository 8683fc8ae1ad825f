import { GatewayWebhookError, type GatewayEvent, type GatewayWebhookRequest } from '../gateway.ts';
import type { PayPalClients } from './client.ts';
import { fromPayPalValue } from './support.ts';

const HEADERS = {
  transmission_id: 'paypal-transmission-id',
  transmission_time: 'paypal-transmission-time',
  transmission_sig: 'paypal-transmission-sig',
  cert_url: 'paypal-cert-url',
  auth_algo: 'paypal-auth-algo',
} as const;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

/**
 * Verifies a delivery with PayPal's "Verify webhook signature" API
 * (`POST /v1/notifications/verify-webhook-signature`), which checks the transmission
 * signature against PayPal's certificate for this webhook id. The SDK has no controller for
 * it, so this is a `fetch` to the same host with the SDK's OAuth token.
 *
 * The event goes in as the received bytes, not re-serialized: the signature covers a CRC32
 * of the body, and JSON.stringify of the parsed body need not give those bytes back.
 *
 * A delivery that does not verify is a GatewayWebhookError (answered 400); PayPal being
 * unreachable or refusing our credentials is a plain error (answered 5xx, so PayPal
 * delivers again later).
 */
export async function verifyWebhook(request: GatewayWebhookRequest, clients: PayPalClients, webhookId: string): Promise<GatewayEvent> {
  const fields: string[] = [];
  for (const [field, header] of Object.entries(HEADERS)) {
    const value = request.headers[header];
    if (!value) throw new GatewayWebhookError(`PayPal webhook without the ${header} header`);
    fields.push(`${JSON.stringify(field)}:${JSON.stringify(value)}`);
  }
  let event: unknown;
  try {
    event = JSON.parse(request.rawBody);
  } catch {
    throw new GatewayWebhookError('PayPal webhook body is not JSON');
  }
  if (!isRecord(event) || !text(event['id']) || !text(event['event_type'])) throw new GatewayWebhookError('PayPal webhook body is not an event');

  const body = `{${fields.join(',')},"webhook_id":${JSON.stringify(webhookId)},"webhook_event":${request.rawBody}}`;
  const token = await clients.api().accessToken();
  const response = await fetch(`${clients.origin}/v1/notifications/verify-webhook-signature`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body,
    signal: AbortSignal.timeout(30_000),
  });
  const answer: unknown = await response.json().catch(() => null);
  // 400: PayPal could not even read the signature fields the delivery came with.
  if (response.status === 400) throw new GatewayWebhookError('PayPal could not verify the webhook signature');
  if (!response.ok) {
    if (response.status === 401) clients.forgetToken();
    throw new Error(`PayPal webhook verification failed with HTTP ${response.status}`);
  }
  if (!isRecord(answer) || answer['verification_status'] !== 'SUCCESS') throw new GatewayWebhookError('PayPal webhook signature does not verify');
  return gatewayEvent(event);
}

/** A verified PayPal event as Recur's: the capture, refund or dispute it is about. */
export function gatewayEvent(event: Record<string, unknown>): GatewayEvent {
  const gatewayType = text(event['event_type']) ?? '';
  const resource = isRecord(event['resource']) ? event['resource'] : {};
  const base: GatewayEvent = { id: text(event['id']) ?? '', type: 'other', gatewayType, paymentRef: null, refundRef: null, amount: null, currency: null };
  switch (gatewayType) {
    // The resource is the capture.
    case 'PAYMENT.CAPTURE.COMPLETED':
      return { ...base, type: 'payment.succeeded', paymentRef: text(resource['id']), ...money(resource['amount']) };
    case 'PAYMENT.CAPTURE.DENIED':
    case 'PAYMENT.CAPTURE.DECLINED':
      return { ...base, type: 'payment.failed', paymentRef: text(resource['id']), ...money(resource['amount']) };
    // The resource is the refund; its "up" link names the capture it refunds.
    case 'PAYMENT.CAPTURE.REFUNDED':
      return { ...base, type: 'payment.refunded', paymentRef: captureIdOf(resource), refundRef: text(resource['id']), ...money(resource['amount']) };
    // The resource is the dispute; the seller's transaction id is the capture id.
    case 'CUSTOMER.DISPUTE.CREATED': {
      const transactions = Array.isArray(resource['disputed_transactions']) ? resource['disputed_transactions'] : [];
      const first: unknown = transactions[0];
      return { ...base, type: 'dispute.created', paymentRef: isRecord(first) ? text(first['seller_transaction_id']) : null, ...money(resource['dispute_amount']) };
    }
    default:
      return base;
  }
}

function money(value: unknown): { amount: bigint | null; currency: string | null } {
  if (!isRecord(value)) return { amount: null, currency: null };
  const currency = text(value['currency_code']);
  const decimal = text(value['value']);
  if (!currency || !decimal) return { amount: null, currency: null };
  try {
    return { amount: fromPayPalValue(decimal, currency), currency: currency.toLowerCase() };
  } catch {
    // A currency Recur does not know: the event still counts, without an amount.
    return { amount: null, currency: currency.toLowerCase() };
  }
}

function captureIdOf(refund: Record<string, unknown>): string | null {
  const links = Array.isArray(refund['links']) ? refund['links'] : [];
  for (const link of links) {
    if (!isRecord(link) || link['rel'] !== 'up') continue;
    const match = /\/v2\/payments\/captures\/([^/?#]+)/.exec(text(link['href']) ?? '');
    if (match?.[1]) return match[1];
  }
  return null;
}
