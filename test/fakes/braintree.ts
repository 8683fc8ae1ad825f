import { createHash, createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import {
  braintreeId,
  creditCardXml,
  customerXml,
  transactionXml,
  verificationXml,
  type FakeCreditCard,
  type FakeCustomer,
  type FakeMerchantAccount,
  type FakeTransaction,
  type FakeVerification,
} from './braintree-ledger.ts';
import { amountOutcome, NONCES, responseText, responseType, UNKNOWN_NONCE } from './braintree-sandbox.ts';
import { apiErrorResponse, document, XmlArray, XmlCollection, type FakeValidationError } from './braintree-xml.ts';
import { refund, sale, voidSale, type Answer } from './braintree-transactions.ts';

export type { FakeTransaction } from './braintree-ledger.ts';

/**
 * A local Braintree gateway for tests: its XML API as the official Node SDK speaks it (JSON
 * requests with underscored keys, XML answers, gzip, `X-ApiVersion`, HTTP Basic with the
 * public and private key), for the endpoints Recur's adapter uses: customers, payment
 * methods with card verification, transaction sale / find / search / refund / void, and the
 * merchant account list. Sandbox behaviour follows Braintree's documented test nonces and
 * amounts (braintree-sandbox.ts). The ledger (maps below) is what the merchant's Braintree
 * account holds; tests read it to see what money moved.
 */
export interface FakeBraintreeOptions {
  merchantId?: string;
  publicKey?: string;
  privateKey?: string;
  merchantAccounts?: FakeMerchantAccount[];
}

type Fault = { kind: 'status'; status: number } | { kind: 'drop' };

export class FakeBraintree {
  readonly merchantId: string;
  readonly publicKey: string;
  readonly privateKey: string;
  readonly merchantAccounts: FakeMerchantAccount[];
  readonly customers = new Map<string, FakeCustomer>();
  readonly creditCards = new Map<string, FakeCreditCard>();
  readonly transactions = new Map<string, FakeTransaction>();
  /** Every request that passed authentication: method and path. */
  readonly requests: { method: string; path: string }[] = [];
  private readonly faults: { match: RegExp; fault: Fault }[] = [];
  private server: Server | null = null;

  private constructor(options: FakeBraintreeOptions) {
    this.merchantId = options.merchantId ?? 'fake_merchant';
    this.publicKey = options.publicKey ?? 'fake_public_key';
    this.privateKey = options.privateKey ?? 'fake_private_key';
    this.merchantAccounts = options.merchantAccounts ?? [
      { id: 'recur_usd', currency: 'USD', default: true, status: 'active' },
      { id: 'recur_eur', currency: 'EUR', default: false, status: 'active' },
      { id: 'recur_jpy', currency: 'JPY', default: false, status: 'active' },
    ];
  }

  static async start(options: FakeBraintreeOptions = {}): Promise<FakeBraintree> {
    const fake = new FakeBraintree(options);
    const server = createServer((req, res) => {
      fake.handle(req, res).catch((error: unknown) => {
        res.writeHead(500, { 'Content-Type': 'text/plain' });
        res.end(`fake braintree: ${error instanceof Error ? error.stack : String(error)}`);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    fake.server = server;
    return fake;
  }

  /** The origin to give the adapter as `apiBase`. */
  get url(): string {
    const address = this.server?.address() as AddressInfo | null;
    if (!address) throw new Error('fake braintree is not listening');
    return `http://127.0.0.1:${address.port}`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
  }

  /** The next request whose "METHOD path" matches is answered with `status` and not acted on. */
  failNext(match: RegExp, status: number): void {
    this.faults.push({ match, fault: { kind: 'status', status } });
  }

  /** The next matching request is carried out, then its connection is cut: the answer is lost. */
  dropNextAnswer(match: RegExp): void {
    this.faults.push({ match, fault: { kind: 'drop' } });
  }

  sales(): FakeTransaction[] {
    return [...this.transactions.values()].filter((t) => t.type === 'sale');
  }

  refunds(): FakeTransaction[] {
    return [...this.transactions.values()].filter((t) => t.type === 'credit');
  }

  /** What Braintree's nightly settlement does (the sandbox's testing.settle). */
  settle(id: string): void {
    const transaction = this.transactions.get(id);
    if (!transaction) throw new Error(`no transaction ${id}`);
    transaction.status = 'settled';
    transaction.updatedAt = new Date();
    transaction.statusHistory.push({ status: 'settled', amount: transaction.amount, timestamp: transaction.updatedAt });
  }

  /**
   * A webhook as Braintree posts it: form fields bt_signature and bt_payload, the payload
   * the base64 of the notification's XML (in 60-character lines, as Braintree sends it) and
   * the signature `public_key|HMAC-SHA1(key = SHA1(private_key), payload)`.
   */
  webhook(kind: string, subjectXml: string): { signature: string; payload: string; body: string } {
    const xml = `<notification><timestamp type="datetime">${new Date().toISOString().replace(/\.\d{3}Z$/, 'Z')}</timestamp><kind>${kind}</kind><subject>${subjectXml}</subject></notification>`;
    const payload = `${(Buffer.from(xml).toString('base64').match(/.{1,60}/g) ?? []).join('\n')}\n`;
    const key = createHash('sha1').update(this.privateKey).digest();
    const signature = `${this.publicKey}|${createHmac('sha1', key).update(payload).digest('hex')}`;
    return { signature, payload, body: new URLSearchParams({ bt_signature: signature, bt_payload: payload }).toString() };
  }

  /** The XML of a ledger transaction, as a webhook subject. */
  transactionSubject(id: string): string {
    const transaction = this.transactions.get(id);
    if (!transaction) throw new Error(`no transaction ${id}`);
    return `<transaction>${xmlBody(transactionXml(transaction, this.customers.get(transaction.card.customerId)))}</transaction>`;
  }

  /** A chargeback opened on a ledger sale, as a webhook subject (dispute_opened). */
  disputeSubject(transactionId: string): string {
    const transaction = this.transactions.get(transactionId);
    if (!transaction) throw new Error(`no transaction ${transactionId}`);
    const today = new Date().toISOString().slice(0, 10);
    return (
      `<dispute><id>${braintreeId(12)}</id><amount>${transaction.amount}</amount><amount-disputed>${transaction.amount}</amount-disputed>` +
      `<amount-won>0.00</amount-won><currency-iso-code>${transaction.currency}</currency-iso-code><kind>chargeback</kind><status>open</status>` +
      `<reason>fraud</reason><received-date type="date">${today}</received-date><date-opened type="date">${today}</date-opened>` +
      `<transaction><id>${transaction.id}</id><amount>${transaction.amount}</amount></transaction></dispute>`
    );
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://fake');
    const method = req.method ?? 'GET';
    const gzip = /\bgzip\b/.test(req.headers['accept-encoding'] ?? '');
    const send = (status: number, xml?: string): void => {
      const body = xml === undefined ? Buffer.alloc(0) : gzip ? gzipSync(xml) : Buffer.from(xml);
      res.writeHead(status, { 'Content-Type': 'application/xml; charset=utf-8', ...(gzip && xml !== undefined ? { 'Content-Encoding': 'gzip' } : {}) });
      res.end(body);
    };
    // Wrong or missing keys: Braintree answers 401, which the SDK turns into AuthenticationError.
    const expected = `Basic ${Buffer.from(`${this.publicKey}:${this.privateKey}`).toString('base64')}`;
    if (req.headers.authorization !== expected) return send(401);
    if (!req.headers['x-apiversion']) return send(426);
    const prefix = `/merchants/${this.merchantId}/`;
    // Keys of another merchant, or parameters Braintree does not accept: 403 (AuthorizationError).
    if (!url.pathname.startsWith(prefix)) return send(403);
    const path = url.pathname.slice(prefix.length);
    this.requests.push({ method, path });
    const faultAt = this.faults.findIndex((f) => f.match.test(`${method} ${path}`));
    const fault = faultAt >= 0 ? this.faults.splice(faultAt, 1)[0]?.fault : undefined;
    if (fault?.kind === 'status') return send(fault.status);
    let body: unknown = null;
    if (chunks.length > 0) body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    const answer = this.route(method, path, url.searchParams, body);
    if (fault?.kind === 'drop') {
      req.socket.destroy();
      return;
    }
    send(answer.status, answer.xml);
  }

  private route(method: string, path: string, query: URLSearchParams, body: unknown): Answer {
    const segments = path.split('/');
    const [resource, id, action] = segments;
    if (method === 'GET' && resource === 'customers' && id && segments.length === 2) return this.findCustomer(id);
    if (method === 'POST' && path === 'customers') return this.createCustomer(params(body, 'customer', ['id', 'email', 'first_name']));
    if (method === 'POST' && path === 'payment_methods') {
      return this.createPaymentMethod(params(body, 'payment_method', ['customer_id', 'payment_method_nonce', 'options.verify_card']));
    }
    if (method === 'GET' && path === 'merchant_accounts') return this.listMerchantAccounts(Number(query.get('page') ?? '1'));
    if (resource !== 'transactions') return { status: 404 };
    if (method === 'POST' && segments.length === 1) {
      const p = params(body, 'transaction', ['type', 'amount', 'payment_method_token', 'order_id', 'merchant_account_id', 'options.submit_for_settlement']);
      return p ? sale(this, p) : { status: 403 };
    }
    if (method === 'POST' && id === 'advanced_search_ids') return this.searchIds(body);
    if (method === 'POST' && id === 'advanced_search') return this.search(body);
    const transaction = id ? this.transactions.get(id) : undefined;
    if (!transaction) return { status: 404 };
    if (method === 'GET' && segments.length === 2) return { status: 200, xml: document('transaction', this.transactionXml(transaction)) };
    if (method === 'POST' && action === 'refund') {
      const p = params(body ?? { transaction: {} }, 'transaction', ['amount', 'order_id']);
      return p ? refund(this, transaction, p) : { status: 403 };
    }
    if (method === 'PUT' && action === 'void') return voidSale(this, transaction);
    return { status: 404 };
  }

  transactionXml(transaction: FakeTransaction): ReturnType<typeof transactionXml> {
    return transactionXml(transaction, this.customers.get(transaction.card.customerId));
  }

  private findCustomer(id: string): Answer {
    const customer = this.customers.get(id);
    if (!customer) return { status: 404 };
    const cards = [...this.creditCards.values()].filter((card) => card.customerId === id);
    return { status: 200, xml: document('customer', customerXml(customer, cards)) };
  }

  private createCustomer(p: Params | null): Answer {
    if (!p) return { status: 403 };
    const id = text(p.id) ?? braintreeId(8);
    const invalid = (code: string, message: string): Answer => ({ status: 422, xml: apiErrorResponse({ message, errors: [{ on: 'customer', code, attribute: 'id', message }] }) });
    if (!/^[A-Za-z0-9_-]{1,36}$/.test(id)) return invalid('91610', 'Customer ID is invalid.');
    if (this.customers.has(id)) return invalid('91609', 'Customer ID has already been taken.');
    const customer: FakeCustomer = { id, email: text(p.email), firstName: text(p.first_name), createdAt: new Date() };
    this.customers.set(id, customer);
    return { status: 201, xml: document('customer', customerXml(customer, [])) };
  }

  private createPaymentMethod(p: Params | null): Answer {
    if (!p) return { status: 403 };
    const customerId = text(p.customer_id) ?? '';
    const fail = (error: FakeValidationError): Answer => ({ status: 422, xml: apiErrorResponse({ message: error.message, errors: [error] }) });
    if (!this.customers.has(customerId)) {
      return fail({ on: 'payment-method', code: '93105', attribute: 'customer_id', message: 'Customer ID is invalid.' });
    }
    const outcome = NONCES[text(p.payment_method_nonce) ?? ''] ?? UNKNOWN_NONCE;
    if (outcome.kind === 'invalid') return fail(outcome);
    const card: FakeCreditCard = { ...outcome.card, token: braintreeId(6), customerId, createdAt: new Date() };
    const verify = isRecord(p.options) && p.options.verify_card === true;
    if (!verify) {
      this.creditCards.set(card.token, card);
      return { status: 201, xml: document('credit-card', creditCardXml(card, [])) };
    }
    const code = outcome.verification === 'verified' ? '1000' : outcome.verification === 'gateway_rejected' ? null : outcome.code;
    const verification: FakeVerification = {
      id: braintreeId(8),
      status: outcome.verification,
      processorResponseCode: code,
      processorResponseText: code ? responseText(code) : null,
      gatewayRejectionReason: outcome.verification === 'gateway_rejected' ? outcome.reason : null,
      currency: this.defaultAccount().currency,
      createdAt: new Date(),
    };
    // A card that fails verification is not stored (Braintree's default).
    if (verification.status !== 'verified') {
      const message = verification.processorResponseText ?? `Gateway Rejected: ${verification.gatewayRejectionReason ?? ''}`;
      return { status: 422, xml: apiErrorResponse({ message, verification: verificationXml(verification, card) }) };
    }
    this.creditCards.set(card.token, card);
    return { status: 201, xml: document('credit-card', creditCardXml(card, [verificationXml(verification, card)])) };
  }

  defaultAccount(): FakeMerchantAccount {
    const account = this.merchantAccounts.find((a) => a.default) ?? this.merchantAccounts[0];
    if (!account) throw new Error('the fake has no merchant account');
    return account;
  }

  private listMerchantAccounts(page: number): Answer {
    const pageSize = 50;
    const items = this.merchantAccounts.slice((page - 1) * pageSize, page * pageSize).map((a) => ({
      id: a.id,
      status: a.status,
      'currency-iso-code': a.currency,
      default: a.default,
      'individual-details': null,
      'business-details': null,
      'funding-details': null,
    }));
    const fields = { 'current-page-number': page, 'page-size': pageSize, 'total-items': this.merchantAccounts.length };
    return { status: 200, xml: document('merchant-accounts', new XmlCollection(fields, 'merchant-account', items)) };
  }

  /** The transactions that match a search (the fields the adapter uses; others fail loudly). */
  private matching(body: unknown): FakeTransaction[] | string {
    const criteria = isRecord(body) && isRecord(body.search) ? body.search : null;
    if (!criteria) return 'no search';
    let found = [...this.transactions.values()];
    for (const [field, value] of Object.entries(criteria)) {
      if (field === 'order_id' && isRecord(value) && typeof value.is === 'string') {
        const wanted = value.is.toLowerCase(); // Braintree's text search ignores case
        found = found.filter((t) => t.orderId?.toLowerCase() === wanted);
      } else if ((field === 'type' || field === 'ids') && Array.isArray(value)) {
        found = found.filter((t) => value.includes(field === 'type' ? t.type : t.id));
      } else {
        return `search field ${field} is not implemented by the fake`;
      }
    }
    return found.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  }

  private searchIds(body: unknown): Answer {
    const found = this.matching(body);
    if (typeof found === 'string') return { status: 500, xml: found };
    return { status: 200, xml: document('search-results', { 'page-size': 50, ids: new XmlArray('item', found.map((t) => t.id)) }) };
  }

  private search(body: unknown): Answer {
    const found = this.matching(body);
    if (typeof found === 'string') return { status: 500, xml: found };
    const fields = { 'current-page-number': 1, 'page-size': 50, 'total-items': found.length };
    const items = found.map((t) => this.transactionXml(t));
    return { status: 200, xml: document('credit-card-transactions', new XmlCollection(fields, 'transaction', items)) };
  }

  /** Records a transaction outcome on the ledger (used by braintree-transactions.ts). */
  record(transaction: FakeTransaction): void {
    this.transactions.set(transaction.id, transaction);
  }

  /** The processor's answer for a sale of `amount` (documented sandbox amounts). */
  processorAnswer(amount: string): Pick<FakeTransaction, 'status' | 'processorResponseCode' | 'processorResponseText' | 'processorResponseType' | 'gatewayRejectionReason'> {
    const outcome = amountOutcome(amount);
    if (outcome.status === 'gateway_rejected') {
      return { status: 'gateway_rejected', processorResponseCode: '', processorResponseText: 'Unknown ()', processorResponseType: '', gatewayRejectionReason: outcome.reason };
    }
    const code = outcome.status === 'authorized' ? '1000' : outcome.code;
    return { status: outcome.status, processorResponseCode: code, processorResponseText: responseText(code), processorResponseType: responseType(code), gatewayRejectionReason: null };
  }
}

export type Params = Record<string, unknown>;

/**
 * The object under `root` of a request body, or null when it carries a key Braintree would
 * not accept there (`allowed`: dotted paths), which Braintree answers with 403.
 */
function params(body: unknown, root: string, allowed: readonly string[]): Params | null {
  if (!isRecord(body) || !isRecord(body[root])) return null;
  const walk = (value: Params, prefix: string): boolean =>
    Object.entries(value).every(([key, child]) => {
      const path = `${prefix}${key}`;
      if (isRecord(child)) return walk(child, `${path}.`);
      return allowed.includes(path);
    });
  return walk(body[root], '') ? body[root] : null;
}

export function isRecord(value: unknown): value is Params {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/** An element's inner XML, for embedding as a webhook subject. */
function xmlBody(value: ReturnType<typeof transactionXml>): string {
  const full = document('x', value);
  return full.slice(full.indexOf('<x>') + 3, full.lastIndexOf('</x>'));
}
