import { Text } from '@mantine/core';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { IconMail } from '../../components/icons.tsx';
import { AnchorLink } from '../../components/links.tsx';
import { StatusTabs } from '../../components/StatusTabs.tsx';
import { ListTable, type Column } from '../../components/ListTable.tsx';
import { Empty, PageHeader } from '../../components/states.tsx';
import { formatDateTime } from '../../format.ts';
import { usePagedList } from '../../searchableList.ts';
import { MESSAGE_FILTERS, messageLabel, MessageStatusBadge, templateLabel, type EmailMessage, type MessageFilter } from './status.tsx';

const columns: Array<Column<EmailMessage>> = [
  { header: 'Subject', link: true, render: (m) => m.subject },
  {
    header: 'To',
    render: (m) =>
      m.customer ? (
        <AnchorLink to="/customers/$customerId" params={{ customerId: m.customer }} size="sm">
          {m.to}
        </AnchorLink>
      ) : (
        <Text size="sm">{m.to}</Text>
      ),
  },
  { header: 'Type', width: 140, render: (m) => <Text size="sm">{templateLabel(m.template)}</Text> },
  { header: 'Status', width: 110, render: (m) => <MessageStatusBadge status={m.status} testId="message-row-status" /> },
  {
    header: 'Queued',
    width: 170,
    render: (m) => (
      <Text size="sm" c="dimmed">
        {formatDateTime(m.created)}
      </Text>
    ),
  },
];

export function MessagesPage() {
  const { status } = useSearch({ from: '/app/messages' });
  const navigate = useNavigate();
  const filter: MessageFilter = status ?? 'all';
  const page = usePagedList<EmailMessage>('/v1/email_messages', { status });
  const setFilter = (next: MessageFilter) => {
    void navigate({ to: '/messages', search: next === 'all' ? {} : { status: next } });
  };
  return (
    <>
      <PageHeader
        title="Messages"
        description="Email to your customers (receipts, invoices), as it was written. The worker sends it through your SMTP server; without one it waits here."
      />
      <StatusTabs value={filter} options={MESSAGE_FILTERS} label={messageLabel} onChange={setFilter} testId="message-status-filter" mb="md" />
      <ListTable
        query={page.result}
        rows={page.data}
        columns={columns}
        tableTestId="messages-table"
        rowTestId="message-row"
        errorTitle="Could not load messages"
        rowLink={(m) => ({ to: '/messages/$messageId', params: { messageId: m.id } })}
        paging={{ ...page, nouns: ['message', 'messages'] }}
        minWidth={820}
        empty={
          page.firstPage ? (
            <Empty
              icon={<IconMail size={28} />}
              title={filter === 'all' ? 'No messages yet' : `No ${messageLabel(filter).toLowerCase()} messages`}
              description="A receipt is written when an invoice is paid, and an invoice is sent when one that the customer pays themselves is finalized."
            />
          ) : null
        }
      />
    </>
  );
}
