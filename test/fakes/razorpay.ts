/**
 * A local fake of Razorpay's API for the adapter's tests (node:http on 127.0.0.1, port 0),
 * reached by the official `razorpay` SDK. It follows Razorpay's documented behaviour for
 * what the adapter uses: JSON bodies, Basic auth with key_id:key_secret (401 "Authentication
 * failed" otherwise), errors as `{ error: { code, description, field, source, step, reason,
 * metadata } }`, orders filtered by receipt, X-Refund-Idempotency on refunds, and webhooks
 * signed with X-Razorpay-Signature = hex HMAC-SHA256(body, webhook secret). Resources live
 * in razorpay-resources.ts; tests read `fake.ledger`.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  collection,
  createOrder,
  createRecurringPayment,
  createRefund,
  customerJson,
  DECLINES,
  listOrders,
  newId,
  noSuchId,
  now,
  paymentJson,
  RazorpayLedger,
  refundJson,
  rzpError,
  settlePayment,
  tokenJson,
  type JsonObject,
  type Reply,
  type TokenRecord,
} from './razorpay-resources.ts';

export interface RazorpayFakeOptions {
  keyId: string;
  keySecret: string;
  webhookSecret: string;
}

export interface RazorpayFakeRequest {
  method: string;
  path: string;
  status: number;
  refundIdempotencyKey: string | null;
}

/**
 * Test cards Razorpay documents for test mode (razorpay.com/docs/payments/payments/test-card-details),
 * as the token Checkout leaves after the authorisation payment.
 */
const TEST_CARDS: Readonly<Record<string, TokenRecord['card']>> = {
  '4111111111111111': { last4: '1111', network: 'Visa', type: 'credit', international: false, issuer: 'HDFC' },
  '5267318187975449': { last4: '5449', network: 'MasterCard', type: 'credit', international: false, issuer: 'KKBK' },
  '4012888888881881': { last4: '1881', network: 'Visa', type: 'credit', international: true, issuer: null },
};

export interface TokenOptions {
  card?: keyof typeof TEST_CARDS;
  /** The mandate's state; only `confirmed` tokens can be debited. */
  status?: TokenRecord['status'];
  failureReason?: string | null;
  /**
   * How this token's debits end. Razorpay's test mode decides by the card and the mock
   * bank page; here the test names one of Razorpay's documented error reasons.
   */
  declines?: keyof typeof DECLINES;
  /** Leave debits `created` until `settle` (live debits settle after the pre-debit notice). */
  async?: boolean;
}

export class RazorpayFake {
  readonly ledger = new RazorpayLedger();
  readonly requests: RazorpayFakeRequest[] = [];
  private readonly refundKeys = new Map<string, { body: string; reply: Reply }>();
  /** Faults still to inject: on the next request, or the next one to `path`. */
  private failures: { status: number; path: string | null }[] = [];
  private drops: (string | null)[] = [];

  private constructor(
    private readonly server: Server,
    private readonly options: RazorpayFakeOptions,
  ) {}

  static async start(options: RazorpayFakeOptions): Promise<RazorpayFake> {
    let fake: RazorpayFake | undefined;
    const server = createServer((req, res) => {
      void fake?.handle(req, res);
    });
    fake = new RazorpayFake(server, options);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.server.close((error) => (error ? reject(error) : resolve())));
  }

  /** The next `count` requests (to `path`, if given) get a 5xx before doing anything. */
  failNext(count: number, status = 500, path: string | null = null): void {
    this.failures.push(...Array.from({ length: count }, () => ({ status, path })));
  }

  /** The next `count` requests (to `path`, if given) are carried out, then the connection is cut before answering. */
  dropNextResponses(count = 1, path: string | null = null): void {
    this.drops.push(...Array.from({ length: count }, () => path));
  }

  private take<T extends string | null | { path: string | null }>(queue: T[], path: string): T | undefined {
    const index = queue.findIndex((entry) => {
      const wanted = entry !== null && typeof entry === 'object' ? entry.path : entry;
      return wanted === null || wanted === path;
    });
    return index === -1 ? undefined : queue.splice(index, 1)[0];
  }

  /** A customer as the merchant's server creates it before opening Checkout. */
  createCustomer(fields: { name?: string; email?: string | null; contact?: string | null } = {}): string {
    const id = newId('cust');
    this.ledger.customers.set(id, { id, name: fields.name ?? 'Gaurav Kumar', email: fields.email === undefined ? 'gaurav.kumar@example.com' : fields.email, contact: fields.contact === undefined ? '+919000090000' : fields.contact, created_at: now() });
    return id;
  }

  /** The recurring token Checkout (`recurring: 1`, `customer_id`) leaves on a customer. */
  createToken(customerId: string, options: TokenOptions = {}): string {
    const card = TEST_CARDS[options.card ?? '4111111111111111'];
    if (!card || !this.ledger.customers.has(customerId)) throw new Error('unknown card or customer');
    const token: TokenRecord = {
      id: newId('token'),
      customer_id: customerId,
      card,
      status: options.status ?? 'confirmed',
      failure_reason: options.failureReason ?? null,
      declines: options.declines ? (DECLINES[options.declines] ?? null) : null,
      async: options.async ?? false,
      expired_at: now() + 4 * 365 * 86_400,
      created_at: now(),
    };
    this.ledger.tokens.set(token.id, token);
    return token.id;
  }

  settle(paymentId: string): void {
    settlePayment(this.ledger, paymentId);
  }

  createDispute(paymentId: string): { id: string; body: JsonObject } {
    const payment = this.ledger.payments.get(paymentId);
    if (!payment) throw new Error(`no payment ${paymentId}`);
    const dispute: JsonObject = { id: newId('disp'), entity: 'dispute', payment_id: payment.id, amount: payment.amount, currency: payment.currency, amount_deducted: 0, reason_code: 'chargeback', respond_by: now() + 7 * 86_400, status: 'open', phase: 'chargeback', created_at: now() };
    return this.ledger.emit('payment.dispute.created', { payment: paymentJson(payment), dispute });
  }

  failRefund(refundId: string): { id: string; body: JsonObject } {
    const refund = this.ledger.refunds.get(refundId);
    const payment = refund ? this.ledger.payments.get(refund.payment_id) : undefined;
    if (!refund || !payment) throw new Error(`no refund ${refundId}`);
    refund.status = 'failed';
    payment.amount_refunded -= refund.amount;
    if (payment.status === 'refunded') payment.status = 'captured';
    return this.ledger.emit('refund.failed', { refund: refundJson(refund), payment: paymentJson(payment) });
  }

  /** A delivery as Razorpay makes it: the JSON body, its signature and event id headers. */
  signedWebhook(event: { id: string; body: JsonObject }, options: { secret?: string } = {}): { rawBody: string; headers: Record<string, string> } {
    const rawBody = JSON.stringify(event.body);
    const signature = createHmac('sha256', options.secret ?? this.options.webhookSecret).update(rawBody).digest('hex');
    return { rawBody, headers: { 'content-type': 'application/json', 'x-razorpay-signature': signature, 'x-razorpay-event-id': event.id } };
  }

  eventsOf(type: string): { id: string; body: JsonObject }[] {
    return this.ledger.events.filter((event) => event.body.event === type);
  }

  private authenticated(req: IncomingMessage): boolean {
    const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    return basic !== undefined && Buffer.from(basic, 'base64').toString('utf8') === `${this.options.keyId}:${this.options.keySecret}`;
  }

  /** X-Refund-Idempotency, as documented: same body → same refund; other body → refused. */
  private refundWithKey(key: string, paymentId: string, body: JsonObject, raw: string): Reply {
    if (key.length < 10) return rzpError(400, 'The idempotency key must be at least 10 characters long.');
    if (!/^[A-Za-z0-9_-]+$/.test(key)) return rzpError(400, 'The idempotency key must only contain alphanumeric characters, underscores, and hyphens');
    const hash = createHash('sha256').update(`${paymentId}\n${raw}`).digest('hex');
    const earlier = this.refundKeys.get(key);
    if (earlier) return earlier.body === hash ? earlier.reply : rzpError(409, 'Different request with the same idempotency key has already been processed.');
    const reply = createRefund(this.ledger, paymentId, body);
    if (reply.status === 200) this.refundKeys.set(key, { body: hash, reply });
    return reply;
  }

  private route(method: string, url: URL, body: JsonObject, raw: string, refundKey: string | null): Reply {
    const [version, resource, id, sub, subId] = url.pathname.split('/').filter(Boolean);
    const parts = url.pathname.split('/').filter(Boolean).length;
    if (version !== 'v1') return rzpError(400, 'The requested URL was not found on the server.');
    if (resource === 'customers' && method === 'GET' && id && parts === 3) {
      const customer = this.ledger.customers.get(id);
      return customer ? { status: 200, body: customerJson(customer) } : noSuchId();
    }
    if (resource === 'customers' && method === 'GET' && id && sub === 'tokens' && subId && parts === 5) {
      const token = this.ledger.tokens.get(subId);
      return token && token.customer_id === id ? { status: 200, body: tokenJson(token) } : noSuchId();
    }
    if (resource === 'orders' && method === 'POST' && parts === 2) return createOrder(this.ledger, body);
    if (resource === 'orders' && method === 'GET' && parts === 2) return listOrders(this.ledger, url.searchParams);
    if (resource === 'orders' && method === 'GET' && id && sub === 'payments' && parts === 4) {
      if (!this.ledger.orders.has(id)) return noSuchId();
      return { status: 200, body: collection([...this.ledger.payments.values()].filter((p) => p.order_id === id).map(paymentJson)) };
    }
    if (resource === 'payments' && method === 'POST' && id === 'create' && sub === 'recurring' && parts === 4) return createRecurringPayment(this.ledger, body, this.options.keySecret);
    if (resource === 'payments' && method === 'GET' && id && parts === 3) {
      const payment = this.ledger.payments.get(id);
      return payment ? { status: 200, body: paymentJson(payment) } : noSuchId();
    }
    if (resource === 'payments' && id && sub === 'refund' && method === 'POST' && parts === 4) return refundKey ? this.refundWithKey(refundKey, id, body, raw) : createRefund(this.ledger, id, body);
    if (resource === 'payments' && id && sub === 'refunds' && method === 'GET' && parts === 4) {
      const count = Math.min(Number(url.searchParams.get('count') ?? 10), 100);
      return { status: 200, body: collection([...this.ledger.refunds.values()].filter((r) => r.payment_id === id).reverse().slice(0, count).map(refundJson)) };
    }
    return rzpError(400, 'The requested URL was not found on the server.');
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://razorpay.fake');
    const refundKey = typeof req.headers['x-refund-idempotency'] === 'string' ? req.headers['x-refund-idempotency'] : null;
    const log: RazorpayFakeRequest = { method, path: url.pathname, status: 0, refundIdempotencyKey: refundKey };
    this.requests.push(log);

    let reply: Reply;
    const failure = this.authenticated(req) ? this.take(this.failures, url.pathname) : undefined;
    if (!this.authenticated(req)) {
      reply = rzpError(401, 'Authentication failed');
    } else if (failure !== undefined) {
      reply = rzpError(failure.status, 'The server encountered an error. The incident has been reported to admins.');
    } else {
      let body: JsonObject = {};
      try {
        const parsed: unknown = raw === '' ? {} : JSON.parse(raw);
        if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) body = parsed as JsonObject;
      } catch {
        body = {};
      }
      reply = this.route(method, url, body, raw, refundKey);
    }
    log.status = reply.status;
    if (reply.status < 500 && this.take(this.drops, url.pathname) !== undefined) {
      req.socket.destroy();
      return;
    }
    res.writeHead(reply.status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(reply.body));
  }
}

export function razorpayTestCredentials(): { key_id: string; key_secret: string; webhook_secret: string } {
  return { key_id: `rzp_test_${randomBytes(8).toString('hex')}`, key_secret: randomBytes(12).toString('hex'), webhook_secret: randomBytes(16).toString('hex') };
}

