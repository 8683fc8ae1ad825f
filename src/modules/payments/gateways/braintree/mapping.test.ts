import { describe, expect, it } from 'vitest';
import { alpha2FromAlpha3 } from './countries.ts';
import { cardBrand, cardFunding, failureOf, fromBraintreeAmount, gatewayRejection, orderIdFor, processorDecline, refundStatus, saleStatus, toBraintreeAmount } from './mapping.ts';

describe('Braintree decline mapping', () => {
  it.each([
    ['2000', 'card_declined', 'do_not_honor'],
    ['2001', 'card_declined', 'insufficient_funds'],
    ['2004', 'expired_card', 'expired_card'],
    ['2010', 'incorrect_cvc', 'incorrect_cvc'],
    ['2012', 'card_declined', 'lost_card'],
    ['2013', 'card_declined', 'stolen_card'],
    ['2014', 'card_declined', 'fraudulent'],
    ['2046', 'card_declined', 'generic_decline'],
    ['2047', 'card_declined', 'pickup_card'],
    ['3000', 'processing_error', 'try_again_later'],
    ['2099', 'card_declined', 'generic_decline'],
  ])('processor response %s → %s / %s', (responseCode, code, declineCode) => {
    expect(processorDecline(responseCode)).toEqual({ code, declineCode });
  });

  it('treats a missing processor code as a generic decline', () => {
    expect(processorDecline(null)).toEqual({ code: 'card_declined', declineCode: 'generic_decline' });
    expect(processorDecline('')).toEqual({ code: 'card_declined', declineCode: 'generic_decline' });
  });

  it.each([
    ['cvv', 'incorrect_cvc', 'incorrect_cvc'],
    ['avs', 'incorrect_zip', 'incorrect_zip'],
    ['fraud', 'card_declined', 'fraudulent'],
    ['duplicate', 'card_declined', 'duplicate_transaction'],
    ['application_incomplete', 'processing_error', 'processing_error'],
    ['something_new', 'card_declined', 'generic_decline'],
  ])('gateway rejection %s → %s / %s', (reason, code, declineCode) => {
    expect(gatewayRejection(reason)).toEqual({ code, declineCode });
  });

  it('reads a transaction or verification by its status', () => {
    expect(failureOf({ status: 'gateway_rejected', gatewayRejectionReason: 'fraud', processorResponseCode: '2001' })).toEqual({ code: 'card_declined', declineCode: 'fraudulent' });
    expect(failureOf({ status: 'processor_declined', processorResponseCode: '2001' })).toEqual({ code: 'card_declined', declineCode: 'insufficient_funds' });
  });
});

describe('Braintree card details', () => {
  it('names brands as Stripe does', () => {
    expect(cardBrand('Visa')).toBe('visa');
    expect(cardBrand('MasterCard')).toBe('mastercard');
    expect(cardBrand('American Express')).toBe('amex');
    expect(cardBrand('Diners Club')).toBe('diners');
    expect(cardBrand('Maestro')).toBe('maestro');
    expect(cardBrand(undefined)).toBe('unknown');
  });

  it('reads funding from the debit and prepaid indicators', () => {
    expect(cardFunding({ debit: 'Yes', prepaid: 'No' })).toBe('debit');
    expect(cardFunding({ debit: 'No', prepaid: 'Yes' })).toBe('prepaid');
    expect(cardFunding({ debit: 'No', prepaid: 'No' })).toBe('credit');
    expect(cardFunding({ debit: 'Unknown', prepaid: 'Unknown' })).toBe('unknown');
  });

  it('turns alpha-3 countries of issuance into alpha-2', () => {
    expect(alpha2FromAlpha3('USA')).toBe('US');
    expect(alpha2FromAlpha3('CAN')).toBe('CA');
    expect(alpha2FromAlpha3('GBR')).toBe('GB');
    expect(alpha2FromAlpha3('Unknown')).toBeNull();
    expect(alpha2FromAlpha3(undefined)).toBeNull();
  });
});

describe('Braintree statuses', () => {
  it('counts a sale submitted for settlement as succeeded, an authorization as pending', () => {
    expect(saleStatus('submitted_for_settlement')).toBe('succeeded');
    expect(saleStatus('settled')).toBe('succeeded');
    expect(saleStatus('authorized')).toBe('pending');
    expect(saleStatus('processor_declined')).toBe('failed');
    expect(saleStatus('settlement_declined')).toBe('failed');
  });

  it('counts a voided refund as failed', () => {
    expect(refundStatus('submitted_for_settlement')).toBe('succeeded');
    expect(refundStatus('voided')).toBe('failed');
    expect(refundStatus('authorizing')).toBe('pending');
  });
});

describe('Braintree amounts', () => {
  it('writes decimal amounts with the currency exponent', () => {
    expect(toBraintreeAmount(1234n, 'usd')).toBe('12.34');
    expect(toBraintreeAmount(5n, 'usd')).toBe('0.05');
    expect(toBraintreeAmount(1500n, 'jpy')).toBe('1500');
  });

  it('reads decimal amounts back exactly, accepting trailing zeros only', () => {
    expect(fromBraintreeAmount('12.34', 'usd')).toBe(1234n);
    expect(fromBraintreeAmount('12.5', 'usd')).toBe(1250n);
    expect(fromBraintreeAmount('100', 'usd')).toBe(10000n);
    expect(fromBraintreeAmount('1500', 'jpy')).toBe(1500n);
    expect(fromBraintreeAmount('1500.00', 'jpy')).toBe(1500n);
    expect(() => fromBraintreeAmount('1500.50', 'jpy')).toThrow(RangeError);
    expect(() => fromBraintreeAmount('1.234', 'usd')).toThrow(RangeError);
    expect(() => fromBraintreeAmount('-1.00', 'usd')).toThrow(RangeError);
  });
});

describe('Braintree order ids', () => {
  it('hashes an idempotency key deterministically into 64 hex characters', () => {
    const key = `renewal:sub_123:1700000000:1:${'x'.repeat(300)}`;
    expect(orderIdFor('charge', key)).toMatch(/^[0-9a-f]{64}$/);
    expect(orderIdFor('charge', key)).toBe(orderIdFor('charge', key));
    expect(orderIdFor('charge', key)).not.toBe(orderIdFor('charge', `${key}!`));
    expect(orderIdFor('refund', key)).not.toBe(orderIdFor('charge', key));
  });
});
