import { Text } from '@mantine/core';
import { customerIdOf, type SavedInvoice } from '../../billing.ts';
import type { Column } from '../../components/ListTable.tsx';
import { AnchorLink } from '../../components/links.tsx';
import { formatDate, formatMoney } from '../../format.ts';
import { InvoiceStatusBadge } from './status.tsx';

/** A draft has no number until it is finalized. */
export function invoiceTitle(invoice: SavedInvoice): string {
  return invoice.number ?? 'Draft';
}

/** The full list's columns, or (compact) the ones that fit a customer's or subscription's page: no customer, no id. */
export function invoiceColumns(compact: boolean): Array<Column<SavedInvoice>> {
  const number: Column<SavedInvoice> = { header: 'Number', link: true, render: (i) => invoiceTitle(i) };
  const customer: Column<SavedInvoice> = {
    header: 'Customer',
    render: (i) => (
      <AnchorLink to="/customers/$customerId" params={{ customerId: customerIdOf(i.customer) }} size="sm">
        {i.customer_name ?? i.customer_email ?? customerIdOf(i.customer)}
      </AnchorLink>
    ),
  };
  const status: Column<SavedInvoice> = { header: 'Status', width: 130, render: (i) => <InvoiceStatusBadge status={i.status} testId="invoice-row-status" /> };
  const total: Column<SavedInvoice> = {
    header: 'Total',
    render: (i) => (
      <Text size="sm" fw={500} data-testid="invoice-row-total">
        {formatMoney(i.total, i.currency)}
      </Text>
    ),
  };
  const created: Column<SavedInvoice> = { header: 'Created', width: 130, render: (i) => <Text size="sm" c="dimmed">{formatDate(i.created)}</Text> };
  const id: Column<SavedInvoice> = { header: 'ID', width: 240, render: (i) => <span className="recur-mono">{i.id}</span> };
  return compact ? [number, status, total, created] : [number, customer, status, total, created, id];
}
