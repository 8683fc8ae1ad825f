import { z } from 'zod';
import { expandParam, listParams, oneOf, str } from '../../lib/params.ts';
import { EMAIL_STATUSES, EMAIL_TEMPLATES } from './models.ts';

export const listEmailMessagesParams = z.strictObject({
  ...listParams,
  customer: str(255).optional(),
  status: oneOf(EMAIL_STATUSES).optional(),
});
export type ListEmailMessagesParams = z.output<typeof listEmailMessagesParams>;

export const retrieveEmailMessageParams = z.strictObject({ expand: expandParam });

/** A message in the outbox (Recur's own object): what was or will be sent, and how it went. */
export const emailMessageSchema = z.object({
  id: z.string(),
  object: z.literal('email_message'),
  attachments: z.array(z.object({ kind: z.literal('invoice_pdf'), invoice: z.string() })),
  attempts: z.number().int(),
  created: z.number().int(),
  customer: z.string().nullable(),
  /** Why it was queued, unique in the workspace (e.g. receipt:in_…). */
  dedupe_key: z.string(),
  html: z.string(),
  last_error: z.string().nullable(),
  livemode: z.boolean(),
  locale: z.string(),
  message_id: z.string(),
  next_attempt_at: z.number().int().nullable(),
  sent_at: z.number().int().nullable(),
  status: z.enum(EMAIL_STATUSES),
  subject: z.string(),
  template: z.enum(EMAIL_TEMPLATES),
  text: z.string(),
  to: z.string(),
});
export type EmailMessageObject = z.infer<typeof emailMessageSchema>;
