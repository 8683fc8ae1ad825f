import { Badge, Button, Group, Paper, SimpleGrid, Stack, Text, Title, Tooltip } from '@mantine/core';
import { useNavigate, useParams } from '@tanstack/react-router';
import { useState } from 'react';
import { ConfirmModal } from '../../components/ConfirmModal.tsx';
import { BackLink, Detail, DetailGate, DetailHeader } from '../../components/DetailHeader.tsx';
import { IconEdit, IconLink, IconPause, IconPlay, IconRefresh, IconTrash } from '../../components/icons.tsx';
import { StatusTabs } from '../../components/StatusTabs.tsx';
import { ListTable, type Column } from '../../components/ListTable.tsx';
import { RequireTeamRole } from '../../components/RequireTeamRole.tsx';
import { Empty } from '../../components/states.tsx';
import { formatDateTime, formatRelative } from '../../format.ts';
import { useV1Mutation, useV1Query } from '../../hooks.ts';
import { usePagedList } from '../../searchableList.ts';
import { EndpointModal } from './WebhookModals.tsx';
import { DeliveryStatusBadge, EndpointStatusBadge, type DeliveryStatus, type WebhookDelivery, type WebhookEndpoint } from './webhooks.tsx';

const FILTERS = ['all', 'pending', 'succeeded', 'failed'] as const;
type Filter = (typeof FILTERS)[number];
const FILTER_LABELS: Record<Filter, string> = { all: 'All', pending: 'Retrying', succeeded: 'Delivered', failed: 'Failed' };

const dash = (
  <Text span c="dimmed">
    —
  </Text>
);

function When({ at }: { at: number | null }) {
  if (at === null) return dash;
  return (
    <Tooltip label={formatDateTime(at)} withArrow>
      <Text size="sm" span>
        {formatRelative(at)}
      </Text>
    </Tooltip>
  );
}

/** The last answer: its status code (with the body's start on hover), or why there was none. */
function LastAnswer({ delivery }: { delivery: WebhookDelivery }) {
  if (delivery.last_status_code !== null) {
    const ok = delivery.last_status_code >= 200 && delivery.last_status_code < 300;
    const badge = (
      <Badge size="sm" variant="outline" color={ok ? 'teal' : 'red'} data-testid="delivery-status-code">
        {delivery.last_status_code}
      </Badge>
    );
    return delivery.last_response ? (
      <Tooltip label={delivery.last_response.slice(0, 300)} multiline maw={360} withArrow>
        {badge}
      </Tooltip>
    ) : (
      badge
    );
  }
  if (delivery.last_error) {
    return (
      <Text size="xs" c="red" maw={220} lineClamp={2} title={delivery.last_error}>
        {delivery.last_error}
      </Text>
    );
  }
  return dash;
}

function RetryButton({ delivery }: { delivery: WebhookDelivery }) {
  const retry = useV1Mutation((client) => client.post<WebhookDelivery>(`/v1/webhook_deliveries/${encodeURIComponent(delivery.id)}/retry`));
  return (
    <Stack gap={2} align="flex-end">
      <Button size="xs" variant="subtle" leftSection={<IconRefresh size={14} />} loading={retry.isPending} onClick={() => retry.mutate(undefined)}>
        Retry
      </Button>
      {retry.error ? (
        <Text size="xs" c="red">
          {retry.error.message}
        </Text>
      ) : null}
    </Stack>
  );
}

const deliveryColumns: Array<Column<WebhookDelivery>> = [
    {
      header: 'Event',
      render: (d) => (
        <>
          <Text size="sm" fw={500}>
            {d.event_type}
          </Text>
          <span className="recur-mono">{d.event}</span>
        </>
      ),
    },
    { header: 'Status', width: 110, render: (d) => <DeliveryStatusBadge delivery={d} /> },
    { header: 'Attempts', width: 90, render: (d) => <Text size="sm">{d.attempts}</Text> },
    { header: 'Last answer', width: 170, render: (d) => <LastAnswer delivery={d} /> },
    { header: 'Last attempt', width: 130, render: (d) => <When at={d.last_attempt_at} /> },
  { header: 'Next attempt', width: 130, render: (d) => <When at={d.next_attempt_at} /> },
  { header: '', width: 110, render: (d) => <RetryButton delivery={d} /> },
];

function DeliveryLog({ endpoint }: { endpoint: WebhookEndpoint }) {
  const [filter, setFilter] = useState<Filter>('all');
  const status: DeliveryStatus | undefined = filter === 'all' ? undefined : filter;
  const page = usePagedList<WebhookDelivery>(`/v1/webhook_endpoints/${encodeURIComponent(endpoint.id)}/deliveries`, { status });
  return (
    <Stack gap="sm">
      <Title order={3} fz={18}>
        Deliveries
      </Title>
      <StatusTabs value={filter} options={FILTERS} label={(f) => FILTER_LABELS[f]} onChange={setFilter} testId="delivery-filter" />
      <ListTable
        query={page.result}
        rows={page.data}
        columns={deliveryColumns}
        tableTestId="deliveries-table"
        rowTestId="delivery-row"
        errorTitle="Could not load deliveries"
        paging={{ ...page, nouns: ['delivery', 'deliveries'] }}
        minWidth={900}
        empty={
          page.firstPage ? (
            <Empty
              icon={<IconLink size={28} />}
              title={filter === 'all' ? 'Nothing sent yet' : `No ${FILTER_LABELS[filter].toLowerCase()} deliveries`}
              description="Each event this endpoint listens to appears here once Recur has queued it."
            />
          ) : null
        }
      />
    </Stack>
  );
}

function WebhookContent() {
  const { endpointId } = useParams({ from: '/app/developers/webhooks/$endpointId' });
  const navigate = useNavigate();
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const path = `/v1/webhook_endpoints/${encodeURIComponent(endpointId)}`;
  const query = useV1Query<WebhookEndpoint>(path);
  const toggle = useV1Mutation((client, disabled: boolean) => client.post<WebhookEndpoint>(path, { disabled }));
  const remove = useV1Mutation((client) => client.del(path), { onSuccess: () => void navigate({ to: '/developers/webhooks' }) });
  const back = <BackLink to="/developers/webhooks" label="Webhooks" />;
  return (
    <DetailGate query={query} back={back} noun="Webhook endpoint">
      {(endpoint) => (
        <>
          {back}
          <DetailHeader
            title={endpoint.url}
            titleTestId="webhook-url"
            id={endpoint.id}
            badges={<EndpointStatusBadge status={endpoint.status} />}
            actions={
              <>
                <Button variant="default" leftSection={<IconEdit size={16} />} onClick={() => setEditing(true)}>
                  Edit
                </Button>
                <Button
                  variant="default"
                  leftSection={endpoint.status === 'enabled' ? <IconPause size={16} /> : <IconPlay size={16} />}
                  loading={toggle.isPending}
                  onClick={() => toggle.mutate(endpoint.status === 'enabled')}
                  data-testid="webhook-toggle"
                >
                  {endpoint.status === 'enabled' ? 'Disable' : 'Enable'}
                </Button>
                <Button variant="light" color="red" leftSection={<IconTrash size={16} />} onClick={() => setDeleting(true)}>
                  Delete
                </Button>
              </>
            }
          />
          {toggle.error ? (
            <Text size="sm" c="red" mb="sm" role="alert">
              {toggle.error.message}
            </Text>
          ) : null}
          <Stack gap="lg">
            <Paper withBorder p="md">
              <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md" verticalSpacing="md">
                <Detail label="Description">{endpoint.description ?? dash}</Detail>
                <Detail label="API version">
                  <span className="recur-mono">{endpoint.api_version ?? '—'}</span>
                </Detail>
                <Detail label="Created">{formatDateTime(endpoint.created)}</Detail>
                <Detail label="Events" testId="webhook-events">
                  {endpoint.enabled_events.includes('*') ? (
                    'All events'
                  ) : (
                    <Group gap={6}>
                      {endpoint.enabled_events.map((type) => (
                        <Badge key={type} size="sm" variant="light" color="gray" tt="none">
                          {type}
                        </Badge>
                      ))}
                    </Group>
                  )}
                </Detail>
                <Detail label="Signing secret">
                  <Text size="sm" c="dimmed" span>
                    Shown once, when the endpoint was added
                  </Text>
                </Detail>
              </SimpleGrid>
            </Paper>
            <DeliveryLog endpoint={endpoint} />
          </Stack>
          <EndpointModal endpoint={endpoint} opened={editing} onClose={() => setEditing(false)} onSaved={() => undefined} />
          <ConfirmModal
            opened={deleting}
            title="Delete webhook endpoint"
            confirmLabel="Delete endpoint"
            loading={remove.isPending}
            error={remove.error}
            onConfirm={() => remove.mutate(undefined)}
            onClose={() => {
              remove.reset();
              setDeleting(false);
            }}
          >
            Delete the endpoint for {endpoint.url}? Recur stops sending to it at once and its delivery log is deleted with it.
          </ConfirmModal>
        </>
      )}
    </DetailGate>
  );
}

export function WebhookPage() {
  return (
    <RequireTeamRole>
      <WebhookContent />
    </RequireTeamRole>
  );
}
