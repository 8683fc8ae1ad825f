/**
 * The Razorpay resources the fake serves, in memory (the ledger tests inspect): customers
 * and their recurring card tokens (read only: Checkout makes them), orders, recurring
 * payments, refunds. Shapes and messages follow razorpay.com/docs/api and its error pages;
 * test/fakes/razorpay.ts owns HTTP, authentication and webhooks.
 */
import { createHmac, randomBytes } from 'node:crypto';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };
export interface Reply {
  status: number;
  body: JsonObject;
}

export interface Decline {
  reason: string;
  description: string;
  source: string;
}
/** Razorpay's documented card error reasons, with their descriptions. */
export const DECLINES: Readonly<Record<string, Decline>> = {
  insufficient_funds: { reason: 'insufficient_funds', source: 'customer', description: "The payment did not go through because the customer's bank account did not have enough funds." },
  card_expired: { reason: 'card_expired', source: 'customer', description: "The payment could not be completed because the customer's card is expired." },
  payment_risk_check_failed: { reason: 'payment_risk_check_failed', source: 'issuer_bank', description: "The transaction was unsuccessful as the customer's bank declined the payment, citing it as fraudulent." },
  card_declined: { reason: 'card_declined', source: 'issuer_bank', description: "The payment was declined by the customer's bank." },
  payment_failed: { reason: 'payment_failed', source: 'issuer_bank', description: "The payment was declined by the customer's bank." },
  bank_technical_error: { reason: 'bank_technical_error', source: 'issuer_bank', description: "There was a downtime on the customer's bank due to which the payment has failed." },
};

export interface CustomerRecord {
  id: string;
  name: string;
  email: string | null;
  contact: string | null;
  created_at: number;
}
export interface TokenRecord {
  id: string;
  customer_id: string;
  card: { last4: string; network: string; type: string; international: boolean; issuer: string | null };
  status: 'initiated' | 'confirmed' | 'rejected' | 'cancelled';
  failure_reason: string | null;
  /** Every debit of this token fails so. */
  declines: Decline | null;
  /** Debits stay `created` until settled (Razorpay settles test debits minutes later). */
  async: boolean;
  expired_at: number;
  created_at: number;
}
export interface OrderRecord {
  id: string;
  amount: number;
  amount_paid: number;
  currency: string;
  receipt: string | null;
  status: 'created' | 'attempted' | 'paid';
  attempts: number;
  notes: Record<string, string>;
  created_at: number;
}
export interface PaymentRecord {
  id: string;
  amount: number;
  currency: string;
  status: 'created' | 'authorized' | 'captured' | 'refunded' | 'failed';
  order_id: string;
  customer_id: string;
  token_id: string;
  email: string;
  contact: string;
  description: string | null;
  notes: Record<string, string>;
  amount_refunded: number;
  error: Decline | null;
  created_at: number;
}
export interface RefundRecord {
  id: string;
  amount: number;
  currency: string;
  payment_id: string;
  notes: Record<string, string>;
  status: 'pending' | 'processed' | 'failed';
  created_at: number;
}

export const newId = (prefix: string): string => `${prefix}_${randomBytes(12).toString('base64url').replace(/[-_]/g, '').slice(0, 14)}`;
export const now = (): number => Math.floor(Date.now() / 1000);
/** Sub-units per ISO 4217, as Razorpay counts them; the currencies the fake accepts. */
const EXPONENT: Readonly<Record<string, number>> = { INR: 2, USD: 2, EUR: 2, GBP: 2, SGD: 2, AED: 2, MYR: 2, JPY: 0, KWD: 3, BHD: 3, OMR: 3 };

export function rzpError(status: number, description: string, extra: { field?: string; reason?: string; source?: string; step?: string; metadata?: JsonObject } = {}): Reply {
  const validation = extra.field !== undefined || extra.reason === 'input_validation_failed';
  return {
    status,
    body: {
      error: {
        code: status >= 500 ? 'SERVER_ERROR' : 'BAD_REQUEST_ERROR',
        description,
        ...(extra.field !== undefined ? { field: extra.field } : {}),
        source: extra.source ?? (validation ? 'business' : 'NA'),
        step: extra.step ?? (validation ? 'payment_initiation' : 'NA'),
        reason: extra.reason ?? (validation ? 'input_validation_failed' : 'NA'),
        metadata: extra.metadata ?? {},
      },
    },
  };
}
export const noSuchId = (): Reply => rzpError(400, 'The id provided does not exist', { reason: 'input_validation_failed' });

/** Razorpay refuses fields it does not expect: "{field} is/are not required and should not be sent". */
export function extraField(body: JsonObject, allowed: readonly string[]): Reply | null {
  const extra = Object.keys(body).filter((key) => !allowed.includes(key));
  return extra.length > 0 ? rzpError(400, `${extra.join(', ')} is/are not required and should not be sent`, { field: extra[0] as string }) : null;
}

const notesOf = (value: Json | undefined): Record<string, string> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, String(v)])) : {};

/** An amount Razorpay's checks accept for a currency, or its error. */
function checkAmount(value: Json | undefined, currency: string): number | Reply {
  if (typeof value !== 'number' || !Number.isInteger(value)) return rzpError(400, 'The amount must be an integer.', { field: 'amount' });
  if (currency === 'INR' && value < 100) return rzpError(400, 'The amount must be atleast INR 1.00', { field: 'amount' });
  if (value < 1) return rzpError(400, 'The amount must be at least 1.', { field: 'amount' });
  if (EXPONENT[currency] === 3 && value % 10 !== 0) return rzpError(400, 'The last digit of a three decimal currency amount must be 0.', { field: 'amount' });
  return value;
}

export const collection = (items: JsonObject[]): JsonObject => ({ entity: 'collection', count: items.length, items });

export class RazorpayLedger {
  readonly customers = new Map<string, CustomerRecord>();
  readonly tokens = new Map<string, TokenRecord>();
  readonly orders = new Map<string, OrderRecord>();
  readonly payments = new Map<string, PaymentRecord>();
  readonly refunds = new Map<string, RefundRecord>();
  /** Webhook deliveries Razorpay would have made: their X-Razorpay-Event-Id and body. */
  readonly events: { id: string; body: JsonObject }[] = [];

  emit(event: string, entities: Record<string, JsonObject>): { id: string; body: JsonObject } {
    const payload = Object.fromEntries(Object.entries(entities).map(([name, entity]) => [name, { entity: structuredClone(entity) }]));
    const delivery = { id: randomBytes(10).toString('base64url'), body: { entity: 'event', account_id: 'acc_FakeAccount0001', event, contains: Object.keys(entities), payload, created_at: now() } };
    this.events.push(delivery);
    return delivery;
  }
}

export const customerJson = (c: CustomerRecord): JsonObject => ({ id: c.id, entity: 'customer', name: c.name, email: c.email, contact: c.contact, gstin: null, notes: {}, created_at: c.created_at });

export const tokenJson = (t: TokenRecord): JsonObject => ({
  id: t.id,
  entity: 'token',
  token: t.id.slice(6),
  bank: null,
  wallet: null,
  method: 'card',
  card: { entity: 'card', name: 'Test Cardholder', ...t.card, emi: false, sub_type: 'consumer', expiry_month: 12, expiry_year: new Date().getUTCFullYear() + 4, flows: { otp: true, recurring: true } },
  recurring: t.status === 'confirmed',
  recurring_details: { status: t.status, failure_reason: t.failure_reason },
  auth_type: null,
  mrn: null,
  used_at: t.created_at,
  created_at: t.created_at,
  expired_at: t.expired_at,
  dcc_enabled: false,
});

export const orderJson = (o: OrderRecord): JsonObject => ({
  id: o.id,
  entity: 'order',
  amount: o.amount,
  amount_paid: o.amount_paid,
  amount_due: o.amount - o.amount_paid,
  currency: o.currency,
  receipt: o.receipt,
  offer_id: null,
  status: o.status,
  attempts: o.attempts,
  notes: o.notes,
  created_at: o.created_at,
});

export const paymentJson = (p: PaymentRecord): JsonObject => ({
  id: p.id,
  entity: 'payment',
  amount: p.amount,
  currency: p.currency,
  status: p.status,
  order_id: p.order_id,
  invoice_id: null,
  international: false,
  method: 'card',
  amount_refunded: p.amount_refunded,
  refund_status: p.amount_refunded === 0 ? null : p.amount_refunded === p.amount ? 'full' : 'partial',
  captured: p.status === 'captured' || p.status === 'refunded',
  description: p.description,
  card_id: `card_${p.token_id.slice(6)}`,
  bank: null,
  wallet: null,
  vpa: null,
  email: p.email,
  contact: p.contact,
  customer_id: p.customer_id,
  token_id: p.token_id,
  notes: p.notes,
  fee: 0,
  tax: 0,
  error_code: p.error ? 'BAD_REQUEST_ERROR' : null,
  error_description: p.error?.description ?? null,
  error_source: p.error?.source ?? null,
  error_step: p.error ? 'payment_authorization' : null,
  error_reason: p.error?.reason ?? null,
  acquirer_data: { auth_code: p.error ? null : '541898' },
  created_at: p.created_at,
});

export const refundJson = (r: RefundRecord): JsonObject => ({
  id: r.id,
  entity: 'refund',
  amount: r.amount,
  currency: r.currency,
  payment_id: r.payment_id,
  notes: r.notes,
  receipt: null,
  acquirer_data: { arn: null },
  created_at: r.created_at,
  batch_id: null,
  status: r.status,
  speed_processed: 'normal',
  speed_requested: 'normal',
});

export function createOrder(ledger: RazorpayLedger, body: JsonObject): Reply {
  const extra = extraField(body, ['amount', 'currency', 'receipt', 'notes', 'payment_capture', 'partial_payment', 'notification']);
  if (extra) return extra;
  const currency = typeof body.currency === 'string' ? body.currency : '';
  if (!Object.hasOwn(EXPONENT, currency)) return rzpError(400, 'Currency is not supported', { field: 'currency' });
  const amount = checkAmount(body.amount, currency);
  if (typeof amount !== 'number') return amount;
  const receipt = typeof body.receipt === 'string' ? body.receipt : null;
  if (receipt !== null && receipt.length > 40) return rzpError(400, 'The receipt may not be greater than 40 characters.', { field: 'receipt' });
  const notes = notesOf(body.notes);
  if (Object.keys(notes).length > 15) return rzpError(400, 'Number of fields in notes should be less than or equal to 15', { field: 'notes' });
  const order: OrderRecord = { id: newId('order'), amount, amount_paid: 0, currency, receipt, status: 'created', attempts: 0, notes, created_at: now() };
  ledger.orders.set(order.id, order);
  return { status: 200, body: orderJson(order) };
}

export function listOrders(ledger: RazorpayLedger, query: URLSearchParams): Reply {
  const count = Math.min(Number(query.get('count') ?? 10), 100);
  const skip = Number(query.get('skip') ?? 0);
  const receipt = query.get('receipt');
  const orders = [...ledger.orders.values()].filter((o) => receipt === null || o.receipt === receipt).reverse();
  return { status: 200, body: collection(orders.slice(skip, skip + count).map(orderJson)) };
}

/** POST /v1/payments/create/recurring: a debit of a confirmed token against an order. */
export function createRecurringPayment(ledger: RazorpayLedger, body: JsonObject, keySecret: string): Reply {
  const extra = extraField(body, ['email', 'contact', 'amount', 'currency', 'order_id', 'customer_id', 'token', 'recurring', 'description', 'notes']);
  if (extra) return extra;
  for (const field of ['email', 'contact', 'amount', 'currency', 'order_id', 'customer_id', 'token', 'recurring']) {
    if (body[field] === undefined || body[field] === '') return rzpError(400, `The ${field} field is required.`, { field });
  }
  if (![true, 1, '1'].includes(body.recurring as boolean | number | string)) return rzpError(400, 'The recurring field must be 1 or true for a recurring payment.', { field: 'recurring' });
  const order = ledger.orders.get(String(body.order_id));
  const customer = ledger.customers.get(String(body.customer_id));
  const token = ledger.tokens.get(String(body.token));
  if (!order || !customer || !token || token.customer_id !== customer.id) return noSuchId();
  if (order.status === 'paid') return rzpError(400, 'Order has already been paid', { field: 'order_id' });
  if (body.amount !== order.amount || body.currency !== order.currency) return rzpError(400, 'The amount and currency must match the order.', { field: 'amount' });
  if (token.status !== 'confirmed') return rzpError(400, 'The token is not confirmed for recurring payments.', { field: 'token' });
  const payment: PaymentRecord = {
    id: newId('pay'),
    amount: order.amount,
    currency: order.currency,
    status: 'created',
    order_id: order.id,
    customer_id: customer.id,
    token_id: token.id,
    email: String(body.email),
    contact: String(body.contact),
    description: typeof body.description === 'string' ? body.description : null,
    notes: notesOf(body.notes),
    amount_refunded: 0,
    error: null,
    created_at: now(),
  };
  ledger.payments.set(payment.id, payment);
  order.status = 'attempted';
  order.attempts += 1;
  if (!token.async) settlePayment(ledger, payment.id);
  if (payment.status === 'failed' && payment.error) {
    return rzpError(400, payment.error.description, { source: payment.error.source, step: 'payment_authorization', reason: payment.error.reason, metadata: { payment_id: payment.id, order_id: order.id } });
  }
  const signature = createHmac('sha256', keySecret).update(`${order.id}|${payment.id}`).digest('hex');
  return { status: 200, body: { razorpay_payment_id: payment.id, razorpay_order_id: order.id, razorpay_signature: signature } };
}

/** A created debit reaches its end: captured (order paid) or failed as its token declines. */
export function settlePayment(ledger: RazorpayLedger, paymentId: string): PaymentRecord {
  const payment = ledger.payments.get(paymentId);
  const order = payment ? ledger.orders.get(payment.order_id) : undefined;
  const token = payment ? ledger.tokens.get(payment.token_id) : undefined;
  if (!payment || !order || !token || payment.status !== 'created') throw new Error(`no created payment ${paymentId}`);
  if (token.declines) {
    payment.status = 'failed';
    payment.error = token.declines;
    ledger.emit('payment.failed', { payment: paymentJson(payment) });
    return payment;
  }
  payment.status = 'captured';
  order.status = 'paid';
  order.amount_paid = order.amount;
  ledger.emit('payment.authorized', { payment: { ...paymentJson(payment), status: 'authorized', captured: false } });
  ledger.emit('payment.captured', { payment: paymentJson(payment) });
  ledger.emit('order.paid', { payment: paymentJson(payment), order: orderJson(order) });
  return payment;
}

export function createRefund(ledger: RazorpayLedger, paymentId: string, body: JsonObject): Reply {
  const extra = extraField(body, ['amount', 'speed', 'notes', 'receipt']);
  if (extra) return extra;
  const payment = ledger.payments.get(paymentId);
  if (!payment) return rzpError(400, `${paymentId} is not a valid id`);
  if (payment.status !== 'captured' && payment.status !== 'refunded') return rzpError(400, 'Only payments which have been captured can be refunded');
  const left = payment.amount - payment.amount_refunded;
  if (left === 0) return rzpError(400, 'The payment has been fully refunded already');
  const amount = body.amount === undefined ? left : checkAmount(body.amount, payment.currency);
  if (typeof amount !== 'number') return amount;
  if (amount > left) return rzpError(400, 'The refund amount provided is greater than amount captured', { field: 'amount' });
  const refund: RefundRecord = { id: newId('rfnd'), amount, currency: payment.currency, payment_id: payment.id, notes: notesOf(body.notes), status: 'processed', created_at: now() };
  ledger.refunds.set(refund.id, refund);
  payment.amount_refunded += amount;
  if (payment.amount_refunded === payment.amount) payment.status = 'refunded';
  ledger.emit('refund.created', { refund: refundJson(refund), payment: paymentJson(payment) });
  ledger.emit('refund.processed', { refund: refundJson(refund), payment: paymentJson(payment) });
  return { status: 200, body: refundJson(refund) };
}
