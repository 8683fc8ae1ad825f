/**
 * The Stripe resources the fake serves, kept in memory (the ledger tests inspect):
 * Customers, PaymentMethods (attach), PaymentIntents (create + confirm, retrieve) and
 * Refunds. test/fakes/stripe.ts owns HTTP, authentication and idempotency.
 */
import {
  checkAmount,
  displayAmount,
  errorReply,
  invalidRequest,
  missing,
  newId,
  now,
  TEST_PAYMENT_METHODS,
  unknownParam,
  type Decline,
  type JsonObject,
  type Params,
  type Reply,
} from './stripe-support.ts';

export interface CustomerRecord {
  id: string;
  email: string | null;
  name: string | null;
  metadata: Record<string, string>;
  created: number;
  deleted: boolean;
}
export interface PaymentMethodRecord {
  id: string;
  customer: string | null;
  card: { brand: string; last4: string; funding: string; country: string; exp_month: number; exp_year: number };
  /** Every charge of this card is declined so. */
  declines: Decline | null;
  created: number;
}
export interface ChargeRecord {
  id: string;
  amount: number;
  amount_refunded: number;
  currency: string;
  customer: string | null;
  payment_intent: string;
  payment_method: string;
  status: 'succeeded' | 'failed';
  failure: Decline | null;
  created: number;
}
export interface PaymentIntentRecord {
  id: string;
  amount: number;
  currency: string;
  customer: string | null;
  payment_method: string | null;
  description: string | null;
  metadata: Record<string, string>;
  status: 'requires_confirmation' | 'requires_payment_method' | 'succeeded';
  latest_charge: string | null;
  last_payment_error: (Decline & { charge: string }) | null;
  created: number;
}
export interface RefundRecord {
  id: string;
  amount: number;
  charge: string;
  payment_intent: string;
  currency: string;
  reason: string | null;
  status: 'succeeded' | 'pending' | 'failed';
  failure_reason: string | null;
  created: number;
}

export interface RequestInfo {
  requestId: string;
  idempotencyKey: string | null;
  apiVersion: string;
}

export class StripeLedger {
  readonly customers = new Map<string, CustomerRecord>();
  readonly paymentMethods = new Map<string, PaymentMethodRecord>();
  readonly paymentIntents = new Map<string, PaymentIntentRecord>();
  readonly charges = new Map<string, ChargeRecord>();
  readonly refunds = new Map<string, RefundRecord>();
  /** Every event Stripe would have sent, oldest first. */
  readonly events: JsonObject[] = [];

  emit(type: string, object: JsonObject, request: RequestInfo | null): JsonObject {
    const event: JsonObject = {
      id: newId('evt'),
      object: 'event',
      api_version: request?.apiVersion ?? null,
      created: now(),
      data: { object: structuredClone(object) },
      livemode: false,
      pending_webhooks: 1,
      request: { id: request?.requestId ?? null, idempotency_key: request?.idempotencyKey ?? null },
      type,
    };
    this.events.push(event);
    return event;
  }
}

export const customerJson = (c: CustomerRecord): JsonObject => ({ id: c.id, object: 'customer', created: c.created, email: c.email, name: c.name, metadata: c.metadata, livemode: false });

export const paymentMethodJson = (pm: PaymentMethodRecord): JsonObject => ({
  id: pm.id,
  object: 'payment_method',
  type: 'card',
  customer: pm.customer,
  created: pm.created,
  livemode: false,
  metadata: {},
  billing_details: { address: null, email: null, name: null, phone: null },
  card: { ...pm.card, checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: 'pass' }, fingerprint: pm.id.slice(3, 19), wallet: null },
});

export const chargeJson = (ch: ChargeRecord): JsonObject => ({
  id: ch.id,
  object: 'charge',
  amount: ch.amount,
  amount_captured: ch.status === 'succeeded' ? ch.amount : 0,
  amount_refunded: ch.amount_refunded,
  captured: ch.status === 'succeeded',
  created: ch.created,
  currency: ch.currency,
  customer: ch.customer,
  disputed: false,
  failure_code: ch.failure?.code ?? null,
  failure_message: ch.failure?.message ?? null,
  livemode: false,
  outcome: ch.failure
    ? { network_status: 'declined_by_network', reason: ch.failure.decline_code, risk_level: 'normal', seller_message: 'The bank did not return any further details with this decline.', type: 'issuer_declined' }
    : { network_status: 'approved_by_network', reason: null, risk_level: 'normal', seller_message: 'Payment complete.', type: 'authorized' },
  paid: ch.status === 'succeeded',
  payment_intent: ch.payment_intent,
  payment_method: ch.payment_method,
  refunded: ch.amount_refunded === ch.amount && ch.status === 'succeeded',
  status: ch.status,
});

export function paymentIntentJson(pi: PaymentIntentRecord, ledger: StripeLedger, expandCharge = false): JsonObject {
  const charge = pi.latest_charge ? ledger.charges.get(pi.latest_charge) : undefined;
  return {
    id: pi.id,
    object: 'payment_intent',
    amount: pi.amount,
    amount_capturable: 0,
    amount_received: pi.status === 'succeeded' ? pi.amount : 0,
    automatic_payment_methods: { allow_redirects: 'never', enabled: true },
    capture_method: 'automatic',
    client_secret: `${pi.id}_secret_${pi.id.slice(3, 15)}`,
    confirmation_method: 'automatic',
    created: pi.created,
    currency: pi.currency,
    customer: pi.customer,
    description: pi.description,
    last_payment_error: pi.last_payment_error ? { type: 'card_error', ...pi.last_payment_error } : null,
    latest_charge: expandCharge && charge ? chargeJson(charge) : pi.latest_charge,
    livemode: false,
    metadata: pi.metadata,
    next_action: null,
    payment_method: pi.payment_method,
    payment_method_types: ['card'],
    status: pi.status,
  };
}

export const refundJson = (r: RefundRecord): JsonObject => ({
  id: r.id,
  object: 'refund',
  amount: r.amount,
  charge: r.charge,
  created: r.created,
  currency: r.currency,
  failure_reason: r.failure_reason,
  metadata: {},
  payment_intent: r.payment_intent,
  reason: r.reason,
  status: r.status,
});

export function createCustomer(ledger: StripeLedger, params: Params): Reply {
  const unknown = params.unknown(['email', 'name', 'description', 'phone', /^metadata\[[^\]]+\]$/]);
  if (unknown) return unknownParam(unknown);
  const customer: CustomerRecord = { id: newId('cus'), email: params.get('email') ?? null, name: params.get('name') ?? null, metadata: params.hash('metadata'), created: now(), deleted: false };
  ledger.customers.set(customer.id, customer);
  return { status: 200, body: customerJson(customer) };
}

export function deleteCustomer(ledger: StripeLedger, id: string): Reply {
  const customer = ledger.customers.get(id);
  if (!customer || customer.deleted) return missing('customer', id);
  customer.deleted = true;
  for (const pm of ledger.paymentMethods.values()) if (pm.customer === id) pm.customer = null;
  return { status: 200, body: { id, object: 'customer', deleted: true } };
}

/** A PaymentMethod as Stripe.js makes it from a test card, not yet attached. */
export function makePaymentMethod(ledger: StripeLedger, alias: string): PaymentMethodRecord | Decline | null {
  const test = TEST_PAYMENT_METHODS[alias];
  if (!test) return null;
  if (test.attach) return test.attach;
  const pm: PaymentMethodRecord = { id: newId('pm'), customer: null, card: { ...test.card, exp_month: 12, exp_year: new Date().getUTCFullYear() + 3 }, declines: test.charge ?? null, created: now() };
  ledger.paymentMethods.set(pm.id, pm);
  return pm;
}

export function attachPaymentMethod(ledger: StripeLedger, id: string, params: Params): Reply {
  const unknown = params.unknown(['customer', /^expand\[\d+\]$/]);
  if (unknown) return unknownParam(unknown);
  const customerId = params.get('customer');
  if (!customerId) return invalidRequest('Missing required param: customer.', 'customer', 'parameter_missing');
  const customer = ledger.customers.get(customerId);
  if (!customer || customer.deleted) return missing('customer', customerId, 'customer');
  // A test alias (pm_card_visa) attaches as a fresh PaymentMethod, as on Stripe.
  let pm: PaymentMethodRecord | Decline | null | undefined = ledger.paymentMethods.get(id);
  if (!pm && Object.hasOwn(TEST_PAYMENT_METHODS, id)) pm = makePaymentMethod(ledger, id);
  if (!pm) return missing('PaymentMethod', id);
  if (!('id' in pm)) return errorReply(402, { type: 'card_error', ...pm, param: '', doc_url: `https://stripe.com/docs/error-codes/${pm.code.replace(/_/g, '-')}` });
  if (pm.customer && pm.customer !== customerId) return invalidRequest('The payment method you provided has already been attached to a customer.', undefined, 'payment_method_unexpected_state');
  pm.customer = customerId;
  return { status: 200, body: paymentMethodJson(pm) };
}

const PAYMENT_INTENT_PARAMS = [
  'amount', 'currency', 'customer', 'payment_method', 'confirm', 'off_session', 'description', 'return_url', 'capture_method', 'receipt_email', 'statement_descriptor_suffix',
  'automatic_payment_methods[enabled]', 'automatic_payment_methods[allow_redirects]', /^metadata\[[^\]]+\]$/, /^expand\[\d+\]$/,
];

export function createPaymentIntent(ledger: StripeLedger, params: Params, request: RequestInfo): Reply {
  const unknown = params.unknown(PAYMENT_INTENT_PARAMS);
  if (unknown) return unknownParam(unknown);
  const currency = params.get('currency');
  if (!currency) return invalidRequest('Missing required param: currency.', 'currency', 'parameter_missing');
  if (!/^[a-z]{3}$/.test(currency)) return invalidRequest(`Invalid currency: ${currency}.`, 'currency', 'parameter_invalid');
  const amount = checkAmount(params.get('amount'), currency, true);
  if (typeof amount !== 'number') return amount;
  const confirm = params.get('confirm') === 'true';
  if (params.get('off_session') === 'true' && !confirm) return invalidRequest('You can only pass in `off_session` when `confirm` is true.', 'off_session');
  const customerId = params.get('customer') ?? null;
  if (customerId && !ledger.customers.get(customerId)) return missing('customer', customerId, 'customer');
  const pmId = params.get('payment_method') ?? null;
  const pm = pmId ? ledger.paymentMethods.get(pmId) : undefined;
  if (pmId && !pm) return missing('payment_method', pmId, 'payment_method');
  if (pm && pm.customer !== customerId) return invalidRequest(`The provided PaymentMethod ${pmId} does not belong to the Customer ${customerId ?? '(none)'}.`, 'payment_method');
  // Since 2023-08-16 PaymentIntents accept every Dashboard payment method by default, so a
  // confirm without a return_url must rule redirects out.
  if (confirm && !params.get('return_url') && params.get('automatic_payment_methods[allow_redirects]') !== 'never') {
    return invalidRequest(
      "This PaymentIntent is configured to accept payment methods enabled in your Dashboard. Because some of these payment methods might redirect your customer off of your page, you must provide a `return_url`. If you don't want to accept redirect-based payment methods, set `automatic_payment_methods[enabled]` to `true` and `automatic_payment_methods[allow_redirects]` to `never` when creating Setup Intents and Payment Intents.",
    );
  }
  const pi: PaymentIntentRecord = {
    id: newId('pi'),
    amount,
    currency,
    customer: customerId,
    payment_method: pmId,
    description: params.get('description') ?? null,
    metadata: params.hash('metadata'),
    status: confirm ? 'succeeded' : 'requires_confirmation',
    latest_charge: null,
    last_payment_error: null,
    created: now(),
  };
  ledger.paymentIntents.set(pi.id, pi);
  ledger.emit('payment_intent.created', paymentIntentJson(pi, ledger), request);
  if (!confirm) return { status: 200, body: paymentIntentJson(pi, ledger) };
  if (!pm) return invalidRequest('You cannot confirm this PaymentIntent because it\'s missing a payment method.', 'payment_method', 'payment_intent_unexpected_state');
  const charge: ChargeRecord = {
    id: newId('ch'),
    amount,
    amount_refunded: 0,
    currency,
    customer: customerId,
    payment_intent: pi.id,
    payment_method: pm.id,
    status: pm.declines ? 'failed' : 'succeeded',
    failure: pm.declines,
    created: now(),
  };
  ledger.charges.set(charge.id, charge);
  pi.latest_charge = charge.id;
  if (pm.declines) {
    pi.status = 'requires_payment_method';
    pi.last_payment_error = { ...pm.declines, charge: charge.id };
    ledger.emit('charge.failed', chargeJson(charge), request);
    ledger.emit('payment_intent.payment_failed', paymentIntentJson(pi, ledger), request);
    return errorReply(402, {
      type: 'card_error',
      ...pm.declines,
      charge: charge.id,
      doc_url: `https://stripe.com/docs/error-codes/${pm.declines.code.replace(/_/g, '-')}`,
      payment_intent: paymentIntentJson(pi, ledger),
      payment_method: paymentMethodJson(pm),
    });
  }
  ledger.emit('charge.succeeded', chargeJson(charge), request);
  ledger.emit('payment_intent.succeeded', paymentIntentJson(pi, ledger), request);
  return { status: 200, body: paymentIntentJson(pi, ledger) };
}

export function retrievePaymentIntent(ledger: StripeLedger, id: string, params: Params): Reply {
  const unknown = params.unknown([/^expand\[\d+\]$/, 'client_secret']);
  if (unknown) return unknownParam(unknown);
  const pi = ledger.paymentIntents.get(id);
  if (!pi) return missing('payment_intent', id);
  const expand = [...params.all.entries()].filter(([key]) => key.startsWith('expand[')).map(([, value]) => value);
  return { status: 200, body: paymentIntentJson(pi, ledger, expand.includes('latest_charge')) };
}

export function createRefund(ledger: StripeLedger, params: Params, request: RequestInfo): Reply {
  const unknown = params.unknown(['payment_intent', 'charge', 'amount', 'reason', /^metadata\[[^\]]+\]$/, /^expand\[\d+\]$/]);
  if (unknown) return unknownParam(unknown);
  const piId = params.get('payment_intent');
  const pi = piId ? ledger.paymentIntents.get(piId) : undefined;
  if (piId && !pi) return missing('payment_intent', piId, 'payment_intent');
  const chargeId = pi?.latest_charge ?? params.get('charge');
  if (!chargeId) return invalidRequest('One of the following params should be provided for this request: payment_intent or charge.', undefined, 'parameter_missing');
  const charge = ledger.charges.get(chargeId);
  if (!charge) return missing('charge', chargeId, 'charge');
  if (charge.status !== 'succeeded') return invalidRequest(`This PaymentIntent (${charge.payment_intent}) does not have a successful charge to refund.`, undefined, 'charge_not_refundable');
  const reason = params.get('reason') ?? null;
  if (reason !== null && !['duplicate', 'fraudulent', 'requested_by_customer'].includes(reason)) return invalidRequest(`Invalid reason: must be one of duplicate, fraudulent, or requested_by_customer`, 'reason');
  const left = charge.amount - charge.amount_refunded;
  if (left === 0) return invalidRequest(`Charge ${charge.id} has already been refunded.`, undefined, 'charge_already_refunded');
  const amount = params.get('amount') === undefined ? left : checkAmount(params.get('amount'), charge.currency, false);
  if (typeof amount !== 'number') return amount;
  if (amount < 1) return invalidRequest('Amount must be at least 1.', 'amount', 'amount_too_small');
  // As Stripe answers it: param=amount, no code.
  if (amount > left) return invalidRequest(`Refund amount (${displayAmount(amount, charge.currency)}) is greater than unrefunded amount on charge (${displayAmount(left, charge.currency)})`, 'amount');
  const refund: RefundRecord = { id: newId('re'), amount, charge: charge.id, payment_intent: charge.payment_intent, currency: charge.currency, reason, status: 'succeeded', failure_reason: null, created: now() };
  ledger.refunds.set(refund.id, refund);
  charge.amount_refunded += amount;
  ledger.emit('refund.created', refundJson(refund), request);
  ledger.emit('charge.refunded', chargeJson(charge), request);
  return { status: 200, body: refundJson(refund) };
}
