import { Alert, Button, Group, Modal, PasswordInput, Stack, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { auth, MIN_PASSWORD_LENGTH, type ApiError } from '../api.ts';
import { useSession } from '../session.tsx';
import { IconAlert } from './icons.tsx';
import { useNotify } from './notifications.tsx';

type Field = 'current_password' | 'new_password';

/** The signed-in user changes their own password; their other sessions are signed out. */
export function ChangePasswordModal({ opened, onClose }: { opened: boolean; onClose(): void }) {
  const { user, csrf_token } = useSession();
  const notify = useNotify();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [touched, setTouched] = useState(false);
  const change = useMutation<{ password_changed: true }, ApiError, { current: string; next: string }>({
    mutationFn: (vars) => auth.changePassword(csrf_token, vars.current, vars.next),
    onSuccess: () => {
      close();
      notify({ title: 'Password changed', message: 'You are still signed in here. Other browsers and devices were signed out.' });
    },
  });
  function close() {
    setCurrent('');
    setNext('');
    setConfirm('');
    setTouched(false);
    change.reset();
    onClose();
  }
  const param = change.error?.param ?? null;
  const serverError = (field: Field) => (param === field ? change.error?.message : undefined);
  // Typing in the field the server complained about clears its complaint.
  const clear = (field: Field) => {
    if (param === field) change.reset();
  };
  const currentError = serverError('current_password') ?? (touched && !current ? 'Enter your current password.' : null);
  const nextError = serverError('new_password') ?? (touched && next.length < MIN_PASSWORD_LENGTH ? `Use at least ${MIN_PASSWORD_LENGTH} characters.` : null);
  const confirmError = touched && confirm !== next ? 'Passwords do not match.' : null;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (!current || next.length < MIN_PASSWORD_LENGTH || confirm !== next) return;
    change.mutate({ current, next });
  };
  return (
    <Modal opened={opened} onClose={close} title={<Text fw={600}>Change password</Text>} centered>
      <form onSubmit={submit} noValidate data-testid="change-password-form">
        <Stack gap="md">
          {change.error && param !== 'current_password' && param !== 'new_password' ? (
            <Alert color="red" variant="light" icon={<IconAlert />} role="alert">
              {change.error.message}
            </Alert>
          ) : null}
          {/* For password managers: which account this password belongs to. */}
          <input type="text" name="username" autoComplete="username" value={user.email} readOnly hidden />
          <PasswordInput
            label="Current password"
            name="current_password"
            autoComplete="current-password"
            value={current}
            onChange={(e) => {
              setCurrent(e.currentTarget.value);
              clear('current_password');
            }}
            error={currentError}
            aria-invalid={currentError ? true : undefined}
            required
            data-autofocus
          />
          <PasswordInput
            label="New password"
            name="new_password"
            autoComplete="new-password"
            description={`At least ${MIN_PASSWORD_LENGTH} characters.`}
            value={next}
            onChange={(e) => {
              setNext(e.currentTarget.value);
              clear('new_password');
            }}
            error={nextError}
            aria-invalid={nextError ? true : undefined}
            required
          />
          <PasswordInput
            label="Confirm new password"
            name="confirm_password"
            autoComplete="new-password"
            value={confirm}
            onChange={(e) => setConfirm(e.currentTarget.value)}
            error={confirmError}
            aria-invalid={confirmError ? true : undefined}
            required
          />
          <Text size="xs" c="dimmed">
            Changing your password signs you out everywhere else. You stay signed in here.
          </Text>
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={change.isPending}>
              Change password
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
