import { z } from 'zod';

/**
 * A workspace's PayPal REST app (Developer Dashboard → Apps & Credentials) and the id of the
 * webhook registered on it: PayPal signs each delivery for that webhook, and its
 * verification API needs the id to check the signature.
 */
export const paypalCredentials = z
  .object({
    client_id: z.string().trim().min(1).max(256),
    client_secret: z.string().trim().min(1).max(256),
    webhook_id: z.string().trim().min(1).max(64),
  })
  .strict();

export type PayPalCredentials = z.infer<typeof paypalCredentials>;
