import type { ColumnType, Generated, Selectable } from 'kysely';

type Json<T> = ColumnType<T, string, string>;

/** Every kind of message Recur writes; templates/ holds each one's words in every language. */
export const EMAIL_TEMPLATES = ['receipt', 'invoice', 'payment_failed', 'card_expiring', 'refund', 'webhook_endpoint_disabled'] as const;
export type EmailTemplate = (typeof EMAIL_TEMPLATES)[number];

export const EMAIL_STATUSES = ['queued', 'sending', 'sent', 'failed'] as const;
export type EmailStatus = (typeof EMAIL_STATUSES)[number];

/** What to attach, rendered when the message is sent (the bytes are never stored). */
export type EmailAttachment = { kind: 'invoice_pdf'; invoice: string };

export interface EmailMessagesTable {
  workspace_id: string;
  id: string;
  customer_id: string | null;
  to_address: string;
  locale: string;
  template: EmailTemplate;
  subject: string;
  text_body: string;
  html_body: string;
  attachments: Json<EmailAttachment[]>;
  status: Generated<EmailStatus>;
  attempts: Generated<number>;
  next_attempt_at: Date | null;
  last_error: string | null;
  message_id: string;
  dedupe_key: string;
  sent_at: Date | null;
  created_at: ColumnType<Date, Date | undefined, Date>;
}

export type EmailMessageRow = Selectable<EmailMessagesTable>;
