import { describe, expect, it } from 'vitest';
import { cardBrand, isDeclineReason, razorpayDecline, receiptFor, refundIdempotencyKey, toRazorpayAmount } from './mapping.ts';

describe('razorpayDecline', () => {
  it('maps Razorpay error reasons to Stripe codes', () => {
    expect(razorpayDecline('insufficient_funds')).toEqual({ code: 'card_declined', declineCode: 'insufficient_funds' });
    expect(razorpayDecline('card_expired')).toEqual({ code: 'expired_card', declineCode: 'expired_card' });
    expect(razorpayDecline('incorrect_cvv')).toEqual({ code: 'incorrect_cvc', declineCode: 'incorrect_cvc' });
    expect(razorpayDecline('payment_risk_check_failed')).toEqual({ code: 'card_declined', declineCode: 'fraudulent' });
    expect(razorpayDecline('card_declined')).toEqual({ code: 'card_declined', declineCode: 'do_not_honor' });
    expect(razorpayDecline('bank_technical_error')).toEqual({ code: 'processing_error', declineCode: 'processing_error' });
  });

  it('falls back to a generic decline', () => {
    expect(razorpayDecline('something_new')).toEqual({ code: 'card_declined', declineCode: 'generic_decline' });
    expect(razorpayDecline(null)).toEqual({ code: 'card_declined', declineCode: 'generic_decline' });
  });

  it('tells declines from request errors', () => {
    expect(isDeclineReason('insufficient_funds')).toBe(true);
    expect(isDeclineReason('input_validation_failed')).toBe(false);
    expect(isDeclineReason(undefined)).toBe(false);
  });
});

describe('Razorpay helpers', () => {
  it('names card networks as Stripe does', () => {
    expect(cardBrand('Visa')).toBe('visa');
    expect(cardBrand('MasterCard')).toBe('mastercard');
    expect(cardBrand('American Express')).toBe('amex');
    expect(cardBrand('RuPay')).toBe('rupay');
    expect(cardBrand('Unknown')).toBe('unknown');
  });

  it('sends amounts in ISO minor units and refuses what Razorpay would', () => {
    expect(toRazorpayAmount(49900n, 'inr')).toBe(49900);
    expect(toRazorpayAmount(5000n, 'jpy')).toBe(5000);
    expect(toRazorpayAmount(12340n, 'kwd')).toBe(12340);
    expect(() => toRazorpayAmount(12345n, 'kwd')).toThrow(RangeError);
  });

  it('derives receipts and refund keys deterministically within Razorpay limits', () => {
    const long = 'k'.repeat(200);
    expect(receiptFor(long)).toBe(receiptFor(long));
    expect(receiptFor(long)).toHaveLength(40);
    expect(receiptFor(long)).not.toBe(receiptFor(`${long}x`));
    expect(refundIdempotencyKey('in_1')).toMatch(/^[A-Za-z0-9_-]{10,}$/);
  });
});
