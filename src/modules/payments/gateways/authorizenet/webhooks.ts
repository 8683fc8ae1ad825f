import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { minorUnitExponent } from '../../../../lib/money.ts';
import { GatewayWebhookError, type GatewayEvent, type GatewayWebhookRequest } from '../gateway.ts';
import { amountToMinor } from './responses.ts';

/**
 * `X-ANET-Signature: sha512=<HMAC-SHA512 of the raw body, hex, upper case>`, keyed with the
 * account's Signature Key. Which bytes of the key: Authorize.net's webhook page does not say;
 * the transaction hash (transHashSHA2) documents the hex-decoded key, while the webhook code
 * reported to work in its forum and elsewhere uses the key's text as is. Both are derived
 * from the same secret, so either is accepted (compared in constant time, any case).
 */
export function verifySignature(rawBody: string, header: string | undefined, signatureKey: string): boolean {
  const match = /^sha512=([0-9a-f]{128})$/i.exec(header?.trim() ?? '');
  if (!match?.[1]) return false;
  const given = Buffer.from(match[1].toLowerCase(), 'hex');
  return [Buffer.from(signatureKey, 'utf8'), Buffer.from(signatureKey, 'hex')].some((key) => {
    const expected = createHmac('sha512', key).update(rawBody, 'utf8').digest();
    return timingSafeEqual(expected, given);
  });
}

const notification = z.object({
  notificationId: z.string().min(1),
  eventType: z.string().min(1),
  payload: z.looseObject({
    id: z.union([z.string(), z.number()]).transform(String).optional(),
    responseCode: z.union([z.string(), z.number()]).transform(String).optional(),
    authAmount: z.union([z.string(), z.number()]).transform(String).optional(),
  }),
});

/** Authorize.net's event types and what they are in Recur's terms. */
function typeOf(eventType: string, responseCode: string | undefined): GatewayEvent['type'] {
  switch (eventType) {
    case 'net.authorize.payment.authcapture.created':
      return responseCode === '1' ? 'payment.succeeded' : 'payment.failed';
    case 'net.authorize.payment.fraud.approved':
      return 'payment.succeeded';
    case 'net.authorize.payment.fraud.declined':
      return 'payment.failed';
    case 'net.authorize.payment.refund.created':
      return 'refund.succeeded';
    // A void is how a whole refund of an unsettled payment is made (see refund()).
    case 'net.authorize.payment.void.created':
      return 'payment.refunded';
    case 'net.authorize.customer.paymentProfile.updated':
      return 'payment_method.updated';
    default:
      return 'other';
  }
}

export function parseWebhook(request: GatewayWebhookRequest, signatureKey: string, currency: string): GatewayEvent {
  if (!verifySignature(request.rawBody, request.headers['x-anet-signature'], signatureKey)) {
    throw new GatewayWebhookError('The X-ANET-Signature header does not match the body.');
  }
  let body: unknown;
  try {
    body = JSON.parse(request.rawBody);
  } catch {
    throw new GatewayWebhookError('The webhook body is not JSON.');
  }
  const parsed = notification.safeParse(body);
  if (!parsed.success) throw new GatewayWebhookError('The webhook body is not an Authorize.net notification.');
  const { notificationId, eventType, payload } = parsed.data;
  const type = typeOf(eventType, payload.responseCode);
  const isTransaction = payload.entityName === 'transaction' && payload.id !== undefined;
  const amount = isTransaction ? amountToMinor(payload.authAmount, minorUnitExponent(currency)) : null;
  const transId = isTransaction ? (payload.id ?? null) : null;
  return {
    id: notificationId,
    type,
    gatewayType: eventType,
    // A refund's notification names the refund only (its payload has no refTransId).
    paymentRef: type === 'refund.succeeded' ? null : transId,
    refundRef: type === 'refund.succeeded' || type === 'payment.refunded' ? transId : null,
    amount,
    currency: amount === null ? null : currency,
  };
}
