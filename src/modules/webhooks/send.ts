import { createHmac } from 'node:crypto';
import { unixSeconds } from '../../lib/time.ts';

/** How long a receiver has to answer. */
export const SEND_TIMEOUT_MS = 10_000;
/** How much of an answer the delivery log keeps. */
export const RESPONSE_EXCERPT_BYTES = 1024;
export const USER_AGENT = 'Recur/1.0 (webhooks)';

/**
 * Stripe's `Stripe-Signature` header: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<payload>"
 * keyed with the endpoint's secret>`, which `stripe.webhooks.constructEvent` verifies.
 */
export function signatureHeader(payload: string, secret: string, signedAt: Date): string {
  const t = unixSeconds(signedAt);
  const v1 = createHmac('sha256', secret).update(`${t}.${payload}`, 'utf8').digest('hex');
  return `t=${t},v1=${v1}`;
}

export interface SendResult {
  ok: boolean;
  statusCode: number | null;
  /** Set when there was no HTTP answer (timeout, refused connection, bad TLS). */
  error: string | null;
  /** The first kilobyte of the answer's body. */
  response: string | null;
}

/** The first `RESPONSE_EXCERPT_BYTES` of a body; the rest is not read. */
async function excerpt(response: Response): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < RESPONSE_EXCERPT_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  // A multi-byte character cut at the limit decodes as U+FFFD rather than failing.
  return new TextDecoder().decode(Buffer.concat(chunks).subarray(0, RESPONSE_EXCERPT_BYTES)).replace(/\u0000/g, '');
}

function describe(error: unknown): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `No answer within ${SEND_TIMEOUT_MS / 1000} seconds.`;
  }
  // fetch reports the network's reason (ECONNREFUSED, ENOTFOUND, a certificate error) as its cause.
  const cause = error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
  const reason = cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
  return `Could not connect: ${reason}`.slice(0, 500);
}

/**
 * POSTs one signed event. A 2xx answer is a success; anything else (redirects are not
 * followed, as Stripe's are not) is a failure to retry. Never throws for the receiver's
 * faults: they are the result.
 */
export async function sendEvent(url: string, payload: string, secret: string, signedAt: Date): Promise<SendResult> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'user-agent': USER_AGENT,
        'stripe-signature': signatureHeader(payload, secret, signedAt),
      },
      body: payload,
      redirect: 'manual',
      signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
    });
    const body = await excerpt(response).catch(() => '');
    const ok = response.status >= 200 && response.status < 300;
    return { ok, statusCode: response.status, error: null, response: body };
  } catch (error) {
    return { ok: false, statusCode: null, error: describe(error), response: null };
  }
}
