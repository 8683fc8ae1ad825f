import { describe, expect, it } from 'vitest';
import { mapDecline, refundFailureCode } from './declines.ts';
import { parseDirectResponse } from './profiles.ts';

describe('Authorize.net declines in Stripe codes', () => {
  it.each([
    ['2', '2', 'card_declined', 'generic_decline'],
    ['2', '3', 'card_declined', 'call_issuer'],
    ['2', '4', 'card_declined', 'pickup_card'],
    ['3', '6', 'incorrect_number', 'incorrect_number'],
    ['3', '8', 'expired_card', 'expired_card'],
    ['3', '317', 'expired_card', 'expired_card'],
    ['2', '27', 'incorrect_zip', 'incorrect_zip'],
    ['2', '44', 'incorrect_cvc', 'incorrect_cvc'],
    ['2', '45', 'incorrect_cvc', 'incorrect_cvc'],
    ['2', '65', 'incorrect_cvc', 'incorrect_cvc'],
    ['3', '17', 'card_declined', 'card_not_supported'],
    ['2', '250', 'card_declined', 'fraudulent'],
    ['3', '19', 'processing_error', 'processing_error'],
    ['3', '57', 'processing_error', 'processing_error'],
  ])('response %s reason %s → %s / %s', (responseCode, reasonCode, code, declineCode) => {
    expect(mapDecline(responseCode, reasonCode, 'This transaction has been declined.')).toEqual({ code, declineCode, message: 'This transaction has been declined.' });
  });

  it('falls back on the response code for reasons it does not know', () => {
    expect(mapDecline('2', '999', undefined)).toEqual({ code: 'card_declined', declineCode: 'generic_decline', message: 'Your card was declined.' });
    expect(mapDecline('3', '999', 'Something')).toMatchObject({ code: 'processing_error', declineCode: 'processing_error' });
  });

  it('names refund refusals', () => {
    expect(refundFailureCode('55')).toBe('amount_too_large');
    expect(refundFailureCode('54')).toBe('charge_not_refundable');
    expect(refundFailureCode('2')).toBe('refund_failed');
  });

  it('reads a direct response in whatever delimiter and encapsulation the merchant chose', () => {
    expect(parseDirectResponse('2,1,27,The transaction has been declined because of an AVS mismatch.,,N,0')).toEqual({
      responseCode: '2',
      reasonCode: '27',
      reasonText: 'The transaction has been declined because of an AVS mismatch.',
    });
    expect(parseDirectResponse('"2"|"1"|"2"|"This transaction has been declined."|""')).toEqual({ responseCode: '2', reasonCode: '2', reasonText: 'This transaction has been declined.' });
    expect(parseDirectResponse(undefined)).toBeNull();
    expect(parseDirectResponse('garbage')).toBeNull();
  });
});
