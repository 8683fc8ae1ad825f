import { useNavigate, useSearch } from '@tanstack/react-router';
import type { SavedInvoice } from '../../billing.ts';
import { IconInvoice } from '../../components/icons.tsx';
import { ListTable } from '../../components/ListTable.tsx';
import { StatusTabs } from '../../components/StatusTabs.tsx';
import { Empty, PageHeader } from '../../components/states.tsx';
import { usePagedList } from '../../searchableList.ts';
import { invoiceColumns } from './invoiceColumns.tsx';
import { INVOICE_FILTERS, invoiceLabel, type InvoiceFilter } from './status.tsx';

const columns = invoiceColumns(false);

export function InvoicesPage() {
  const { status } = useSearch({ from: '/app/invoices' });
  const navigate = useNavigate();
  const filter: InvoiceFilter = status ?? 'all';
  const page = usePagedList<SavedInvoice>('/v1/invoices', { status });
  const setFilter = (next: InvoiceFilter) => {
    void navigate({ to: '/invoices', search: next === 'all' ? {} : { status: next } });
  };
  return (
    <>
      <PageHeader title="Invoices" description="What your customers were billed: subscription invoices, renewals and prorations." />
      <StatusTabs value={filter} options={INVOICE_FILTERS} label={invoiceLabel} onChange={setFilter} testId="invoice-status-filter" mb="md" />
      <ListTable
        query={page.result}
        rows={page.data}
        columns={columns}
        tableTestId="invoices-table"
        rowTestId="invoice-row"
        errorTitle="Could not load invoices"
        rowLink={(i) => ({ to: '/invoices/$invoiceId', params: { invoiceId: i.id } })}
        paging={{ ...page, nouns: ['invoice', 'invoices'] }}
        minWidth={820}
        empty={
          page.firstPage ? (
            <Empty
              icon={<IconInvoice size={28} />}
              title={filter === 'all' ? 'No invoices yet' : `No ${invoiceLabel(filter).toLowerCase()} invoices`}
              description="Subscriptions create invoices when they start and each time they renew."
            />
          ) : null
        }
      />
    </>
  );
}
