import { z } from 'zod';

/** What a workspace enters to connect its Razorpay account (all of it sealed at rest). */
export const razorpayCredentials = z
  .object({
    /** The API key id (rzp_test_… in test mode, rzp_live_… in live mode). */
    key_id: z.string().regex(/^rzp_(test|live)_[0-9A-Za-z]+$/, { error: 'must be a Razorpay key id (rzp_test_… or rzp_live_…)' }),
    key_secret: z.string().regex(/^[0-9A-Za-z]{8,}$/, { error: 'must be the Razorpay key secret shown with the key id' }),
    /** The secret typed in when the webhook was set up in the Razorpay Dashboard. */
    webhook_secret: z.string().min(1, { error: 'must be the webhook secret set in the Razorpay Dashboard' }),
  })
  .strict();

export type RazorpayCredentials = z.infer<typeof razorpayCredentials>;
