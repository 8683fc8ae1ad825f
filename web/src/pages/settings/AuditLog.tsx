import { Badge, Group, Paper, SegmentedControl, Table, Text, Tooltip } from '@mantine/core';
import { useState } from 'react';
import type { AuditEntry, List, User, Workspace } from '../../api.ts';
import { IconList } from '../../components/icons.tsx';
import { Pager, useCursorPaging } from '../../components/Pager.tsx';
import { RequireTeamRole } from '../../components/RequireTeamRole.tsx';
import { Empty, ErrorState, PageHeader, SkeletonRows } from '../../components/states.tsx';
import { formatDateTime, formatRelative } from '../../format.ts';
import { useV1Query } from '../../hooks.ts';
import { useSession } from '../../session.tsx';

const PAGE_SIZE = 25;

function WorkspaceBadge({ id, workspaces }: { id: string | null; workspaces: Workspace[] }) {
  const mode = workspaces.find((w) => w.id === id)?.mode;
  if (!mode) return <Text size="xs" c="dimmed">Account</Text>;
  return (
    <Badge size="sm" variant="light" color={mode === 'live' ? 'teal' : 'orange'} radius="sm">
      {mode}
    </Badge>
  );
}

function EntryRow({ entry, workspaces, emails }: { entry: AuditEntry; workspaces: Workspace[]; emails: Map<string, string> }) {
  // Sign-ins are recorded without a label: name the user from the team list.
  const actor = entry.actor.label ?? (entry.actor.id ? (emails.get(entry.actor.id) ?? entry.actor.id) : entry.actor.type);
  const failed = entry.status_code !== null && entry.status_code >= 400;
  return (
    <Table.Tr data-testid="audit-row">
      <Table.Td>
        <Tooltip label={formatDateTime(entry.created)} withArrow>
          <Text size="sm" span>
            {formatRelative(entry.created)}
          </Text>
        </Tooltip>
      </Table.Td>
      <Table.Td>
        <Text size="sm">{actor}</Text>
        <Text size="xs" c="dimmed">
          {entry.actor.type === 'api_key' ? 'API key' : entry.actor.type}
        </Text>
      </Table.Td>
      <Table.Td>
        <Group gap={6} wrap="nowrap">
          <span className="recur-mono" style={{ color: 'var(--mantine-color-dark-6)' }}>
            {entry.action}
          </span>
          {failed ? (
            <Badge size="xs" color="red" variant="light">
              {entry.status_code}
            </Badge>
          ) : null}
        </Group>
      </Table.Td>
      <Table.Td>
        {entry.object_id ? <span className="recur-mono">{entry.object_id}</span> : <Text size="sm" c="dimmed">—</Text>}
      </Table.Td>
      <Table.Td>
        <WorkspaceBadge id={entry.workspace} workspaces={workspaces} />
      </Table.Td>
      <Table.Td>
        <span className="recur-mono">{entry.request.ip ?? '—'}</span>
      </Table.Td>
    </Table.Tr>
  );
}

function AuditLogContent() {
  const { workspaces } = useSession();
  const [scope, setScope] = useState('all');
  const paging = useCursorPaging();
  const workspace = workspaces.find((w) => w.mode === scope)?.id;
  const entries = useV1Query<List<AuditEntry>>('/v1/audit_log', { limit: PAGE_SIZE, workspace, ...(paging.cursor ?? {}) }, { keepPrevious: true });
  const users = useV1Query<List<User>>('/v1/users');
  const emails = new Map((users.data?.data ?? []).map((u) => [u.id, u.email]));
  const data = entries.data?.data ?? [];
  const info = paging.pageInfo(data, entries.data?.has_more ?? false);
  const changeScope = (value: string) => {
    setScope(value);
    paging.reset();
  };
  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every change made in this account: who did it, when, and from where."
        actions={
          <SegmentedControl
            size="xs"
            aria-label="Workspace filter"
            value={scope}
            onChange={changeScope}
            data={[
              { value: 'all', label: 'All' },
              { value: 'sandbox', label: 'Sandbox' },
              { value: 'live', label: 'Live' },
            ]}
          />
        }
      />
      {entries.isError ? (
        <ErrorState title="Could not load the audit log" error={entries.error} onRetry={() => void entries.refetch()} />
      ) : !entries.isPending && data.length === 0 && paging.cursor === null ? (
        <Empty icon={<IconList size={28} />} title="Nothing recorded yet" description="Sign-ins and changes will appear here as they happen." />
      ) : (
        <Paper withBorder style={{ overflow: 'hidden' }}>
          <Table.ScrollContainer minWidth={820}>
            <Table data-testid="audit-table">
              <Table.Thead bg="gray.0">
                <Table.Tr>
                  <Table.Th w={140}>Time</Table.Th>
                  <Table.Th>Actor</Table.Th>
                  <Table.Th>Action</Table.Th>
                  <Table.Th>Object</Table.Th>
                  <Table.Th w={100}>Workspace</Table.Th>
                  <Table.Th w={130}>IP</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {entries.isPending ? <SkeletonRows columns={6} /> : data.map((e) => <EntryRow key={e.id} entry={e} workspaces={workspaces} emails={emails} />)}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <Pager count={data.length} nouns={['entry', 'entries']} hasPrev={info.hasPrev} hasNext={info.hasNext} onPrev={info.prev} onNext={info.next} busy={entries.isFetching} loading={entries.isPending} />
        </Paper>
      )}
    </>
  );
}

export function AuditLogPage() {
  return (
    <RequireTeamRole>
      <AuditLogContent />
    </RequireTeamRole>
  );
}
