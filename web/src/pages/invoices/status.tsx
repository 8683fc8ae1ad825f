import { Badge } from '@mantine/core';
import type { InvoiceStatus } from '../../billing.ts';

export const INVOICE_FILTERS = ['all', 'draft', 'open', 'paid', 'uncollectible', 'void'] as const;
export type InvoiceFilter = (typeof INVOICE_FILTERS)[number];

export function parseInvoiceFilter(value: unknown): InvoiceFilter | undefined {
  return INVOICE_FILTERS.find((f) => f === value && f !== 'all');
}

const LABELS: Record<InvoiceFilter, string> = {
  all: 'All',
  draft: 'Draft',
  open: 'Open',
  paid: 'Paid',
  uncollectible: 'Uncollectible',
  void: 'Void',
};

const COLORS: Record<InvoiceStatus, string> = {
  draft: 'gray',
  open: 'indigo',
  paid: 'teal',
  uncollectible: 'red',
  void: 'dark',
};

export function invoiceLabel(status: InvoiceFilter): string {
  return LABELS[status];
}

export function InvoiceStatusBadge({ status, testId }: { status: InvoiceStatus | null; testId?: string }) {
  return (
    <Badge size="sm" variant="light" color={status ? COLORS[status] : 'gray'} data-testid={testId} data-status={status ?? 'preview'}>
      {status ? LABELS[status] : 'Preview'}
    </Badge>
  );
}
