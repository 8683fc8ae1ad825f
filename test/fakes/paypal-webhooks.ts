/**
 * PayPal webhooks for the fake: events in PayPal's envelope, their transmission headers, and
 * the "Verify webhook signature" endpoint (POST /v1/notifications/verify-webhook-signature).
 *
 * PayPal signs `<transmission id>|<transmission time>|<webhook id>|<CRC32 of the body>` with
 * a private key (SHA256withRSA) and its verify endpoint checks that against the certificate
 * at `cert_url`. The fake signs the same string with an HMAC-SHA256 under a secret only it
 * and the test know, and checks that instead; everything else (the fields, the CRC over the
 * exact bytes of `webhook_event`, the answer) is PayPal's.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { debugId, now, transmissionId, webhookEventId, PayPalFailure } from './paypal-state.ts';
import type { Answer } from './paypal-payments.ts';

export const CERT_URL = 'https://api.sandbox.paypal.com/v1/notifications/certs/CERT-360caa42-fca2a594-1d93a270';

export interface SignedWebhook {
  rawBody: string;
  headers: Record<string, string>;
}

const signature = (secret: string, id: string, time: string, webhookId: string, rawEvent: string): string =>
  createHmac('sha256', secret).update(`${id}|${time}|${webhookId}|${crc32(rawEvent)}`).digest('base64');

/** The headers PayPal sends with a delivery of `rawBody` to the webhook `webhookId`. */
export function signWebhook(secret: string, webhookId: string, rawBody: string): SignedWebhook {
  const id = transmissionId();
  const time = now();
  return {
    rawBody,
    headers: {
      'paypal-transmission-id': id,
      'paypal-transmission-time': time,
      'paypal-transmission-sig': signature(secret, id, time, webhookId, rawBody),
      'paypal-cert-url': CERT_URL,
      'paypal-auth-algo': 'SHA256withRSA',
    },
  };
}

/** An event in PayPal's envelope. */
export function webhookEvent(eventType: string, resourceType: string, resource: unknown, summary = eventType): Record<string, unknown> {
  const id = webhookEventId();
  return {
    id,
    event_version: '1.0',
    create_time: now(),
    resource_type: resourceType,
    resource_version: '2.0',
    event_type: eventType,
    summary,
    resource,
    links: [{ href: `https://api.sandbox.paypal.com/v1/notifications/webhooks-events/${id}`, rel: 'self', method: 'GET' }],
  };
}

const FIELDS = ['auth_algo', 'cert_url', 'transmission_id', 'transmission_sig', 'transmission_time', 'webhook_id', 'webhook_event'] as const;

export function verifyWebhookSignature(secret: string, webhookIds: ReadonlySet<string>, rawRequest: string): Answer {
  let request: Record<string, unknown>;
  try {
    request = JSON.parse(rawRequest) as Record<string, unknown>;
  } catch {
    throw validationError('MALFORMED_REQUEST_JSON', '/');
  }
  for (const field of FIELDS) {
    const value = request[field];
    if (value === undefined || value === null || (field !== 'webhook_event' && typeof value !== 'string')) throw validationError('MISSING_REQUIRED_PARAMETER', `/${field}`);
  }
  const field = (name: string): string => request[name] as string;
  const rawEvent = topLevelMember(rawRequest, 'webhook_event') ?? '';
  const expected = Buffer.from(signature(secret, field('transmission_id'), field('transmission_time'), field('webhook_id'), rawEvent));
  const given = Buffer.from(field('transmission_sig'));
  const verified =
    webhookIds.has(field('webhook_id')) &&
    field('auth_algo') === 'SHA256withRSA' &&
    /^https:\/\/api(-m)?(\.sandbox)?\.paypal\.com\//.test(field('cert_url')) &&
    given.length === expected.length &&
    timingSafeEqual(given, expected);
  return { status: 200, body: { verification_status: verified ? 'SUCCESS' : 'FAILURE' } };
}

function validationError(issue: string, fieldPath: string): PayPalFailure {
  return new PayPalFailure(400, {
    name: 'VALIDATION_ERROR',
    message: 'Invalid request - see details',
    debug_id: debugId(),
    details: [{ field: fieldPath, location: 'body', issue }],
  });
}

/**
 * The exact text of a top-level member's value in a JSON object: PayPal's CRC covers the
 * event's bytes as they were sent, so the fake must not re-serialize it either.
 */
export function topLevelMember(json: string, key: string): string | null {
  let i = skipSpace(json, 0);
  if (json[i] !== '{') return null;
  i = skipSpace(json, i + 1);
  while (i < json.length && json[i] !== '}') {
    const keyEnd = skipString(json, i);
    const name: unknown = JSON.parse(json.slice(i, keyEnd));
    i = skipSpace(json, keyEnd) + 1; // the colon
    i = skipSpace(json, i);
    const end = skipValue(json, i);
    if (name === key) return json.slice(i, end);
    i = skipSpace(json, end);
    if (json[i] === ',') i = skipSpace(json, i + 1);
  }
  return null;
}

function skipSpace(json: string, i: number): number {
  while (i < json.length && ' \t\n\r'.includes(json[i] as string)) i++;
  return i;
}

function skipString(json: string, i: number): number {
  for (i += 1; i < json.length; i++) {
    if (json[i] === '\\') i++;
    else if (json[i] === '"') return i + 1;
  }
  return i;
}

function skipValue(json: string, i: number): number {
  const first = json[i];
  if (first === '"') return skipString(json, i);
  if (first !== '{' && first !== '[') {
    while (i < json.length && !',}] \t\n\r'.includes(json[i] as string)) i++;
    return i;
  }
  let depth = 0;
  while (i < json.length) {
    const c = json[i];
    if (c === '"') {
      i = skipString(json, i);
      continue;
    }
    if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) return i + 1;
    }
    i++;
  }
  return i;
}
