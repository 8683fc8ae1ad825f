import { describe, expect, it } from 'vitest';
import { isHardDecline } from '../../dunning/schedule.ts';
import { declineFromIssues, declineFromProcessorCode, refundFailureCode } from './declines.ts';
import { fromPayPalValue, paypalRequestId, toPayPalValue } from './support.ts';
import { parseGatewayRef } from './vault.ts';
import { gatewayEvent } from './webhooks.ts';

describe('declineFromProcessorCode', () => {
  it.each([
    ['5120', 'card_declined', 'insufficient_funds'],
    ['0500', 'card_declined', 'do_not_honor'],
    ['5400', 'expired_card', 'expired_card'],
    ['9500', 'card_declined', 'fraudulent'],
    ['9520', 'card_declined', 'stolen_card'],
    ['5180', 'card_declined', 'restricted_card'],
    ['1330', 'card_declined', 'invalid_account'],
    ['5100', 'card_declined', 'generic_decline'],
    ['00N7', 'incorrect_cvc', 'incorrect_cvc'],
    ['00n7', 'incorrect_cvc', 'incorrect_cvc'],
    ['9100', 'card_declined', 'try_again_later'],
    ['8110', 'processing_error', 'processing_error'],
  ])('%s → %s / %s', (responseCode, code, declineCode) => {
    expect(declineFromProcessorCode(responseCode)).toMatchObject({ code, declineCode });
  });

  it('falls back to a generic decline for codes it does not know, or none', () => {
    expect(declineFromProcessorCode('ZZ99')).toMatchObject({ code: 'card_declined', declineCode: 'generic_decline' });
    expect(declineFromProcessorCode(undefined)).toMatchObject({ code: 'card_declined', declineCode: 'generic_decline' });
  });

  it('makes the codes PayPal says not to retry hard declines for dunning', () => {
    for (const code of ['9500', '9520', '5180', '1330', '5140', 'PPRN']) expect(isHardDecline(declineFromProcessorCode(code).declineCode)).toBe(true);
    for (const code of ['5120', '0500', '5100', '9100']) expect(isHardDecline(declineFromProcessorCode(code).declineCode)).toBe(false);
  });
});

describe('declineFromIssues', () => {
  it('maps the issues that refuse a payment source', () => {
    expect(declineFromIssues(['INSTRUMENT_DECLINED'])).toMatchObject({ code: 'card_declined', declineCode: 'generic_decline' });
    expect(declineFromIssues(['CARD_EXPIRED'])).toMatchObject({ code: 'expired_card', declineCode: 'expired_card' });
    expect(declineFromIssues(['PAYER_ACTION_REQUIRED'])).toMatchObject({ code: 'card_declined', declineCode: 'authentication_required' });
    expect(isHardDecline(declineFromIssues(['AGREEMENT_ALREADY_CANCELLED'])?.declineCode ?? null)).toBe(true);
  });

  it('finds the refusal among other issues, and says null when there is none', () => {
    expect(declineFromIssues(['FIELD_NOT_PATCHABLE', 'TRANSACTION_REFUSED'])).toMatchObject({ declineCode: 'generic_decline' });
    expect(declineFromIssues(['DECIMAL_PRECISION'])).toBeNull();
    expect(declineFromIssues([])).toBeNull();
  });
});

describe('refundFailureCode', () => {
  it('uses Stripe codes where they exist, else the issue', () => {
    expect(refundFailureCode(['REFUND_AMOUNT_EXCEEDED'])).toBe('amount_too_large');
    expect(refundFailureCode(['CAPTURE_FULLY_REFUNDED'])).toBe('charge_already_refunded');
    expect(refundFailureCode(['REFUND_NOT_ALLOWED'])).toBe('refund_not_allowed');
    expect(refundFailureCode([])).toBe('refund_failed');
  });
});

describe('amounts and ids', () => {
  it('writes amounts as PayPal takes them', () => {
    expect(toPayPalValue(1234n, 'usd')).toBe('12.34');
    expect(toPayPalValue(5n, 'eur')).toBe('0.05');
    expect(toPayPalValue(1500n, 'jpy')).toBe('1500');
    expect(toPayPalValue(150_000n, 'huf')).toBe('1500');
    expect(toPayPalValue(150_050n, 'huf')).toBeNull();
    expect(toPayPalValue(99_900n, 'twd')).toBe('999');
  });

  it('reads them back in ISO minor units', () => {
    expect(fromPayPalValue('12.34', 'USD')).toBe(1234n);
    expect(fromPayPalValue('1500', 'JPY')).toBe(1500n);
    expect(fromPayPalValue('1500', 'HUF')).toBe(150_000n);
  });

  it('keeps short keys as request ids and hashes long or non-ASCII ones', () => {
    expect(paypalRequestId('renewal:sub_1:1700000000:1')).toBe('renewal:sub_1:1700000000:1');
    expect(paypalRequestId('k'.repeat(108))).toBe('k'.repeat(108));
    const long = paypalRequestId('k'.repeat(109));
    expect(long).toMatch(/^sha256-[A-Za-z0-9_-]{43}$/);
    expect(paypalRequestId('k'.repeat(109))).toBe(long);
    expect(paypalRequestId('k'.repeat(110))).not.toBe(long);
    expect(paypalRequestId('request:clé:1')).toMatch(/^sha256-/);
  });

  it('reads gateway references', () => {
    expect(parseGatewayRef('card/8kk8451t')).toEqual({ kind: 'card', vaultId: '8kk8451t' });
    expect(parseGatewayRef('paypal/8kk8451t')).toEqual({ kind: 'paypal', vaultId: '8kk8451t' });
    expect(parseGatewayRef('venmo/8kk8451t')).toBeNull();
    expect(parseGatewayRef('8kk8451t')).toBeNull();
  });
});

describe('gatewayEvent', () => {
  it('leaves events Recur does not act on as other', () => {
    expect(gatewayEvent({ id: 'WH-9', event_type: 'PAYMENT.CAPTURE.PENDING', resource: { id: 'X' } })).toEqual({
      id: 'WH-9',
      type: 'other',
      gatewayType: 'PAYMENT.CAPTURE.PENDING',
      paymentRef: null,
      refundRef: null,
      amount: null,
      currency: null,
    });
  });

  it('keeps an event whose currency Recur does not know, without its amount', () => {
    const event = gatewayEvent({ id: 'WH-8', event_type: 'PAYMENT.CAPTURE.COMPLETED', resource: { id: 'C1', amount: { currency_code: 'XTS', value: '1.00' } } });
    expect(event).toMatchObject({ type: 'payment.succeeded', paymentRef: 'C1', amount: null, currency: 'xts' });
  });
});
