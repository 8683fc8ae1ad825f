/**
 * A local fake of Stripe's API for the adapter's tests (node:http on 127.0.0.1, port 0),
 * reached by the official `stripe` SDK through its host/port/protocol options. It follows
 * Stripe's documented behaviour for what the adapter uses: form-encoded bodies, Bearer
 * authentication and its 401, Idempotency-Key replay (same key and parameters: the first
 * response again, with `Idempotent-Replayed: true`; other parameters or endpoint: 400
 * idempotency_error), 402 card errors, and webhooks signed `t=…,v1=HMAC-SHA256(t.body)`.
 * The resources live in stripe-resources.ts; tests read `fake.ledger`.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  attachPaymentMethod,
  chargeJson,
  createCustomer,
  createPaymentIntent,
  createRefund,
  deleteCustomer,
  makePaymentMethod,
  refundJson,
  retrievePaymentIntent,
  StripeLedger,
  type RequestInfo,
} from './stripe-resources.ts';
import { errorReply, newId, now, Params, type JsonObject, type Reply } from './stripe-support.ts';

export interface StripeFakeOptions {
  secretKey: string;
  webhookSecret: string;
}

export interface StripeFakeRequest {
  method: string;
  path: string;
  idempotencyKey: string | null;
  status: number;
  replayed: boolean;
}

interface StoredResponse {
  endpoint: string;
  params: string;
  reply: Reply;
}

const redact = (key: string): string => (key.length > 12 ? `${key.slice(0, 8)}${'*'.repeat(key.length - 12)}${key.slice(-4)}` : '*'.repeat(key.length));

export class StripeFake {
  readonly ledger = new StripeLedger();
  /** Every request that reached the fake, in order. */
  readonly requests: StripeFakeRequest[] = [];
  private readonly stored = new Map<string, StoredResponse>();
  private failures: number[] = [];
  private drops = 0;

  private constructor(
    private readonly server: Server,
    private readonly options: StripeFakeOptions,
  ) {}

  static async start(options: StripeFakeOptions): Promise<StripeFake> {
    let fake: StripeFake | undefined;
    const server = createServer((req, res) => {
      void fake?.handle(req, res);
    });
    fake = new StripeFake(server, options);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get url(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.server.close((error) => (error ? reject(error) : resolve())));
  }

  /** The next `count` requests get a 5xx before doing anything (nothing stored for their keys). */
  failNext(count: number, status = 500): void {
    this.failures.push(...Array.from({ length: count }, () => status));
  }

  /** Answers normally again (drops the 5xx still queued by failNext). */
  heal(): void {
    this.failures = [];
  }

  /** The next `count` requests are carried out, then the connection is cut before answering. */
  dropNextResponses(count = 1): void {
    this.drops += count;
  }

  /** What Stripe.js gives the browser for a test card: an unattached PaymentMethod's id. */
  createPaymentMethod(alias: string): string {
    const pm = makePaymentMethod(this.ledger, alias);
    if (!pm || !('id' in pm)) throw new Error(`${alias} does not make a PaymentMethod in the fake`);
    return pm.id;
  }

  /** The cardholder disputes a payment: Stripe sends charge.dispute.created. */
  createDispute(paymentIntentId: string): JsonObject {
    const pi = this.ledger.paymentIntents.get(paymentIntentId);
    const charge = pi?.latest_charge ? this.ledger.charges.get(pi.latest_charge) : undefined;
    if (!pi || !charge) throw new Error(`no charge for ${paymentIntentId}`);
    const dispute: JsonObject = {
      id: newId('du'),
      object: 'dispute',
      amount: charge.amount,
      charge: charge.id,
      created: now(),
      currency: charge.currency,
      is_charge_refundable: false,
      livemode: false,
      metadata: {},
      payment_intent: pi.id,
      reason: 'fraudulent',
      status: 'needs_response',
    };
    return this.ledger.emit('charge.dispute.created', dispute, null);
  }

  /** The card network sends a refund back (e.g. the card was closed): refund.updated. */
  failRefund(refundId: string, reason = 'expired_or_canceled_card'): JsonObject {
    const refund = this.ledger.refunds.get(refundId);
    const charge = refund ? this.ledger.charges.get(refund.charge) : undefined;
    if (!refund || !charge) throw new Error(`no refund ${refundId}`);
    refund.status = 'failed';
    refund.failure_reason = reason;
    charge.amount_refunded -= refund.amount;
    this.ledger.emit('refund.failed', refundJson(refund), null);
    this.ledger.emit('charge.updated', chargeJson(charge), null);
    return this.ledger.emit('refund.updated', refundJson(refund), null);
  }

  /** An event as Stripe delivers it: pretty-printed JSON and its Stripe-Signature header. */
  signedWebhook(event: JsonObject, options: { secret?: string; timestamp?: number } = {}): { rawBody: string; headers: Record<string, string> } {
    const rawBody = JSON.stringify(event, null, 2);
    const timestamp = options.timestamp ?? now();
    const signature = createHmac('sha256', options.secret ?? this.options.webhookSecret).update(`${timestamp}.${rawBody}`).digest('hex');
    return { rawBody, headers: { 'content-type': 'application/json; charset=utf-8', 'stripe-signature': `t=${timestamp},v1=${signature}` } };
  }

  eventsOfType(type: string): JsonObject[] {
    return this.ledger.events.filter((event) => event.type === type);
  }

  private authenticate(req: IncomingMessage): Reply | null {
    const header = req.headers.authorization ?? '';
    const bearer = /^Bearer (.+)$/.exec(header)?.[1];
    const basic = /^Basic (.+)$/.exec(header)?.[1];
    const key = bearer ?? (basic ? Buffer.from(basic, 'base64').toString('utf8').split(':')[0] : undefined);
    if (!key) {
      return errorReply(401, {
        type: 'invalid_request_error',
        message:
          "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.",
      });
    }
    if (key !== this.options.secretKey) return errorReply(401, { type: 'invalid_request_error', message: `Invalid API Key provided: ${redact(key)}` });
    return null;
  }

  private route(method: string, path: string, params: Params, info: RequestInfo): Reply {
    const segments = path.split('/').filter(Boolean);
    const [version, resource, id, action] = segments;
    if (version === 'v1') {
      if (method === 'POST' && resource === 'customers' && segments.length === 2) return createCustomer(this.ledger, params);
      if (method === 'DELETE' && resource === 'customers' && id && segments.length === 3) return deleteCustomer(this.ledger, id);
      if (method === 'POST' && resource === 'payment_methods' && id && action === 'attach' && segments.length === 4) return attachPaymentMethod(this.ledger, id, params);
      if (method === 'POST' && resource === 'payment_intents' && segments.length === 2) return createPaymentIntent(this.ledger, params, info);
      if (method === 'GET' && resource === 'payment_intents' && id && segments.length === 3) return retrievePaymentIntent(this.ledger, id, params);
      if (method === 'POST' && resource === 'refunds' && segments.length === 2) return createRefund(this.ledger, params, info);
    }
    return errorReply(404, {
      type: 'invalid_request_error',
      message: `Unrecognized request URL (${method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
    });
  }

  /** Idempotency keys, as Stripe: replay, or refuse a key reused for something else. */
  private replayFor(key: string, endpoint: string, params: string): Reply | 'replay' | null {
    const stored = this.stored.get(key);
    if (!stored) return null;
    if (stored.endpoint !== endpoint) {
      return errorReply(400, {
        type: 'idempotency_error',
        message: `Keys for idempotent requests can only be used for the same endpoint they were first used for ('${stored.endpoint}' vs '${endpoint}'). Try using a key other than '${key}' if you meant to execute a different request.`,
      });
    }
    if (stored.params !== params) {
      return errorReply(400, {
        type: 'idempotency_error',
        message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
      });
    }
    return 'replay';
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://stripe.fake');
    const method = req.method ?? 'GET';
    const body = Buffer.concat(chunks).toString('utf8');
    const idempotencyKey = typeof req.headers['idempotency-key'] === 'string' ? req.headers['idempotency-key'] : null;
    const info: RequestInfo = { requestId: newId('req'), idempotencyKey, apiVersion: String(req.headers['stripe-version'] ?? '2026-10-28.endive') };
    const log: StripeFakeRequest = { method, path: url.pathname, idempotencyKey, status: 0, replayed: false };
    this.requests.push(log);

    let reply = this.authenticate(req);
    const failure = reply ? undefined : this.failures.shift();
    if (failure !== undefined) reply = errorReply(failure, { type: 'api_error', message: 'An unknown error occurred' });
    const params = new Params(new URLSearchParams(method === 'GET' || method === 'DELETE' ? url.search : body));
    const endpoint = `${method} ${url.pathname}`;
    const canonical = [...params.all.entries()].map(([k, v]) => `${k}=${v}`).sort().join('&');
    if (!reply && method === 'POST' && idempotencyKey) {
      const replay = this.replayFor(idempotencyKey, endpoint, canonical);
      if (replay === 'replay') {
        reply = (this.stored.get(idempotencyKey) as StoredResponse).reply;
        log.replayed = true;
      } else if (replay) {
        reply = replay;
      }
    }
    if (!reply) {
      reply = this.route(method, url.pathname, params, info);
      // Stripe keeps the outcome of a request that ran (a success or a card error), not
      // a request refused before running.
      if (method === 'POST' && idempotencyKey && (reply.status === 200 || reply.status === 402)) this.stored.set(idempotencyKey, { endpoint, params: canonical, reply });
    }
    log.status = reply.status;
    if (this.drops > 0 && reply.status < 500) {
      this.drops -= 1;
      req.socket.destroy();
      return;
    }
    res.writeHead(reply.status, {
      'content-type': 'application/json',
      'request-id': info.requestId,
      'stripe-version': info.apiVersion,
      ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
      ...(log.replayed ? { 'idempotent-replayed': 'true' } : {}),
    });
    res.end(JSON.stringify(reply.body, null, 2));
  }
}

/** Keys in Stripe's formats, for tests. */
export function stripeTestCredentials(): { secret_key: string; webhook_secret: string } {
  return { secret_key: `sk_test_${randomBytes(24).toString('hex')}`, webhook_secret: `whsec_${randomBytes(24).toString('hex')}` };
}
