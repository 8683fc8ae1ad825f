import { Alert, Anchor, Badge, Group, Paper, SegmentedControl, Table, Text, Tooltip } from '@mantine/core';
import { useState } from 'react';
import type { AuditEntry, List, Workspace } from '../../api.ts';
import { IconList, IconTeam } from '../../components/icons.tsx';
import { Pager, useCursorPaging } from '../../components/Pager.tsx';
import { RequireTeamRole } from '../../components/RequireTeamRole.tsx';
import { Empty, ErrorState, PageHeader, SkeletonRows } from '../../components/states.tsx';
import { formatDateTime, formatRelative } from '../../format.ts';
import { useV1Query } from '../../hooks.ts';
import { useSession } from '../../session.tsx';

const PAGE_SIZE = 25;

/** Why an entry has no workspace: shown on its badge. */
const ACCOUNT_WIDE = 'Sign-ins, password changes and team changes apply to the whole account (sandbox and live).';

function WorkspaceBadge({ id, workspaces }: { id: string | null; workspaces: Workspace[] }) {
  if (id === null) {
    return (
      <Tooltip label={ACCOUNT_WIDE} withArrow multiline w={240}>
        <Badge size="sm" variant="light" color="gray" radius="sm" data-testid="account-wide">
          Account
        </Badge>
      </Tooltip>
    );
  }
  const mode = workspaces.find((w) => w.id === id)?.mode;
  if (!mode) return <span className="recur-mono">{id}</span>;
  return (
    <Badge size="sm" variant="light" color={mode === 'live' ? 'teal' : 'orange'} radius="sm">
      {mode}
    </Badge>
  );
}

function EntryRow({ entry, workspaces }: { entry: AuditEntry; workspaces: Workspace[] }) {
  // The label is the user's email or the redacted key; entries from before labels were recorded fall back to the id.
  const actor = entry.actor.label ?? entry.actor.id ?? entry.actor.type;
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
      {scope !== 'all' ? (
        <Alert color="gray" variant="light" icon={<IconTeam />} mb="md" data-testid="audit-scope-note">
          <Text size="sm">
            Showing changes made in the <strong>{scope}</strong> workspace only. Account-wide entries (sign-ins, password changes and team
            changes) belong to no workspace and are listed under{' '}
            <Anchor component="button" type="button" size="sm" fw={500} onClick={() => changeScope('all')}>
              All
            </Anchor>
            .
          </Text>
        </Alert>
      ) : null}
      {entries.isError ? (
        <ErrorState title="Could not load the audit log" error={entries.error} onRetry={() => void entries.refetch()} />
      ) : !entries.isPending && data.length === 0 && paging.cursor === null ? (
        scope === 'all' ? (
          <Empty icon={<IconList size={28} />} title="Nothing recorded yet" description="Sign-ins and changes will appear here as they happen." />
        ) : (
          <Empty icon={<IconList size={28} />} title={`Nothing recorded in ${scope} yet`} description={`Changes made in the ${scope} workspace will appear here.`} />
        )
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
                {entries.isPending ? <SkeletonRows columns={6} /> : data.map((e) => <EntryRow key={e.id} entry={e} workspaces={workspaces} />)}
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
