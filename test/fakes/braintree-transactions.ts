import type { FakeBraintree, Params } from './braintree.ts';
import { braintreeId, type FakeTransaction } from './braintree-ledger.ts';
import { apiErrorResponse, document, type FakeValidationError } from './braintree-xml.ts';

/**
 * The fake Braintree's transaction rules: sale (authorise, and submit for settlement when
 * asked), refund (settled or settling sales only, at most what is left), void (before
 * settlement). Validation errors carry Braintree's codes and messages.
 */

/** An HTTP answer: status and XML body (none for 401/403/404, as Braintree). */
export interface Answer {
  status: number;
  xml?: string;
}

/** Decimal places per currency where Braintree's differ from 2 (zero-decimal currencies). */
const ZERO_DECIMAL = new Set(['BIF', 'CLP', 'DJF', 'GNF', 'ISK', 'JPY', 'KMF', 'KRW', 'PYG', 'RWF', 'UGX', 'VND', 'VUV', 'XAF', 'XOF', 'XPF']);
const exponentOf = (currency: string): number => (ZERO_DECIMAL.has(currency) ? 0 : 2);

/** Amount text → integer minor units of `currency`, or null when not a valid amount for it. */
function minorUnits(amount: string, currency: string): bigint | null {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(amount);
  const exponent = exponentOf(currency);
  if (!match || (match[2] ?? '').length > exponent) return null;
  return BigInt((match[1] ?? '0') + (match[2] ?? '').padEnd(exponent, '0'));
}

/** Minor units → Braintree's amount text ("12.34", "1500"). */
function formatted(units: bigint, currency: string): string {
  const exponent = exponentOf(currency);
  if (exponent === 0) return units.toString();
  const digits = units.toString().padStart(exponent + 1, '0');
  return `${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}

const invalid = (errors: FakeValidationError[]): Answer => ({ status: 422, xml: apiErrorResponse({ message: errors.map((e) => e.message).join('\n'), errors }) });
const onTransaction = (code: string, attribute: string, message: string): FakeValidationError => ({ on: 'transaction', code, attribute, message });

export function sale(fake: FakeBraintree, p: Params): Answer {
  const accountId = typeof p.merchant_account_id === 'string' ? p.merchant_account_id : fake.defaultAccount().id;
  const account = fake.merchantAccounts.find((a) => a.id === accountId);
  const card = typeof p.payment_method_token === 'string' ? fake.creditCards.get(p.payment_method_token) : undefined;
  const orderId = typeof p.order_id === 'string' ? p.order_id : null;
  const errors: FakeValidationError[] = [];
  const amountText = typeof p.amount === 'string' ? p.amount : null;
  const units = amountText !== null && account ? minorUnits(amountText, account.currency) : null;
  if (amountText === null) errors.push(onTransaction('81502', 'amount', 'Amount is required.'));
  else if (account && units === null) errors.push(onTransaction('81503', 'amount', 'Amount is an invalid format.'));
  else if (units === 0n) errors.push(onTransaction('81531', 'amount', 'Amount must be greater than zero.'));
  if (!account || account.status !== 'active') errors.push(onTransaction('91513', 'merchant_account_id', 'Merchant account ID is invalid.'));
  if (!card) errors.push(onTransaction('91518', 'payment_method_token', 'Payment method token is invalid.'));
  if (orderId !== null && orderId.length > 255) errors.push(onTransaction('91501', 'order_id', 'Order ID is too long.'));
  if (errors.length > 0 || !account || !card || units === null) return invalid(errors);

  const now = new Date();
  const amount = formatted(units, account.currency);
  const answer = fake.processorAnswer(amount);
  const authorized = answer.status === 'authorized';
  const submit = isSubmit(p);
  const transaction: FakeTransaction = {
    id: braintreeId(8),
    type: 'sale',
    ...answer,
    status: authorized && submit ? 'submitted_for_settlement' : answer.status,
    amount,
    currency: account.currency,
    merchantAccountId: account.id,
    orderId,
    card,
    refundIds: [],
    refundedTransactionId: null,
    statusHistory: [{ status: answer.status, amount, timestamp: now }, ...(authorized && submit ? [{ status: 'submitted_for_settlement', amount, timestamp: now }] : [])],
    createdAt: now,
    updatedAt: now,
  };
  fake.record(transaction);
  const xml = fake.transactionXml(transaction);
  if (authorized) return { status: 201, xml: document('transaction', xml) };
  const message = transaction.status === 'gateway_rejected' ? `Gateway Rejected: ${transaction.gatewayRejectionReason ?? ''}` : transaction.processorResponseText;
  return { status: 422, xml: apiErrorResponse({ message, transaction: xml }) };
}

function isSubmit(p: Params): boolean {
  const options = p.options;
  return typeof options === 'object' && options !== null && 'submit_for_settlement' in options && options.submit_for_settlement === true;
}

export function refund(fake: FakeBraintree, original: FakeTransaction, p: Params): Answer {
  if (original.type === 'credit') return invalid([onTransaction('91505', 'base', 'Cannot refund credit')]);
  if (original.status !== 'settled' && original.status !== 'settling') {
    return invalid([onTransaction('91506', 'base', 'Cannot refund transaction unless it is settled.')]);
  }
  const total = minorUnits(original.amount, original.currency) ?? 0n;
  const refunded = original.refundIds
    .map((id) => fake.transactions.get(id))
    .filter((t): t is FakeTransaction => t !== undefined && t.status !== 'voided' && t.status !== 'processor_declined')
    .reduce((sum, t) => sum + (minorUnits(t.amount, t.currency) ?? 0n), 0n);
  if (refunded >= total) return invalid([onTransaction('91512', 'base', 'Transaction has already been completely refunded.')]);
  const amountText = typeof p.amount === 'string' ? p.amount : null;
  const units = amountText === null ? total - refunded : minorUnits(amountText, original.currency);
  if (units === null) return invalid([onTransaction('81503', 'amount', 'Amount is an invalid format.')]);
  if (units > total - refunded) return invalid([onTransaction('91521', 'amount', 'Refund amount is too large.')]);
  const orderId = typeof p.order_id === 'string' ? p.order_id : null;
  if (orderId !== null && orderId.length > 255) return invalid([onTransaction('91501', 'order_id', 'Order ID is too long.')]);

  const now = new Date();
  const amount = formatted(units, original.currency);
  const credit: FakeTransaction = {
    ...original,
    id: braintreeId(8),
    type: 'credit',
    status: 'submitted_for_settlement',
    amount,
    orderId,
    refundIds: [],
    refundedTransactionId: original.id,
    processorResponseCode: '1002',
    processorResponseText: 'Processed',
    processorResponseType: 'approved',
    gatewayRejectionReason: null,
    statusHistory: [{ status: 'submitted_for_settlement', amount, timestamp: now }],
    createdAt: now,
    updatedAt: now,
  };
  fake.record(credit);
  original.refundIds.push(credit.id);
  original.updatedAt = now;
  return { status: 201, xml: document('transaction', fake.transactionXml(credit)) };
}

export function voidSale(fake: FakeBraintree, transaction: FakeTransaction): Answer {
  if (!['authorized', 'submitted_for_settlement'].includes(transaction.status)) {
    return invalid([onTransaction('91504', 'base', 'Transaction can only be voided if status is authorized, submitted_for_settlement, or - for PayPal - settlement_pending.')]);
  }
  transaction.status = 'voided';
  transaction.updatedAt = new Date();
  transaction.statusHistory.push({ status: 'voided', amount: transaction.amount, timestamp: transaction.updatedAt });
  return { status: 200, xml: document('transaction', fake.transactionXml(transaction)) };
}
