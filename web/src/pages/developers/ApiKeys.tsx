import { Badge, Button, Paper, Table, Text, Tooltip } from '@mantine/core';
import { useState } from 'react';
import type { ApiKey, List } from '../../api.ts';
import { ConfirmModal } from '../../components/ConfirmModal.tsx';
import { IconKey, IconPlus } from '../../components/icons.tsx';
import { RequireTeamRole } from '../../components/RequireTeamRole.tsx';
import { Empty, ErrorState, PageHeader, SkeletonRows } from '../../components/states.tsx';
import { formatDate, formatDateTime, formatRelative } from '../../format.ts';
import { useV1Mutation, useV1Query } from '../../hooks.ts';
import { useWorkspace } from '../../session.tsx';
import { CreateKeyModal, RevealKeyModal } from './KeyModals.tsx';

function KeyRow({ apiKey, onRevoke }: { apiKey: ApiKey; onRevoke(): void }) {
  return (
    <Table.Tr data-testid="api-key-row" style={apiKey.revoked ? { opacity: 0.6 } : undefined}>
      <Table.Td>
        <Text size="sm" fw={500}>
          {apiKey.name ?? (apiKey.type === 'secret' ? 'Secret key' : 'Publishable key')}
        </Text>
      </Table.Td>
      <Table.Td>
        <span className="recur-mono">{apiKey.redacted}</span>
      </Table.Td>
      <Table.Td>
        <Badge variant="light" color={apiKey.type === 'secret' ? 'violet' : 'blue'} radius="sm">
          {apiKey.type}
        </Badge>
      </Table.Td>
      <Table.Td>
        <Text size="sm" c="dimmed">
          {formatDate(apiKey.created)}
        </Text>
      </Table.Td>
      <Table.Td>
        {apiKey.last_used ? (
          <Tooltip label={formatDateTime(apiKey.last_used)} withArrow>
            <Text size="sm" c="dimmed" span>
              {formatRelative(apiKey.last_used)}
            </Text>
          </Tooltip>
        ) : (
          <Text size="sm" c="dimmed">
            Never
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        {apiKey.revoked ? (
          <Badge color="gray" variant="light" radius="sm">
            Revoked
          </Badge>
        ) : (
          <Badge color="teal" variant="light" radius="sm">
            Active
          </Badge>
        )}
      </Table.Td>
      <Table.Td ta="right">
        {apiKey.revoked ? null : (
          <Button size="xs" variant="subtle" color="red" onClick={onRevoke}>
            Revoke
          </Button>
        )}
      </Table.Td>
    </Table.Tr>
  );
}

function ApiKeysContent() {
  const { workspace } = useWorkspace();
  const keys = useV1Query<List<ApiKey>>('/v1/api_keys');
  const [creating, setCreating] = useState(false);
  const [revealed, setRevealed] = useState<ApiKey | null>(null);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  const revoke = useV1Mutation((client, key: ApiKey) => client.post<ApiKey>(`/v1/api_keys/${encodeURIComponent(key.id)}/revoke`), {
    onSuccess: () => setRevoking(null),
  });
  const createButton = (
    <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)}>
      Create key
    </Button>
  );
  const data = [...(keys.data?.data ?? [])].sort((a, b) => Number(a.revoked) - Number(b.revoked) || b.created - a.created);

  return (
    <>
      <PageHeader
        title="API keys"
        description={`Keys for the ${workspace.mode} workspace. Secret keys act as your account: keep them on your server.`}
        actions={createButton}
      />
      {keys.isError ? (
        <ErrorState title="Could not load API keys" error={keys.error} onRetry={() => void keys.refetch()} />
      ) : !keys.isPending && data.length === 0 ? (
        <Empty icon={<IconKey size={28} />} title="No API keys yet" description="Create a key to call the Recur API from your code." action={createButton} />
      ) : (
        <Paper withBorder style={{ overflow: 'hidden' }}>
          <Table.ScrollContainer minWidth={760}>
            <Table data-testid="api-keys-table">
              <Table.Thead bg="gray.0">
                <Table.Tr>
                  <Table.Th>Name</Table.Th>
                  <Table.Th>Key</Table.Th>
                  <Table.Th>Type</Table.Th>
                  <Table.Th>Created</Table.Th>
                  <Table.Th>Last used</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {keys.isPending ? <SkeletonRows columns={7} rows={3} /> : data.map((k) => <KeyRow key={k.id} apiKey={k} onRevoke={() => setRevoking(k)} />)}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
      )}
      <CreateKeyModal opened={creating} onClose={() => setCreating(false)} onCreated={(key) => setRevealed(key)} />
      <RevealKeyModal apiKey={revealed} onClose={() => setRevealed(null)} />
      <ConfirmModal
        opened={revoking !== null}
        title="Revoke API key"
        confirmLabel="Revoke key"
        loading={revoke.isPending}
        error={revoke.error}
        onConfirm={() => revoking && revoke.mutate(revoking)}
        onClose={() => {
          revoke.reset();
          setRevoking(null);
        }}
      >
        Revoke <span className="recur-mono">{revoking?.redacted}</span>? Requests made with this key will fail immediately. This cannot be
        undone.
      </ConfirmModal>
    </>
  );
}

export function ApiKeysPage() {
  return (
    <RequireTeamRole>
      <ApiKeysContent />
    </RequireTeamRole>
  );
}
