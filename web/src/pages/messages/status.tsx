import { Badge } from '@mantine/core';

/** A message in the email outbox, as GET /v1/email_messages returns it (Recur's own object). */
export interface EmailMessage {
  id: string;
  object: 'email_message';
  attachments: Array<{ kind: 'invoice_pdf'; invoice: string }>;
  attempts: number;
  created: number;
  customer: string | null;
  dedupe_key: string;
  html: string;
  last_error: string | null;
  livemode: boolean;
  locale: string;
  message_id: string;
  next_attempt_at: number | null;
  sent_at: number | null;
  status: EmailStatus;
  subject: string;
  template: string;
  text: string;
  to: string;
}

export type EmailStatus = 'queued' | 'sending' | 'sent' | 'failed';

export const MESSAGE_FILTERS = ['all', 'queued', 'sending', 'sent', 'failed'] as const;
export type MessageFilter = (typeof MESSAGE_FILTERS)[number];

export function parseMessageFilter(value: unknown): MessageFilter | undefined {
  return MESSAGE_FILTERS.find((f) => f === value && f !== 'all');
}

const LABELS: Record<MessageFilter, string> = { all: 'All', queued: 'Queued', sending: 'Sending', sent: 'Sent', failed: 'Failed' };
const COLORS: Record<EmailStatus, string> = { queued: 'gray', sending: 'indigo', sent: 'teal', failed: 'red' };

export function messageLabel(filter: MessageFilter): string {
  return LABELS[filter];
}

const TEMPLATES: Record<string, string> = {
  receipt: 'Receipt',
  invoice: 'Invoice',
  payment_failed: 'Payment failed',
  card_expiring: 'Card expiring',
  refund: 'Refund',
  webhook_endpoint_disabled: 'Webhook endpoint disabled',
};

export function templateLabel(template: string): string {
  return TEMPLATES[template] ?? template;
}

export function MessageStatusBadge({ status, testId }: { status: EmailStatus; testId?: string }) {
  return (
    <Badge size="sm" variant="light" color={COLORS[status]} data-testid={testId} data-status={status}>
      {LABELS[status]}
    </Badge>
  );
}
