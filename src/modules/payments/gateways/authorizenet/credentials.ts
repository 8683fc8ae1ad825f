import { z } from 'zod';

/**
 * The currencies Authorize.net's processors settle in (all with two decimals). One account
 * settles in one of them, chosen when the merchant account is set up.
 */
export const AUTHORIZENET_CURRENCIES = ['usd', 'cad', 'gbp', 'eur', 'aud', 'nzd', 'chf', 'dkk', 'nok', 'pln', 'sek'] as const;

/**
 * What a workspace enters to connect its Authorize.net account (all of it sealed at rest),
 * from the Merchant Interface, Account → Settings → API Credentials & Keys.
 */
export const authorizenetCredentials = z
  .object({
    /** The API Login ID (the schema allows up to 25 characters). */
    api_login_id: z.string().min(1).max(25),
    /** The Transaction Key (16 characters). */
    transaction_key: z.string().min(1).max(16),
    /** The Signature Key, which signs webhooks: 128 hexadecimal characters. */
    signature_key: z.string().regex(/^[0-9A-Fa-f]{128}$/, { error: 'must be the 128-character hexadecimal Signature Key' }),
    /** The one currency the account settles in (any case); charges in another are refused. */
    currency: z
      .string()
      .transform((code) => code.toLowerCase())
      .pipe(z.enum(AUTHORIZENET_CURRENCIES, { error: `must be one of ${AUTHORIZENET_CURRENCIES.join(', ')}` }))
      .default('usd'),
  })
  .strict();

export type AuthorizeNetCredentials = z.infer<typeof authorizenetCredentials>;
