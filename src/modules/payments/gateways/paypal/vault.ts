import type { PaymentTokenResponse } from '@paypal/paypal-server-sdk';
import type { CardDetails } from '../../payment-methods/models.ts';

/** How a saved PayPal payment token is charged: as a card, or as a PayPal wallet. */
export type SourceKind = 'card' | 'paypal';

/** gatewayRef = `<kind>/<payment token id>`: Orders v2 names the vault id under the kind. */
export function gatewayRefOf(kind: SourceKind, paymentTokenId: string): string {
  return `${kind}/${paymentTokenId}`;
}

export function parseGatewayRef(gatewayRef: string): { kind: SourceKind; vaultId: string } | null {
  const match = /^(card|paypal)\/([A-Za-z0-9_-]{1,64})$/.exec(gatewayRef);
  if (!match) return null;
  return { kind: match[1] as SourceKind, vaultId: match[2] as string };
}

/** PayPal's card brands under Stripe's names (others: PayPal's name in lower case). */
const BRANDS: Readonly<Record<string, string>> = {
  VISA: 'visa',
  MASTERCARD: 'mastercard',
  AMEX: 'amex',
  DISCOVER: 'discover',
  JCB: 'jcb',
  DINERS: 'diners',
  CHINA_UNION_PAY: 'unionpay',
  CB_NATIONALE: 'cartes_bancaires',
  CARTE_BANCAIRE: 'cartes_bancaires',
  EFTPOS: 'eftpos_au',
};

const FUNDING: Readonly<Record<string, string>> = { CREDIT: 'credit', DEBIT: 'debit', PREPAID: 'prepaid' };

/**
 * What Recur shows of a saved payment token. A PayPal wallet has no card number, expiry or
 * funding: it is brand `paypal`, last4 `0000` (Stripe's clients expect four digits, and no
 * digits of the buyer's account exist to show), and it never expires (12/9999), so no
 * card-expiring email is ever sent for it.
 */
export function savedSource(token: PaymentTokenResponse): { kind: SourceKind; card: CardDetails } | null {
  const card = token.paymentSource?.card;
  if (card) {
    const [year, month] = (card.expiry ?? '').split('-').map((part) => Number.parseInt(part, 10));
    return {
      kind: 'card',
      card: {
        brand: (card.brand && BRANDS[card.brand]) ?? card.brand?.toLowerCase() ?? 'unknown',
        last4: card.lastDigits ?? '',
        exp_month: Number.isInteger(month) ? (month as number) : 0,
        exp_year: Number.isInteger(year) ? (year as number) : 0,
        funding: (card.type && FUNDING[card.type]) ?? 'unknown',
        country: card.binDetails?.binCountryCode ?? card.billingAddress?.countryCode ?? null,
      },
    };
  }
  const wallet = token.paymentSource?.paypal;
  if (wallet) {
    return {
      kind: 'paypal',
      card: { brand: 'paypal', last4: '0000', exp_month: 12, exp_year: 9999, funding: 'unknown', country: wallet.address?.countryCode ?? null },
    };
  }
  return null;
}
