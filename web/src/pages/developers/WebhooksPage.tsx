import { Button, Text } from '@mantine/core';
import { useState } from 'react';
import { IconLink, IconPlus } from '../../components/icons.tsx';
import { ListTable, type Column } from '../../components/ListTable.tsx';
import { RequireTeamRole } from '../../components/RequireTeamRole.tsx';
import { Empty, PageHeader } from '../../components/states.tsx';
import { formatDate } from '../../format.ts';
import { usePagedList } from '../../searchableList.ts';
import { useWorkspace } from '../../session.tsx';
import { EndpointModal, RevealSecretModal } from './WebhookModals.tsx';
import { EndpointStatusBadge, eventsSummary, type WebhookEndpoint } from './webhooks.tsx';

const columns: Array<Column<WebhookEndpoint>> = [
  {
    header: 'URL',
    link: true,
    render: (e) => (
      <>
        <span className="recur-mono" style={{ overflowWrap: 'anywhere' }}>
          {e.url}
        </span>
        {e.description ? (
          <Text size="xs" c="dimmed">
            {e.description}
          </Text>
        ) : null}
      </>
    ),
  },
  { header: 'Events', width: 200, render: (e) => <Text size="sm">{eventsSummary(e.enabled_events)}</Text> },
  { header: 'Status', width: 110, render: (e) => <EndpointStatusBadge status={e.status} /> },
  {
    header: 'Created',
    width: 130,
    render: (e) => (
      <Text size="sm" c="dimmed">
        {formatDate(e.created)}
      </Text>
    ),
  },
];

function WebhooksContent() {
  const { workspace } = useWorkspace();
  const page = usePagedList<WebhookEndpoint>('/v1/webhook_endpoints');
  const [adding, setAdding] = useState(false);
  const [created, setCreated] = useState<WebhookEndpoint | null>(null);
  const addButton = (
    <Button leftSection={<IconPlus size={16} />} onClick={() => setAdding(true)}>
      Add endpoint
    </Button>
  );
  return (
    <>
      <PageHeader
        title="Webhooks"
        description={`Recur POSTs the ${workspace.mode} workspace's events to these URLs, signed like Stripe's (Stripe-Signature), retrying for up to three days.`}
        actions={addButton}
      />
      <ListTable
        query={page.result}
        rows={page.data}
        columns={columns}
        tableTestId="webhooks-table"
        rowTestId="webhook-row"
        errorTitle="Could not load webhook endpoints"
        rowLink={(e) => ({ to: '/developers/webhooks/$endpointId', params: { endpointId: e.id } })}
        paging={{ ...page, nouns: ['endpoint', 'endpoints'] }}
        empty={
          page.firstPage ? (
            <Empty
              icon={<IconLink size={28} />}
              title="No webhook endpoints yet"
              description="Add an endpoint to have Recur tell your server about new customers, invoices and subscription changes."
              action={addButton}
            />
          ) : null
        }
      />
      <EndpointModal endpoint={null} opened={adding} onClose={() => setAdding(false)} onSaved={setCreated} />
      <RevealSecretModal endpoint={created} onClose={() => setCreated(null)} />
    </>
  );
}

export function WebhooksPage() {
  return (
    <RequireTeamRole>
      <WebhooksContent />
    </RequireTeamRole>
  );
}
