import { z } from 'zod';

/** What a workspace enters to connect its Stripe account (all of it sealed at rest). */
export const stripeCredentials = z
  .object({
    /** A secret key, or a restricted key with write access to Customers, PaymentMethods, PaymentIntents and Refunds. */
    secret_key: z.string().regex(/^(sk|rk)_(test|live)_[0-9A-Za-z]+$/, { error: 'must be a Stripe secret key (sk_test_…, sk_live_…) or restricted key (rk_…)' }),
    /** The signing secret of the webhook endpoint pointed at Recur. */
    webhook_secret: z.string().regex(/^whsec_[0-9A-Za-z+/=_-]+$/, { error: 'must be a Stripe webhook signing secret (whsec_…)' }),
  })
  .strict();

export type StripeCredentials = z.infer<typeof stripeCredentials>;
