import { z } from 'zod';
import { isCurrency } from '../../../../lib/money.ts';

/** Braintree ids and keys: letters, digits, '_' and '-' (they go into URL paths). */
const braintreeId = (what: string) => z.string().regex(/^[A-Za-z0-9_-]+$/, { error: `must be a Braintree ${what} (letters, digits, '_' and '-')` });

/**
 * What a workspace enters to connect its Braintree account (all of it sealed at rest): the
 * API keys from the Control Panel (Settings → API), and optionally which merchant account
 * takes which currency. Braintree settles each merchant account in one currency, so the
 * currency of a charge is chosen by the merchant account it is made on.
 */
export const braintreeCredentials = z
  .object({
    merchant_id: braintreeId('merchant id'),
    public_key: braintreeId('public key'),
    private_key: braintreeId('private key'),
    /**
     * Currency (ISO code, any case) → merchant account id. Left out: the adapter asks
     * Braintree for the account's merchant accounts and their currencies.
     */
    merchant_account_ids: z
      .record(
        z.string().refine((code) => isCurrency(code.toLowerCase()), { error: 'must be an ISO 4217 currency code' }),
        braintreeId('merchant account id'),
      )
      .optional(),
  })
  .strict();

export type BraintreeCredentials = z.infer<typeof braintreeCredentials>;
