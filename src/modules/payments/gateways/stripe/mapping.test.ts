import { describe, expect, it } from 'vitest';
import { fromStripeAmount, stripeDecline, stripeExponent, toStripeAmount } from './mapping.ts';

describe('stripeDecline', () => {
  it('keeps the decline code Stripe gives', () => {
    expect(stripeDecline('card_declined', 'insufficient_funds')).toEqual({ code: 'card_declined', declineCode: 'insufficient_funds' });
    expect(stripeDecline('card_declined', 'stolen_card')).toEqual({ code: 'card_declined', declineCode: 'stolen_card' });
  });

  it('uses the code as the reason where Stripe sends none', () => {
    expect(stripeDecline('expired_card', undefined)).toEqual({ code: 'expired_card', declineCode: 'expired_card' });
    expect(stripeDecline('incorrect_cvc', '')).toEqual({ code: 'incorrect_cvc', declineCode: 'incorrect_cvc' });
    expect(stripeDecline('processing_error', undefined)).toEqual({ code: 'processing_error', declineCode: 'processing_error' });
    expect(stripeDecline('authentication_required', undefined)).toEqual({ code: 'authentication_required', declineCode: 'authentication_required' });
  });

  it('falls back to a generic card decline', () => {
    expect(stripeDecline('card_declined', undefined)).toEqual({ code: 'card_declined', declineCode: 'generic_decline' });
    expect(stripeDecline(undefined, undefined)).toEqual({ code: 'card_declined', declineCode: 'generic_decline' });
  });
});

describe('Stripe amounts', () => {
  it('passes ISO minor units through where Stripe agrees with ISO', () => {
    expect(toStripeAmount(1999n, 'usd')).toBe(1999);
    expect(toStripeAmount(5000n, 'JPY')).toBe(5000);
    expect(toStripeAmount(1234560n, 'kwd')).toBe(1234560);
    expect(fromStripeAmount(1999, 'usd')).toBe(1999n);
    expect(fromStripeAmount(5000, 'jpy')).toBe(5000n);
  });

  it('counts ISK in hundredths, as Stripe does', () => {
    expect(stripeExponent('isk')).toBe(2);
    expect(toStripeAmount(500n, 'isk')).toBe(50000);
    expect(fromStripeAmount(50000, 'isk')).toBe(500n);
  });

  it('sends MGA (ISO 2 decimals, Stripe 0) only in whole units', () => {
    expect(stripeExponent('mga')).toBe(0);
    expect(toStripeAmount(12300n, 'mga')).toBe(123);
    expect(fromStripeAmount(123, 'mga')).toBe(12300n);
    expect(() => toStripeAmount(12345n, 'mga')).toThrow(RangeError);
  });

  it('refuses amounts beyond what a JSON number holds exactly', () => {
    expect(() => toStripeAmount(2n ** 60n, 'usd')).toThrow(RangeError);
  });
});
