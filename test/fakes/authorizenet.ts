/**
 * A local fake of Authorize.net's API (the JSON flavour of its XML API): one endpoint,
 * POST /xml/v1/request.api, whose body is `{"<method>Request": {…}}`. As the real API:
 * - every answer is HTTP 200 with `application/json` and a UTF-8 byte order mark before the
 *   JSON; errors are `messages.resultCode: "Error"` with a code (E00007 for wrong credentials);
 * - the request is validated as the XML schema would: element order (the SDK's contract
 *   classes emit the schema's order), string lengths and numeric ids (E00003);
 * - transactions follow the ledger's rules (test triggers, duplicate window, settlement).
 * Only the methods the adapter uses exist. Tests reach the ledger, settle batches, move the
 * clock, inject failures and get signed webhooks through this class.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AuthorizeNetLedger, type FakeCard, type FakeTransaction } from './authorizenet-ledger.ts';
import * as operations from './authorizenet-operations.ts';
import { asObject, error, SchemaError, type Json } from './authorizenet-operations.ts';

export interface FakeAuthorizeNetCredentials {
  apiLoginId: string;
  transactionKey: string;
  /** 128 hexadecimal characters. */
  signatureKey: string;
}

type Method = (ledger: AuthorizeNetLedger, request: Json) => Json;

/** Each method and its elements in the schema's order (clientId, which the SDK appends last, may be anywhere). */
const METHODS: Readonly<Record<string, { run: Method; elements: readonly string[] }>> = {
  createCustomerProfileRequest: { run: operations.createCustomerProfile, elements: ['merchantAuthentication', 'refId', 'profile', 'validationMode'] },
  createCustomerPaymentProfileRequest: {
    run: operations.createCustomerPaymentProfile,
    elements: ['merchantAuthentication', 'refId', 'customerProfileId', 'paymentProfile', 'validationMode'],
  },
  getCustomerPaymentProfileRequest: {
    run: operations.getCustomerPaymentProfile,
    elements: ['merchantAuthentication', 'refId', 'customerProfileId', 'customerPaymentProfileId', 'unmaskExpirationDate', 'includeIssuerInfo'],
  },
  createTransactionRequest: { run: operations.createTransaction, elements: ['merchantAuthentication', 'refId', 'transactionRequest'] },
  getTransactionDetailsRequest: { run: operations.getTransactionDetails, elements: ['merchantAuthentication', 'refId', 'transId'] },
  getTransactionListForCustomerRequest: {
    run: operations.getTransactionListForCustomer,
    elements: ['merchantAuthentication', 'refId', 'customerProfileId', 'customerPaymentProfileId', 'sorting', 'paging'],
  },
  getUnsettledTransactionListRequest: { run: operations.getUnsettledTransactionList, elements: ['merchantAuthentication', 'refId', 'status', 'sorting', 'paging'] },
};

/** transactionRequestType's elements, in order (AnetApiSchema.xsd). */
const TRANSACTION_REQUEST = [
  'transactionType', 'amount', 'currencyCode', 'payment', 'profile', 'solution', 'callId', 'terminalNumber', 'authCode', 'refTransId', 'splitTenderId',
  'order', 'lineItems', 'tax', 'duty', 'shipping', 'taxExempt', 'poNumber', 'customer', 'billTo', 'shipTo', 'customerIP', 'cardholderAuthentication',
  'retail', 'employeeId', 'transactionSettings', 'userFields', 'surcharge', 'merchantDescriptor', 'subMerchant', 'tip', 'processingOptions',
  'subsequentAuthInformation', 'otherTax', 'shipFrom', 'authorizationIndicatorType',
];

function checkOrder(parent: string, value: Json, elements: readonly string[]): void {
  let position = -1;
  for (const key of Object.keys(value)) {
    if (key === 'clientId') continue;
    const at = elements.indexOf(key);
    if (at <= position) {
      throw new SchemaError(
        `The element '${parent}' in namespace 'AnetApi/xml/v1/schema/AnetApiSchema.xsd' has invalid child element '${key}' in namespace 'AnetApi/xml/v1/schema/AnetApiSchema.xsd'.`,
      );
    }
    position = at;
  }
}

export type Fault = 'http500' | 'disconnect' | 'lostResponse';

export class FakeAuthorizeNet {
  readonly ledger = new AuthorizeNetLedger();
  /** The method of every request received, in order. */
  readonly received: string[] = [];
  private readonly faults: { fault: Fault; method: string | undefined }[] = [];
  private readonly holds = new Map<string, { count: number; waiting: (() => void)[] }>();
  private server: Server | undefined;
  private baseUrl = '';

  constructor(readonly credentials: FakeAuthorizeNetCredentials) {}

  async start(): Promise<string> {
    const server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
    this.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this.baseUrl;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  get url(): string {
    return this.baseUrl;
  }

  /** The next request (of `method`, when given) fails: a 500, a dropped connection, or processed with its response lost. */
  failNext(fault: Fault, method?: string): void {
    this.faults.push({ fault, method });
  }

  /** Requests of `method` wait until `count` of them have arrived, then are answered in arrival order (for races). */
  holdUntil(method: string, count: number): void {
    this.holds.set(method, { count, waiting: [] });
  }

  /** Accept.js in the browser: the card for a token `<dataDescriptor>:<dataValue>`. */
  tokenize(card: FakeCard): string {
    return `COMMON.ACCEPT.INAPP.PAYMENT:${this.ledger.issueNonce(card)}`;
  }

  /** The nightly settlement. */
  settle(): string {
    return this.ledger.settle();
  }

  /** Moves the fake's clock (duplicate windows, nonce lifetimes, card expiry). */
  advance(seconds: number): void {
    this.ledger.advance(seconds);
  }

  transactions(type?: FakeTransaction['transactionType']): FakeTransaction[] {
    return [...this.ledger.transactions.values()].filter((transaction) => type === undefined || transaction.transactionType === type);
  }

  /**
   * A webhook notification as Authorize.net POSTs it: the JSON body and
   * `X-ANET-Signature: sha512=<HMAC-SHA512 of the body keyed with the Signature Key, upper-case hex>`.
   */
  webhook(eventType: string, payload: Json): { rawBody: string; headers: Record<string, string> } {
    const rawBody = JSON.stringify({ notificationId: randomUUID(), eventType, eventDate: new Date(this.ledger.now()).toISOString(), webhookId: randomUUID(), payload });
    const signature = createHmac('sha512', this.credentials.signatureKey).update(rawBody).digest('hex').toUpperCase();
    return { rawBody, headers: { 'x-anet-signature': `sha512=${signature}`, 'content-type': 'application/json' } };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (req.method !== 'POST' || req.url !== '/xml/v1/request.api') {
      res.writeHead(404, { 'content-type': 'text/html' }).end('<html><body>The resource cannot be found.</body></html>');
      return;
    }
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8').replace(/^\uFEFF/, ''));
    } catch {
      this.reply(res, error('E00003', 'Data at the root level is invalid. Line 1, position 1.'));
      return;
    }
    const [method = '', inner] = Object.entries(asObject(body) ?? {})[0] ?? [];
    this.received.push(method);
    const faultAt = this.faults.findIndex((fault) => fault.method === undefined || fault.method === method);
    const fault = faultAt >= 0 ? this.faults.splice(faultAt, 1)[0]?.fault : undefined;
    if (fault === 'http500') {
      res.writeHead(500, { 'content-type': 'text/html' }).end('<html><body>Internal Server Error</body></html>');
      return;
    }
    if (fault === 'disconnect') {
      req.socket.destroy();
      return;
    }
    const hold = this.holds.get(method);
    if (hold) {
      await new Promise<void>((resolve) => {
        hold.waiting.push(resolve);
        if (hold.waiting.length < hold.count) return;
        this.holds.delete(method);
        for (const release of hold.waiting) release();
      });
    }
    const response = this.answer(method, asObject(inner));
    if (fault === 'lostResponse') {
      req.socket.destroy();
      return;
    }
    this.reply(res, response);
  }

  private answer(method: string, request: Json | undefined): Json {
    const definition = METHODS[method];
    if (!definition || !request) return error('E00003', `The element '${method}' in namespace 'AnetApi/xml/v1/schema/AnetApiSchema.xsd' is not declared here.`);
    const auth = asObject(request.merchantAuthentication);
    if (auth?.name !== this.credentials.apiLoginId || auth.transactionKey !== this.credentials.transactionKey) {
      return error('E00007', 'User authentication failed due to invalid authentication values.');
    }
    try {
      checkOrder(method, request, definition.elements);
      const transactionRequest = asObject(request.transactionRequest);
      if (transactionRequest) checkOrder('transactionRequest', transactionRequest, TRANSACTION_REQUEST);
      const response = definition.run(this.ledger, request);
      const refId = typeof request.refId === 'string' ? request.refId : undefined;
      return refId && !('refId' in response) ? { refId, ...response } : response;
    } catch (caught) {
      if (caught instanceof SchemaError) return error('E00003', caught.message);
      throw caught;
    }
  }

  /** HTTP 200, JSON after a UTF-8 byte order mark, as Authorize.net answers. */
  private reply(res: ServerResponse, response: Json): void {
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(`\uFEFF${JSON.stringify(response)}`);
  }
}
