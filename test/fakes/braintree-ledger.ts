import { randomInt } from 'node:crypto';
import type { TestCard } from './braintree-sandbox.ts';
import { XmlArray, type XmlElement } from './braintree-xml.ts';

/**
 * The fake Braintree's records (what its merchant's vault and transaction history hold) and
 * how each is written in Braintree's XML.
 */

export interface FakeMerchantAccount {
  id: string;
  currency: string;
  default: boolean;
  status: 'active' | 'pending' | 'suspended';
}

export interface FakeCustomer {
  id: string;
  email: string | null;
  firstName: string | null;
  createdAt: Date;
}

export interface FakeCreditCard extends TestCard {
  token: string;
  customerId: string;
  createdAt: Date;
}

export interface FakeVerification {
  id: string;
  status: 'verified' | 'processor_declined' | 'failed' | 'gateway_rejected';
  processorResponseCode: string | null;
  processorResponseText: string | null;
  gatewayRejectionReason: string | null;
  currency: string;
  createdAt: Date;
}

export interface FakeTransaction {
  id: string;
  type: 'sale' | 'credit';
  status: string;
  /** As Braintree writes it: decimal text in the merchant account's currency. */
  amount: string;
  currency: string;
  merchantAccountId: string;
  orderId: string | null;
  card: FakeCreditCard;
  refundIds: string[];
  refundedTransactionId: string | null;
  processorResponseCode: string;
  processorResponseText: string;
  processorResponseType: string;
  gatewayRejectionReason: string | null;
  statusHistory: { status: string; amount: string; timestamp: Date }[];
  createdAt: Date;
  updatedAt: Date;
}

/** Braintree-style ids: lower-case letters and digits. */
export function braintreeId(length: number): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from({ length }, () => alphabet[randomInt(alphabet.length)]).join('');
}

export function customerXml(customer: FakeCustomer, cards: readonly FakeCreditCard[]): XmlElement {
  return {
    id: customer.id,
    'merchant-id': null,
    'first-name': customer.firstName,
    'last-name': null,
    company: null,
    email: customer.email,
    phone: null,
    'created-at': customer.createdAt,
    'updated-at': customer.createdAt,
    'custom-fields': '',
    'credit-cards': new XmlArray(
      'credit-card',
      cards.map((card) => creditCardXml(card, [])),
    ),
    addresses: new XmlArray('address', []),
  };
}

export function verificationXml(verification: FakeVerification, card: FakeCreditCard): XmlElement {
  return {
    id: verification.id,
    status: verification.status,
    amount: '0.00',
    'currency-iso-code': verification.currency,
    'processor-response-code': verification.processorResponseCode,
    'processor-response-text': verification.processorResponseText,
    'processor-response-type': verification.status === 'verified' ? 'approved' : verification.status === 'processor_declined' ? 'soft_declined' : null,
    'gateway-rejection-reason': verification.gatewayRejectionReason,
    'cvv-response-code': 'M',
    'avs-error-response-code': null,
    'avs-postal-code-response-code': 'M',
    'avs-street-address-response-code': 'M',
    'created-at': verification.createdAt,
    'credit-card': { bin: card.bin, 'last-4': card.last4, 'card-type': card.cardType, 'expiration-month': card.expirationMonth, 'expiration-year': card.expirationYear },
  };
}

export function creditCardXml(card: FakeCreditCard, verifications: readonly XmlElement[]): XmlElement {
  return {
    token: card.token,
    'customer-id': card.customerId,
    bin: card.bin,
    'last-4': card.last4,
    'card-type': card.cardType,
    'expiration-month': card.expirationMonth,
    'expiration-year': card.expirationYear,
    expired: false,
    default: true,
    'cardholder-name': null,
    'customer-location': 'US',
    'country-of-issuance': card.countryOfIssuance,
    'issuing-bank': 'Unknown',
    debit: card.debit,
    prepaid: card.prepaid,
    commercial: 'Unknown',
    healthcare: 'Unknown',
    payroll: 'Unknown',
    'durbin-regulated': 'Unknown',
    'product-id': 'Unknown',
    'unique-number-identifier': `${card.bin}${card.last4}`.padEnd(32, '0'),
    'image-url': `https://assets.braintreegateway.com/payment_method_logo/${card.cardType.toLowerCase().replace(/ /g, '_')}.png`,
    'created-at': card.createdAt,
    'updated-at': card.createdAt,
    subscriptions: new XmlArray('subscription', []),
    verifications: new XmlArray('verification', verifications),
  };
}

export function transactionXml(transaction: FakeTransaction, customer: FakeCustomer | undefined): XmlElement {
  const card = transaction.card;
  return {
    id: transaction.id,
    status: transaction.status,
    type: transaction.type,
    'currency-iso-code': transaction.currency,
    amount: transaction.amount,
    'merchant-account-id': transaction.merchantAccountId,
    'sub-merchant-account-id': null,
    'master-merchant-account-id': null,
    'order-id': transaction.orderId,
    'created-at': transaction.createdAt,
    'updated-at': transaction.updatedAt,
    customer: { id: customer?.id ?? null, 'first-name': customer?.firstName ?? null, 'last-name': null, email: customer?.email ?? null },
    'refund-ids': new XmlArray('item', transaction.refundIds),
    'refunded-transaction-id': transaction.refundedTransactionId,
    'avs-error-response-code': null,
    'avs-postal-code-response-code': 'M',
    'avs-street-address-response-code': 'M',
    'cvv-response-code': 'M',
    'gateway-rejection-reason': transaction.gatewayRejectionReason,
    'processor-authorization-code': transaction.status === 'processor_declined' || transaction.status === 'gateway_rejected' ? null : transaction.id.slice(0, 6).toUpperCase(),
    'processor-response-code': transaction.processorResponseCode,
    'processor-response-text': transaction.processorResponseText,
    'processor-response-type': transaction.processorResponseType,
    'additional-processor-response': null,
    'payment-instrument-type': 'credit_card',
    'credit-card': {
      token: card.token,
      bin: card.bin,
      'last-4': card.last4,
      'card-type': card.cardType,
      'expiration-month': card.expirationMonth,
      'expiration-year': card.expirationYear,
      'customer-location': 'US',
      'country-of-issuance': card.countryOfIssuance,
      debit: card.debit,
      prepaid: card.prepaid,
    },
    'status-history': new XmlArray(
      'status-event',
      transaction.statusHistory.map((event) => ({ timestamp: event.timestamp, status: event.status, amount: event.amount, user: 'recur_api', 'transaction-source': 'api' })),
    ),
    'disbursement-details': { 'disbursement-date': null, 'settlement-amount': null, 'settlement-currency-iso-code': null, 'funds-held': null, success: null },
    disputes: new XmlArray('dispute', []),
    'authorization-adjustments': new XmlArray('authorization-adjustment', []),
  };
}
