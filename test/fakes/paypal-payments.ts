/**
 * The PayPal fake's money endpoints: Vault v3 payment tokens, Orders v2 (create, get,
 * capture) and Payments v2 captures and refunds, answering in PayPal's documented shapes.
 *
 * Card outcomes follow PayPal's sandbox rejection triggers: a card whose name is one of
 * them is declined at capture with that trigger's processor response code
 * (developer.paypal.com/tools/sandbox/card-testing). PayPal wallets are declined through
 * `behaviour.mockIssue`, the fake's stand-in for the sandbox's PayPal-Mock-Response header.
 */
import {
  failure,
  money,
  notFound,
  now,
  paypalId,
  units,
  unitsOf,
  unprocessable,
  brandOf,
  type FakeCapture,
  type FakeOrder,
  type FakePaymentToken,
  type FakeRefund,
  type FakeSetupToken,
} from './paypal-state.ts';

export interface FakeLedger {
  setupTokens: Map<string, FakeSetupToken>;
  paymentTokens: Map<string, FakePaymentToken>;
  orders: Map<string, FakeOrder>;
  captures: Map<string, FakeCapture>;
  refunds: Map<string, FakeRefund>;
}

export interface FakeBehaviour {
  /** False: orders come back APPROVED and need the capture call (the two-step flow). */
  captureOnCreate: boolean;
  /** A 422 issue the next create-order answers with (INSTRUMENT_DECLINED …). */
  mockIssue: string | null;
}

export interface Answer {
  status: number;
  body: unknown;
}

/** PayPal's sandbox rejection triggers (card name) and their processor response codes. */
export const REJECTION_TRIGGERS: Readonly<Record<string, string>> = {
  'CCREJECT-REFUSED': '0500',
  'CCREJECT-SF': '9500',
  'CCREJECT-EC': '5400',
  'CCREJECT-IRC': '5180',
  'CCREJECT-IF': '5120',
  'CCREJECT-LS': '9520',
  'CCREJECT-IA': '1330',
  'CCREJECT-BANK_ERROR': '5100',
  'CCREJECT-CVV_F': '00N7',
};

const API = 'https://api.sandbox.paypal.com';
const record = (value: unknown): Record<string, unknown> => (typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {});

// --- Vault v3 ---

export function createPaymentToken(ledger: FakeLedger, body: unknown): Answer {
  const token = record(record(record(body)['payment_source'])['token']);
  if (typeof token['id'] !== 'string' || token['type'] !== 'SETUP_TOKEN') {
    throw failure(400, 'INVALID_REQUEST', 'MISSING_REQUIRED_PARAMETER', 'A required field / parameter is missing.', '/payment_source/token');
  }
  const setup = ledger.setupTokens.get(token['id']);
  if (!setup) throw notFound();
  if (setup.paymentTokenId) throw unprocessable('SETUP_TOKEN_ALREADY_TOKENIZED', 'The setup token has been used previously to generate a payment token.');
  if (setup.status !== 'APPROVED') {
    throw unprocessable('PAYER_ACTION_REQUIRED', 'Please make sure setup up token is approved. Please complete the approval flow.');
  }
  if (setup.card && setup.card.expiry < new Date().toISOString().slice(0, 7)) {
    throw unprocessable('INVALID_EXPIRY_DATE', 'Expiry date is invalid. Expiry date should be a date in future and within the threshold for the payment source.');
  }
  const merchantCustomerId = record(record(body)['customer'])['merchant_customer_id'];
  const payment: FakePaymentToken = {
    id: paypalId().slice(0, 8).toLowerCase(),
    customer: { id: setup.customerId, ...(typeof merchantCustomerId === 'string' ? { merchant_customer_id: merchantCustomerId } : {}) },
    card: setup.card,
    paypal: setup.paypal,
  };
  setup.paymentTokenId = payment.id;
  ledger.paymentTokens.set(payment.id, payment);
  return { status: 201, body: paymentTokenJson(payment) };
}

function paymentTokenJson(token: FakePaymentToken): unknown {
  const href = `${API}/v3/vault/payment-tokens/${token.id}`;
  return {
    id: token.id,
    customer: token.customer,
    payment_source: sourceJson(token),
    links: [
      { rel: 'self', href, method: 'GET' },
      { rel: 'delete', href, method: 'DELETE' },
    ],
  };
}

function sourceJson(token: FakePaymentToken): unknown {
  if (token.card) {
    const brand = brandOf(token.card.number);
    return { card: { name: token.card.name, last_digits: token.card.number.slice(-4), brand, expiry: token.card.expiry, type: 'CREDIT' } };
  }
  const wallet = token.paypal;
  return {
    paypal: {
      email_address: wallet?.email_address,
      payer_id: wallet?.payer_id,
      address: { country_code: wallet?.country_code ?? 'US' },
      usage_type: 'MERCHANT',
      customer_type: 'CONSUMER',
    },
  };
}

// --- Orders v2 ---

export function createOrder(ledger: FakeLedger, behaviour: FakeBehaviour, body: unknown, requestId: string | undefined): Answer {
  const order = record(body);
  const source = record(order['payment_source']);
  // "Mandatory for all single-step create order calls" (PayPal-Request-Id, Orders v2).
  if (!requestId && Object.keys(source).length > 0) {
    throw failure(400, 'INVALID_REQUEST', 'PAYPAL_REQUEST_ID_REQUIRED', 'A PayPal-Request-Id is required if you are trying to process payment for an Order.', '/PayPal-Request-Id');
  }
  if (order['intent'] !== 'CAPTURE') throw failure(400, 'INVALID_REQUEST', 'INVALID_PARAMETER_VALUE', 'The value of a field is invalid.', '/intent');
  const purchaseUnits = Array.isArray(order['purchase_units']) ? order['purchase_units'] : [];
  if (purchaseUnits.length !== 1) throw failure(400, 'INVALID_REQUEST', 'INVALID_ARRAY_MAX_ITEMS', 'The fake takes one purchase unit.', '/purchase_units');
  const unit = record(purchaseUnits[0]);
  const amount = units(unit['amount'], '/purchase_units/@reference_id==\'default\'/amount');
  if (amount.units <= 0n) throw unprocessable('CANNOT_BE_ZERO_OR_NEGATIVE', 'Must be greater than zero.', '/purchase_units/@reference_id==\'default\'/amount/value');
  const invoiceId = typeof unit['invoice_id'] === 'string' ? unit['invoice_id'] : null;
  if (invoiceId && [...ledger.captures.values()].some((c) => c.invoiceId === invoiceId && c.status !== 'DECLINED')) {
    throw unprocessable('DUPLICATE_INVOICE_ID', 'Duplicate Invoice ID detected. To avoid a potential duplicate transaction your account setting requires that Invoice Id be unique for each transaction.');
  }
  const kind = 'card' in source ? 'card' : 'paypal' in source ? 'paypal' : null;
  const vaultId = kind ? record(source[kind])['vault_id'] : undefined;
  const token = typeof vaultId === 'string' ? ledger.paymentTokens.get(vaultId) : undefined;
  if (!kind || !token || (kind === 'card') !== (token.card !== null)) throw notFound();
  if (behaviour.mockIssue) {
    const issue = behaviour.mockIssue;
    behaviour.mockIssue = null;
    throw unprocessable(issue, 'The instrument presented was either declined by the processor or bank, or it can\'t be used for this payment.');
  }
  const created: FakeOrder = {
    id: paypalId(),
    status: 'APPROVED',
    source: { kind, token },
    amount: money(amount.currency, amount.units),
    invoiceId,
    description: typeof unit['description'] === 'string' ? unit['description'] : null,
    capture: null,
    createTime: now(),
  };
  ledger.orders.set(created.id, created);
  if (behaviour.captureOnCreate) capture(ledger, created);
  return { status: 201, body: orderJson(created) };
}

export function captureOrder(ledger: FakeLedger, id: string): Answer {
  const order = ledger.orders.get(id);
  if (!order) throw notFound();
  if (order.capture) throw unprocessable('ORDER_ALREADY_CAPTURED', "Order already captured. If 'intent=CAPTURE' only one capture per order is allowed.");
  capture(ledger, order);
  return { status: 201, body: orderJson(order) };
}

export function getOrder(ledger: FakeLedger, id: string): Answer {
  const order = ledger.orders.get(id);
  if (!order) throw notFound();
  return { status: 200, body: orderJson(order) };
}

/** Captures the order; a declined card still completes the order (PayPal's sample). */
function capture(ledger: FakeLedger, order: FakeOrder): void {
  const card = order.source.token.card;
  const responseCode = card ? (REJECTION_TRIGGERS[card.name] ?? '0000') : null;
  const made: FakeCapture = {
    id: paypalId(),
    orderId: order.id,
    status: responseCode === null || responseCode === '0000' ? 'COMPLETED' : 'DECLINED',
    amount: order.amount,
    invoiceId: order.invoiceId,
    responseCode,
    refunds: [],
    createTime: now(),
  };
  order.capture = made;
  order.status = 'COMPLETED';
  ledger.captures.set(made.id, made);
}

function orderJson(order: FakeOrder): unknown {
  const token = order.source.token;
  const source = order.source.kind === 'card'
    ? { card: { ...record(record(sourceJson(token))['card']), attributes: { vault: { id: token.id, status: 'VAULTED' } } } }
    : { paypal: { ...record(record(sourceJson(token))['paypal']), account_id: token.paypal?.payer_id, attributes: { vault: { id: token.id, status: 'VAULTED' } } } };
  const payments = order.capture
    ? { captures: [captureJson(order.capture, false)], ...(order.capture.refunds.length ? { refunds: order.capture.refunds.map((refund) => refundJson(refund)) } : {}) }
    : undefined;
  return {
    id: order.id,
    intent: 'CAPTURE',
    status: order.status,
    payment_source: source,
    purchase_units: [
      {
        reference_id: 'default',
        amount: order.amount,
        payee: { email_address: 'merchant@example.com', merchant_id: 'C7CYMKZDG8D6E' },
        ...(order.description ? { description: order.description } : {}),
        ...(order.invoiceId ? { invoice_id: order.invoiceId } : {}),
        ...(payments ? { payments } : {}),
      },
    ],
    create_time: order.createTime,
    update_time: now(),
    links: [{ href: `${API}/v2/checkout/orders/${order.id}`, rel: 'self', method: 'GET' }],
  };
}

// --- Payments v2 ---

export function getCapture(ledger: FakeLedger, id: string): Answer {
  const found = ledger.captures.get(id);
  if (!found) throw notFound();
  return { status: 200, body: captureJson(found, true) };
}

export function refundCapture(ledger: FakeLedger, captureId: string, body: unknown): Answer {
  const captured = ledger.captures.get(captureId);
  if (!captured) throw notFound();
  if (captured.status === 'REFUNDED') throw unprocessable('CAPTURE_FULLY_REFUNDED', 'The capture has already been fully refunded.');
  if (captured.status === 'DECLINED') throw unprocessable('REFUND_NOT_ALLOWED', 'Refund cannot be issued against this capture.');
  const total = unitsOf(captured.amount);
  const refunded = captured.refunds.reduce((sum, r) => sum + unitsOf(r.amount), 0n);
  const requested = record(body)['amount'];
  let amount = total - refunded;
  if (requested !== undefined) {
    const asked = units(requested, '/amount');
    if (asked.currency !== captured.amount.currency_code) {
      throw unprocessable('REFUND_CAPTURE_CURRENCY_MISMATCH', 'Refund must be in the same currency as the capture.', '/amount/currency_code');
    }
    if (asked.units > amount) {
      throw unprocessable('REFUND_AMOUNT_EXCEEDED', 'The refund amount must be less than or equal to the capture amount that has not yet been refunded.');
    }
    amount = asked.units;
  }
  const refund: FakeRefund = { id: paypalId(), captureId, status: 'COMPLETED', amount: money(captured.amount.currency_code, amount), createTime: now() };
  captured.refunds.push(refund);
  captured.status = refunded + amount === total ? 'REFUNDED' : 'PARTIALLY_REFUNDED';
  ledger.refunds.set(refund.id, refund);
  return { status: 201, body: refundJson(refund, ledger) };
}

/** A capture as Payments v2 (and an order's purchase unit) shows it. */
export function captureJson(capture: FakeCapture, withOrder: boolean): Record<string, unknown> {
  const gross = unitsOf(capture.amount);
  const fee = capture.status === 'DECLINED' ? 0n : (gross * 349n) / 10000n + (capture.amount.currency_code === 'JPY' ? 40n : 49n);
  return {
    id: capture.id,
    status: capture.status,
    amount: capture.amount,
    final_capture: true,
    seller_protection: { status: 'NOT_ELIGIBLE' },
    ...(capture.status === 'DECLINED'
      ? {}
      : {
          seller_receivable_breakdown: {
            gross_amount: capture.amount,
            paypal_fee: money(capture.amount.currency_code, fee),
            net_amount: money(capture.amount.currency_code, gross - fee),
          },
        }),
    ...(capture.invoiceId ? { invoice_id: capture.invoiceId } : {}),
    ...(capture.responseCode
      ? { processor_response: { avs_code: capture.responseCode === '0000' ? 'Y' : 'G', cvv_code: capture.responseCode === '0000' ? 'M' : 'P', response_code: capture.responseCode } }
      : {}),
    ...(withOrder ? { supplementary_data: { related_ids: { order_id: capture.orderId } } } : {}),
    links: [
      { href: `${API}/v2/payments/captures/${capture.id}`, rel: 'self', method: 'GET' },
      { href: `${API}/v2/payments/captures/${capture.id}/refund`, rel: 'refund', method: 'POST' },
      { href: `${API}/v2/checkout/orders/${capture.orderId}`, rel: 'up', method: 'GET' },
    ],
    create_time: capture.createTime,
    update_time: now(),
  };
}

/** A refund as Payments v2 shows it; its "up" link names the capture. */
export function refundJson(refund: FakeRefund, ledger?: FakeLedger): Record<string, unknown> {
  const captured = ledger?.captures.get(refund.captureId);
  const totalRefunded = captured?.refunds.reduce((sum, r) => sum + unitsOf(r.amount), 0n);
  return {
    id: refund.id,
    status: refund.status,
    amount: refund.amount,
    seller_payable_breakdown: {
      gross_amount: refund.amount,
      paypal_fee: money(refund.amount.currency_code, 0n),
      net_amount: refund.amount,
      ...(totalRefunded !== undefined ? { total_refunded_amount: money(refund.amount.currency_code, totalRefunded) } : {}),
    },
    links: [
      { href: `${API}/v2/payments/refunds/${refund.id}`, rel: 'self', method: 'GET' },
      { href: `${API}/v2/payments/captures/${refund.captureId}`, rel: 'up', method: 'GET' },
    ],
    create_time: refund.createTime,
    update_time: refund.createTime,
  };
}
