import { Alert, Avatar, Badge, Button, Group, Menu, ActionIcon, Paper, Select, Stack, Table, Text, Tooltip } from '@mantine/core';
import { useState } from 'react';
import type { InvitedUser, List, Role, User } from '../../api.ts';
import { ConfirmModal } from '../../components/ConfirmModal.tsx';
import { IconAlert, IconDots, IconLink, IconPlus } from '../../components/icons.tsx';
import { RequireTeamRole } from '../../components/RequireTeamRole.tsx';
import { ErrorState, PageHeader, SkeletonRows } from '../../components/states.tsx';
import { formatDate, formatDateTime, formatRelative, initials } from '../../format.ts';
import { useV1Mutation, useV1Query } from '../../hooks.ts';
import { useSession } from '../../session.tsx';
import { InviteLinkModal, InviteModal, roleOptions } from './InviteModals.tsx';

const statusColor: Record<User['status'], string> = { active: 'teal', invited: 'blue', disabled: 'gray' };

type UserUpdate = { id: string; role?: Role; disabled?: boolean };

/** Under an invited member's status: when their link stops (or stopped) working. */
function InvitationExpiry({ expiresAt }: { expiresAt: number | null }) {
  if (expiresAt === null) return null;
  const expired = expiresAt * 1000 <= Date.now();
  return (
    <Tooltip label={formatDateTime(expiresAt)} withArrow>
      <Text size="xs" c={expired ? 'red' : 'dimmed'} data-testid="invitation-expiry" style={{ whiteSpace: 'nowrap' }}>
        {expired ? `Link expired ${formatRelative(expiresAt)}` : `Link expires ${formatRelative(expiresAt)}`}
      </Text>
    </Tooltip>
  );
}

function MemberRow(props: {
  member: User;
  me: User;
  onChange(update: UserUpdate): void;
  onDisable(): void;
  onReinvite(): void;
  busy: boolean;
}) {
  const { member, me } = props;
  const isMe = member.id === me.id;
  // Only owners manage owners; nobody demotes or disables themselves here.
  const manageable = !isMe && (me.role === 'owner' || member.role !== 'owner');
  const options = roleOptions.filter((o) => o.value !== 'owner' || me.role === 'owner').map((o) => ({ value: o.value, label: o.label }));
  return (
    <Table.Tr data-testid="team-row">
      <Table.Td>
        <Group gap="sm" wrap="nowrap">
          <Avatar size={34} radius="xl" color="indigo" variant="light">
            {initials(member.name ?? member.email)}
          </Avatar>
          <div>
            <Text size="sm" fw={500}>
              {member.name ?? member.email}
              {isMe ? (
                <Text span c="dimmed" size="xs" ml={6}>
                  (you)
                </Text>
              ) : null}
            </Text>
            {member.name ? (
              <Text size="xs" c="dimmed">
                {member.email}
              </Text>
            ) : null}
          </div>
        </Group>
      </Table.Td>
      <Table.Td w={170}>
        {manageable && member.status !== 'disabled' ? (
          <Select
            size="xs"
            aria-label={`Role of ${member.email}`}
            data={options}
            value={member.role}
            allowDeselect={false}
            disabled={props.busy}
            onChange={(value) => {
              const role = roleOptions.find((o) => o.value === value)?.value;
              if (role && role !== member.role) props.onChange({ id: member.id, role });
            }}
          />
        ) : (
          <Badge variant="light" color="gray" radius="sm" tt="capitalize">
            {member.role}
          </Badge>
        )}
      </Table.Td>
      <Table.Td>
        <Stack gap={4} align="flex-start">
          <Badge variant="light" color={statusColor[member.status]} radius="sm" tt="capitalize">
            {member.status}
          </Badge>
          {member.status === 'invited' ? <InvitationExpiry expiresAt={member.invitation_expires_at} /> : null}
        </Stack>
      </Table.Td>
      <Table.Td>
        <Text size="sm" c="dimmed">
          {formatDate(member.created)}
        </Text>
      </Table.Td>
      <Table.Td ta="right" w={60}>
        {manageable ? (
          <Menu position="bottom-end" shadow="md">
            <Menu.Target>
              <ActionIcon variant="subtle" color="gray" aria-label={`Actions for ${member.email}`}>
                <IconDots />
              </ActionIcon>
            </Menu.Target>
            <Menu.Dropdown>
              {member.status === 'invited' ? (
                <>
                  <Menu.Item leftSection={<IconLink size={16} />} onClick={props.onReinvite} disabled={props.busy}>
                    New invitation link
                  </Menu.Item>
                  <Menu.Divider />
                </>
              ) : null}
              {member.status === 'disabled' ? (
                <Menu.Item onClick={() => props.onChange({ id: member.id, disabled: false })}>Enable member</Menu.Item>
              ) : (
                <Menu.Item color="red" onClick={props.onDisable}>
                  Disable member
                </Menu.Item>
              )}
            </Menu.Dropdown>
          </Menu>
        ) : null}
      </Table.Td>
    </Table.Tr>
  );
}

function TeamContent() {
  const { user: me } = useSession();
  const users = useV1Query<List<User>>('/v1/users');
  const [inviting, setInviting] = useState(false);
  const [invited, setInvited] = useState<{ user: InvitedUser; reissued: boolean } | null>(null);
  const [disabling, setDisabling] = useState<User | null>(null);
  const update = useV1Mutation((client, { id, ...body }: UserUpdate) => client.post<User>(`/v1/users/${encodeURIComponent(id)}`, body), {
    onSuccess: () => setDisabling(null),
  });
  // A new link for someone who has not joined yet; their previous link stops working.
  const reinvite = useV1Mutation((client, id: string) => client.post<InvitedUser>(`/v1/users/${encodeURIComponent(id)}/invitation`), {
    onSuccess: (user) => setInvited({ user, reissued: true }),
  });
  const actionError = update.error && !disabling ? update.error : reinvite.error;
  const dismissError = () => {
    update.reset();
    reinvite.reset();
  };
  const members = users.data?.data ?? [];
  return (
    <>
      <PageHeader
        title="Team"
        description="People who can sign in to this Recur account. Roles apply to both sandbox and live."
        actions={
          <Button leftSection={<IconPlus size={16} />} onClick={() => setInviting(true)}>
            Invite member
          </Button>
        }
      />
      {actionError ? (
        <Alert color="red" variant="light" icon={<IconAlert />} mb="md" withCloseButton onClose={dismissError} role="alert">
          {actionError.message}
        </Alert>
      ) : null}
      {users.isError ? (
        <ErrorState title="Could not load the team" error={users.error} onRetry={() => void users.refetch()} />
      ) : (
        <Paper withBorder style={{ overflow: 'hidden' }}>
          <Table.ScrollContainer minWidth={680}>
            <Table data-testid="team-table">
              <Table.Thead bg="gray.0">
                <Table.Tr>
                  <Table.Th>Member</Table.Th>
                  <Table.Th>Role</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th>Added</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {users.isPending ? (
                  <SkeletonRows columns={5} rows={3} />
                ) : (
                  members.map((m) => (
                    <MemberRow
                      key={m.id}
                      member={m}
                      me={me}
                      busy={update.isPending || reinvite.isPending}
                      onChange={(u) => {
                        reinvite.reset();
                        update.mutate(u);
                      }}
                      onDisable={() => setDisabling(m)}
                      onReinvite={() => {
                        update.reset();
                        reinvite.mutate(m.id);
                      }}
                    />
                  ))
                )}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
      )}
      <InviteModal opened={inviting} actorRole={me.role} onClose={() => setInviting(false)} onInvited={(user) => setInvited({ user, reissued: false })} />
      <InviteLinkModal user={invited?.user ?? null} reissued={invited?.reissued ?? false} onClose={() => setInvited(null)} />
      <ConfirmModal
        opened={disabling !== null}
        title="Disable team member"
        confirmLabel="Disable"
        loading={update.isPending}
        error={update.error}
        onConfirm={() => disabling && update.mutate({ id: disabling.id, disabled: true })}
        onClose={() => {
          update.reset();
          setDisabling(null);
        }}
      >
        Disable <strong>{disabling?.email}</strong>? They are signed out at once and can no longer sign in. You can enable them again later.
      </ConfirmModal>
    </>
  );
}

export function TeamPage() {
  return (
    <RequireTeamRole>
      <TeamContent />
    </RequireTeamRole>
  );
}
