/**
 * A local fake of PayPal's REST API, as much of it as the PayPal adapter uses: OAuth2
 * client credentials, Vault v3 payment tokens, Orders v2, Payments v2 captures and refunds,
 * and webhook signature verification. Requests, errors, authentication and PayPal-Request-Id
 * replay follow PayPal's documentation; the in-memory ledger is there for tests to inspect.
 *
 * Tests start it (`await fake.start()`, port 0 on 127.0.0.1), point the adapter's `apiBase`
 * at `fake.url`, make setup tokens with `setupToken()` (PayPal's JS SDK does that in real
 * life) and webhooks with `captureWebhook()` and friends.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  captureJson,
  captureOrder,
  createOrder,
  createPaymentToken,
  getCapture,
  getOrder,
  refundCapture,
  refundJson,
  type Answer,
  type FakeBehaviour,
  type FakeLedger,
} from './paypal-payments.ts';
import { debugId, failure, now, paypalId, PayPalFailure, type FakeCard, type FakeWallet } from './paypal-state.ts';
import { signWebhook, verifyWebhookSignature, webhookEvent, type SignedWebhook } from './paypal-webhooks.ts';

export { REJECTION_TRIGGERS } from './paypal-payments.ts';
export type { SignedWebhook } from './paypal-webhooks.ts';

export interface Fault {
  /** Which requests it hits (default: any). */
  path?: RegExp;
  /** Answer with this 5xx before doing anything. */
  status?: number;
  /** 'request': cut the connection before doing anything; 'response': do it, then cut. */
  drop?: 'request' | 'response';
}

export interface LoggedRequest {
  method: string;
  path: string;
  requestId: string | null;
  status: number;
  /** The body as sent (text), for tests that check what the adapter asked for. */
  body: string;
}

interface Route {
  method: string;
  pattern: RegExp;
  handle: (match: RegExpExecArray, body: string, request: IncomingMessage) => Answer;
}

export class PayPalFake {
  readonly clientId = `AeA1QIZXiflr1_${randomBytes(12).toString('hex')}`;
  readonly clientSecret = `ECYYrrSHdKfk_${randomBytes(12).toString('hex')}`;
  readonly webhookId = paypalId();
  /** The fake's stand-in for PayPal's signing key (see paypal-webhooks.ts). */
  readonly webhookSecret = randomBytes(32).toString('hex');
  readonly ledger: FakeLedger = { setupTokens: new Map(), paymentTokens: new Map(), orders: new Map(), captures: new Map(), refunds: new Map() };
  readonly behaviour: FakeBehaviour = { captureOnCreate: true, mockIssue: null };
  readonly requests: LoggedRequest[] = [];
  private readonly accessTokens = new Map<string, number>();
  /** PayPal-Request-Id → the first answer (PayPal keeps them hours to days). */
  private readonly replays = new Map<string, Answer>();
  private readonly faults: Fault[] = [];
  private server: Server | null = null;
  url = '';

  private readonly routes: Route[] = [
    { method: 'POST', pattern: /^\/v3\/vault\/payment-tokens$/, handle: (_m, body) => createPaymentToken(this.ledger, json(body)) },
    { method: 'POST', pattern: /^\/v2\/checkout\/orders$/, handle: (_m, body, req) => createOrder(this.ledger, this.behaviour, json(body), header(req, 'paypal-request-id')) },
    { method: 'GET', pattern: /^\/v2\/checkout\/orders\/([A-Z0-9]+)$/, handle: (m) => getOrder(this.ledger, m[1] as string) },
    { method: 'POST', pattern: /^\/v2\/checkout\/orders\/([A-Z0-9]+)\/capture$/, handle: (m) => captureOrder(this.ledger, m[1] as string) },
    { method: 'GET', pattern: /^\/v2\/payments\/captures\/([A-Z0-9]+)$/, handle: (m) => getCapture(this.ledger, m[1] as string) },
    { method: 'POST', pattern: /^\/v2\/payments\/captures\/([A-Z0-9]+)\/refund$/, handle: (m, body) => refundCapture(this.ledger, m[1] as string, json(body)) },
    {
      method: 'POST',
      pattern: /^\/v1\/notifications\/verify-webhook-signature$/,
      handle: (_m, body) => verifyWebhookSignature(this.webhookSecret, new Set([this.webhookId]), body),
    },
  ];

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.serve(req, res));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  credentials(): { client_id: string; client_secret: string; webhook_id: string } {
    return { client_id: this.clientId, client_secret: this.clientSecret, webhook_id: this.webhookId };
  }

  /**
   * A setup token as PayPal's JS SDK leaves it: APPROVED once the buyer approved it (card
   * fields submitted, PayPal login done), PAYER_ACTION_REQUIRED when they did not.
   */
  setupToken(source: { card: FakeCard } | { paypal: FakeWallet }, approved = true): string {
    const id = paypalId();
    this.ledger.setupTokens.set(id, {
      id,
      status: approved ? 'APPROVED' : 'PAYER_ACTION_REQUIRED',
      card: 'card' in source ? source.card : null,
      paypal: 'paypal' in source ? source.paypal : null,
      customerId: `customer_${paypalId().slice(0, 9)}`,
      paymentTokenId: null,
    });
    return id;
  }

  /** A payment token saved earlier (vaulted before the test began): its id. */
  paymentToken(source: { card: FakeCard } | { paypal: FakeWallet }): string {
    const id = paypalId().slice(0, 8).toLowerCase();
    const card = 'card' in source ? source.card : null;
    this.ledger.paymentTokens.set(id, { id, customer: { id: `customer_${paypalId().slice(0, 9)}` }, card, paypal: 'paypal' in source ? source.paypal : null });
    return id;
  }

  /** The next matching request fails as `fault` says. */
  failNext(fault: Fault): void {
    this.faults.push(fault);
  }

  /** PayPal drops request ids after a while (orders: 6 hours): what a late retry meets. */
  forgetRequestIds(): void {
    this.replays.clear();
  }

  /** Every access token issued so far stops working (expired, or revoked by PayPal). */
  expireTokens(): void {
    this.accessTokens.clear();
  }

  /** Signs `rawBody` as PayPal would for this app's webhook. */
  sign(rawBody: string): SignedWebhook {
    return signWebhook(this.webhookSecret, this.webhookId, rawBody);
  }

  /** PAYMENT.CAPTURE.COMPLETED / DENIED … for a capture of the ledger. */
  captureWebhook(eventType: string, captureId: string): SignedWebhook {
    const capture = this.ledger.captures.get(captureId);
    if (!capture) throw new Error(`no capture ${captureId}`);
    return this.sign(JSON.stringify(webhookEvent(eventType, 'capture', captureJson(capture, true))));
  }

  /** PAYMENT.CAPTURE.REFUNDED for a refund of the ledger (the resource is the refund). */
  refundWebhook(refundId: string): SignedWebhook {
    const refund = this.ledger.refunds.get(refundId);
    if (!refund) throw new Error(`no refund ${refundId}`);
    return this.sign(JSON.stringify(webhookEvent('PAYMENT.CAPTURE.REFUNDED', 'refund', refundJson(refund, this.ledger))));
  }

  /** CUSTOMER.DISPUTE.CREATED for a capture of the ledger (the resource is the dispute). */
  disputeWebhook(captureId: string): SignedWebhook {
    const capture = this.ledger.captures.get(captureId);
    if (!capture) throw new Error(`no capture ${captureId}`);
    const dispute = {
      dispute_id: `PP-D-${paypalId().slice(0, 6)}`,
      create_time: now(),
      update_time: now(),
      disputed_transactions: [{ seller_transaction_id: capture.id, seller: { merchant_id: 'C7CYMKZDG8D6E' }, seller_protection_eligible: true }],
      reason: 'MERCHANDISE_OR_SERVICE_NOT_RECEIVED',
      status: 'OPEN',
      dispute_amount: capture.amount,
      dispute_life_cycle_stage: 'INQUIRY',
      dispute_channel: 'INTERNAL',
    };
    return this.sign(JSON.stringify(webhookEvent('CUSTOMER.DISPUTE.CREATED', 'dispute', dispute)));
  }

  /** How many requests reached `method path` (path as a pattern). */
  count(method: string, path: RegExp): number {
    return this.requests.filter((r) => r.method === method && path.test(r.path)).length;
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    const method = req.method ?? 'GET';
    const requestId = header(req, 'paypal-request-id') ?? null;
    const faultAt = this.faults.findIndex((f) => !f.path || f.path.test(path));
    const fault = faultAt >= 0 ? this.faults.splice(faultAt, 1)[0] : undefined;
    const log = (status: number): void => void this.requests.push({ method, path, requestId, status, body });
    if (fault?.drop === 'request') {
      log(0);
      req.socket.destroy();
      return;
    }
    if (fault?.status) {
      log(fault.status);
      return send(res, fault.status, failure(fault.status, 'INTERNAL_SERVER_ERROR', null).body);
    }
    let answer: Answer;
    try {
      answer = this.answer(method, path, body, req, requestId);
    } catch (error) {
      // A bug of the fake: say so the way PayPal says it, and show it in the test output.
      console.error('PayPal fake:', error);
      answer = { status: 500, body: failure(500, 'INTERNAL_SERVER_ERROR', null).body };
    }
    log(answer.status);
    if (fault?.drop === 'response') {
      req.socket.destroy();
      return;
    }
    send(res, answer.status, answer.body);
  }

  private answer(method: string, path: string, body: string, req: IncomingMessage, requestId: string | null): Answer {
    try {
      if (method === 'POST' && path === '/v1/oauth2/token') return this.token(req, body);
      const unauthorized = this.checkBearer(req);
      if (unauthorized) return unauthorized;
      const route = this.routes.find((r) => r.method === method && r.pattern.test(path));
      if (!route) return { status: 404, body: failure(404, 'RESOURCE_NOT_FOUND', 'INVALID_RESOURCE_ID', 'The requested resource does not exist.').body };
      const replayKey = method === 'POST' && requestId ? `${path}\u0000${requestId}` : null;
      const earlier = replayKey ? this.replays.get(replayKey) : undefined;
      // PayPal answers a repeated request id with the first response (200 for a create).
      if (earlier) return { status: earlier.status === 201 ? 200 : earlier.status, body: earlier.body };
      const answer = route.handle(route.pattern.exec(path) as RegExpExecArray, body, req);
      if (replayKey && answer.status < 300) this.replays.set(replayKey, answer);
      return answer;
    } catch (error) {
      if (error instanceof PayPalFailure) return { status: error.status, body: error.body };
      throw error;
    }
  }

  /** POST /v1/oauth2/token: client credentials in Basic auth, grant_type in the form. */
  private token(req: IncomingMessage, body: string): Answer {
    const basic = /^Basic (.+)$/.exec(header(req, 'authorization') ?? '');
    const [id, secret] = Buffer.from(basic?.[1] ?? '', 'base64').toString().split(':');
    if (id !== this.clientId || secret !== this.clientSecret) {
      return { status: 401, body: { error: 'invalid_client', error_description: 'Client Authentication failed' } };
    }
    if (new URLSearchParams(body).get('grant_type') !== 'client_credentials') {
      return { status: 400, body: { error: 'unsupported_grant_type', error_description: 'Grant Type is NULL' } };
    }
    const token = `A21AA${randomBytes(24).toString('base64url')}`;
    this.accessTokens.set(token, Date.now() + 32_400_000);
    return {
      status: 200,
      body: {
        scope: 'https://uri.paypal.com/services/payments/payment https://uri.paypal.com/services/vault/payment-tokens/readwrite',
        access_token: token,
        token_type: 'Bearer',
        app_id: 'APP-80W284485P519543T',
        expires_in: 32400,
        nonce: `${now()}${randomBytes(8).toString('hex')}`,
      },
    };
  }

  private checkBearer(req: IncomingMessage): Answer | null {
    const bearer = /^Bearer (.+)$/.exec(header(req, 'authorization') ?? '');
    if (!bearer) {
      return {
        status: 401,
        body: {
          name: 'AUTHENTICATION_FAILURE',
          message: 'Authentication failed due to invalid authentication credentials or a missing Authorization header.',
          links: [{ href: 'https://developer.paypal.com/docs/api/overview/#error', rel: 'information_link' }],
        },
      };
    }
    const expires = this.accessTokens.get(bearer[1] as string);
    if (expires === undefined || expires < Date.now()) {
      return { status: 401, body: { error: 'invalid_token', error_description: 'Token signature verification failed' } };
    }
    return null;
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function json(body: string): unknown {
  if (body === '') return {};
  try {
    return JSON.parse(body);
  } catch {
    throw failure(400, 'INVALID_REQUEST', 'MALFORMED_REQUEST_JSON', 'The request JSON is not well formed.');
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'paypal-debug-id': debugId() });
  res.end(JSON.stringify(body));
}
