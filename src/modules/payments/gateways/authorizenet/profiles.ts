import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { ApiError, invalidRequest } from '../../../../lib/errors.ts';
import type { CardDetails } from '../../payment-methods/models.ts';
import type { GatewayCustomer } from '../gateway.ts';
import { mapDecline } from './declines.ts';
import {
  apiError,
  createCustomerPaymentProfileResponse,
  createCustomerProfileResponse,
  firstMessage,
  getCustomerPaymentProfileResponse,
} from './responses.ts';
import type { Operation } from './sdk.ts';

/** Accept.js opaque data: what the browser got from Authorize.net for the card. */
export interface Opaque {
  dataDescriptor: string;
  dataValue: string;
}

/** A saved card: a customer profile and one of its payment profiles (`<profile>/<payment profile>`). */
export class ProfileRef {
  constructor(
    readonly customerProfileId: string,
    readonly paymentProfileId: string,
  ) {}

  static parse(gatewayRef: string): ProfileRef {
    const match = /^(\d+)\/(\d+)$/.exec(gatewayRef);
    if (!match?.[1] || !match[2]) throw invalidRequest(`'${gatewayRef}' is not an Authorize.net payment method reference.`, 'payment_method');
    return new ProfileRef(match[1], match[2]);
  }

  toString(): string {
    return `${this.customerProfileId}/${this.paymentProfileId}`;
  }

  /** As a transaction's `profile` (CustomerProfilePaymentType). */
  asPayment(): Record<string, unknown> {
    return { customerProfileId: this.customerProfileId, paymentProfile: { paymentProfileId: this.paymentProfileId } };
  }

  matches(profile: { customerProfileId: string; customerPaymentProfileId?: string | undefined } | undefined): boolean {
    return profile?.customerProfileId === this.customerProfileId && profile.customerPaymentProfileId === this.paymentProfileId;
  }
}

export type Requester = <T>(operation: Operation, fields: Record<string, unknown>, schema: z.ZodType<T>) => Promise<T>;

/**
 * merchantCustomerId holds 20 characters and Recur's customer ids have 28, so it is a hash of
 * the id (deterministic: the same customer finds its profile again); the id itself goes in
 * the profile's description, where the Merchant Interface shows it.
 */
export function merchantCustomerId(customerId: string): string {
  return createHash('sha256').update(customerId).digest('base64url').slice(0, 20);
}

/**
 * Saves the card behind an Accept.js nonce: a customer profile for the Recur customer with
 * the card as its payment profile, validated as `validationMode` says. If the customer has a
 * profile already (E00039, "A duplicate record with ID … already exists."), the card is added
 * to it; if that card is there already, its payment profile is reused.
 */
export async function saveCard(
  request: Requester,
  opaque: Opaque,
  customer: GatewayCustomer,
  validationMode: 'testMode' | 'liveMode',
): Promise<{ ref: ProfileRef; card: CardDetails }> {
  const paymentProfile = { customerType: 'individual', payment: { opaqueData: opaque } };
  const created = await request(
    'createCustomerProfile',
    {
      profile: { merchantCustomerId: merchantCustomerId(customer.id), description: customer.id, email: customer.email?.slice(0, 255), paymentProfiles: [paymentProfile] },
      validationMode,
    },
    createCustomerProfileResponse,
  );
  let ref: ProfileRef;
  const createdPaymentProfile = created.customerPaymentProfileIdList?.[0];
  if (created.messages.resultCode === 'Ok' && created.customerProfileId && createdPaymentProfile) {
    ref = new ProfileRef(created.customerProfileId, createdPaymentProfile);
  } else {
    const { code, text } = firstMessage(created);
    const existing = code === 'E00039' ? /ID (\d+)/.exec(text)?.[1] : undefined;
    if (!existing) throw refusal('createCustomerProfile', created, created.validationDirectResponseList?.[0]);
    const added = await request('createCustomerPaymentProfile', { customerProfileId: existing, paymentProfile, validationMode }, createCustomerPaymentProfileResponse);
    // A duplicate payment profile (the same card again) answers E00039 with the existing id.
    const addedId = added.customerPaymentProfileId;
    if (!addedId || (added.messages.resultCode !== 'Ok' && firstMessage(added).code !== 'E00039')) {
      throw refusal('createCustomerPaymentProfile', added, added.validationDirectResponse);
    }
    ref = new ProfileRef(existing, addedId);
  }
  return { ref, card: await readCard(request, ref) };
}

/** The masked card of a payment profile: "XXXX1111", "2030-12", "Visa". */
async function readCard(request: Requester, ref: ProfileRef): Promise<CardDetails> {
  const response = await request(
    'getCustomerPaymentProfile',
    { customerProfileId: ref.customerProfileId, customerPaymentProfileId: ref.paymentProfileId, unmaskExpirationDate: true },
    getCustomerPaymentProfileResponse,
  );
  const card = response.paymentProfile?.payment.creditCard;
  if (!card) throw apiError('getCustomerPaymentProfile', response);
  const expiry = /^(\d{4})-(\d{2})$/.exec(card.expirationDate);
  return {
    brand: BRANDS[card.cardType ?? ''] ?? 'unknown',
    last4: card.cardNumber.slice(-4),
    exp_month: expiry ? Number(expiry[2]) : 0,
    exp_year: expiry ? Number(expiry[1]) : 0,
    // Authorize.net does not say whether a card is credit, debit or prepaid, nor where it was issued.
    funding: 'unknown',
    country: null,
  };
}

/** Authorize.net's cardType values, as Stripe names brands. */
const BRANDS: Readonly<Record<string, string>> = {
  Visa: 'visa',
  MasterCard: 'mastercard',
  AmericanExpress: 'amex',
  Discover: 'discover',
  JCB: 'jcb',
  DinersClub: 'diners',
};

/**
 * Why a card was not saved. E00027 ("The transaction was unsuccessful."): the validation was
 * refused, and the direct response (Authorize.net's delimited AIM response: code, subcode,
 * reason code, reason text, …, in the merchant's delimiter) says why. E00114: the nonce is
 * invalid, used or expired (Accept.js nonces last 15 minutes and are good once).
 */
function refusal(operation: string, response: Parameters<typeof firstMessage>[0], directResponse: string | undefined): Error {
  const { code, text } = firstMessage(response);
  if (code === 'E00114') return invalidRequest(`The Accept.js payment nonce is invalid, used or expired (${text})`, 'payment_method', 'resource_missing');
  if (code !== 'E00027') return apiError(operation, response);
  const direct = parseDirectResponse(directResponse);
  const decline = mapDecline(direct?.responseCode ?? '2', direct?.reasonCode ?? '', direct?.reasonText || text);
  return new ApiError(402, 'card_error', decline.message, { code: decline.code, declineCode: decline.declineCode });
}

export function parseDirectResponse(direct: string | undefined): { responseCode: string; reasonCode: string; reasonText: string } | null {
  const delimiter = direct ? /^"?\d"?([^\d"])/.exec(direct)?.[1] : undefined;
  if (!direct || !delimiter) return null;
  const fields = direct.split(delimiter).map((field) => field.replace(/^"(.*)"$/, '$1'));
  return { responseCode: fields[0] ?? '', reasonCode: fields[2] ?? '', reasonText: fields[3] ?? '' };
}
