import { Alert, Button, Group, Modal, Select, Stack, Text, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import type { InvitedUser, Role } from '../../api.ts';
import { CopyField } from '../../components/CopyField.tsx';
import { IconAlert, IconCheck } from '../../components/icons.tsx';
import { formatDateTime } from '../../format.ts';
import { useV1Mutation } from '../../hooks.ts';

export const roleOptions: Array<{ value: Role; label: string; description: string }> = [
  { value: 'owner', label: 'Owner', description: 'Everything, including managing owners.' },
  { value: 'admin', label: 'Admin', description: 'Customers, billing, team, API keys and audit log.' },
  { value: 'support', label: 'Support', description: 'Read-only access to customers and billing.' },
];

function asRole(value: string | null): Role {
  return value === 'owner' || value === 'admin' ? value : 'support';
}

export function InviteModal(props: { opened: boolean; actorRole: Role; onClose(): void; onInvited(user: InvitedUser): void }) {
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('admin');
  const invite = useV1Mutation((client, body: { email: string; role: Role; name?: string }) => client.post<InvitedUser>('/v1/users', body), {
    onSuccess: (user) => {
      close();
      props.onInvited(user);
    },
  });
  function close() {
    setEmail('');
    setName('');
    setRole('admin');
    invite.reset();
    props.onClose();
  }
  const submit = (event: FormEvent) => {
    event.preventDefault();
    invite.mutate({ email: email.trim(), role, ...(name.trim() ? { name: name.trim() } : {}) });
  };
  const param = invite.error?.param ?? null;
  const options = roleOptions.filter((o) => o.value !== 'owner' || props.actorRole === 'owner');
  return (
    <Modal opened={props.opened} onClose={close} title={<Text fw={600}>Invite a team member</Text>} centered>
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          {invite.error && param !== 'email' && param !== 'role' && param !== 'name' ? (
            <Alert color="red" variant="light" icon={<IconAlert />} role="alert">
              {invite.error.message}
            </Alert>
          ) : null}
          <TextInput
            label="Email"
            type="email"
            placeholder="teammate@company.com"
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
            error={param === 'email' ? invite.error?.message : undefined}
            required
            data-autofocus
          />
          <TextInput
            label="Name"
            placeholder="Optional"
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={param === 'name' ? invite.error?.message : undefined}
          />
          <Select
            label="Role"
            data={options.map((o) => ({ value: o.value, label: o.label }))}
            value={role}
            onChange={(v) => setRole(asRole(v))}
            allowDeselect={false}
            description={roleOptions.find((o) => o.value === role)?.description}
            error={param === 'role' ? invite.error?.message : undefined}
            comboboxProps={{ withinPortal: true }}
          />
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={invite.isPending} disabled={!email.trim()}>
              Send invitation
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/**
 * The invitation link, shown once (Recur does not send email yet): after inviting someone, or
 * after issuing them a new link (`reissued`), which makes the previous one stop working.
 */
export function InviteLinkModal({ user, reissued = false, onClose }: { user: InvitedUser | null; reissued?: boolean; onClose(): void }) {
  const link = user ? new URL(user.invite_url, window.location.origin).toString() : '';
  const expires = user?.invitation_expires_at ?? null;
  return (
    <Modal
      opened={user !== null}
      onClose={onClose}
      title={<Text fw={600}>{reissued ? 'New invitation link' : 'Invitation created'}</Text>}
      centered
      size="lg"
      closeOnClickOutside={false}
    >
      {user ? (
        <Stack gap="md">
          <Alert color="teal" variant="light" icon={<IconCheck />}>
            Send this link to <strong>{user.email}</strong>. It works once
            {expires !== null ? (
              <>
                {' '}
                and expires on <strong data-testid="invite-expires">{formatDateTime(expires)}</strong>
              </>
            ) : null}
            .{reissued ? ' Any earlier link for them no longer works.' : ''} Recur does not email it for you, and the link will not be shown
            again.
          </Alert>
          <CopyField value={link} label="invitation link" />
          <Group justify="flex-end">
            <Button onClick={onClose}>Done</Button>
          </Group>
        </Stack>
      ) : null}
    </Modal>
  );
}
