import { Alert, Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useParams } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { auth, MIN_PASSWORD_LENGTH, type ApiError, type Session } from '../api.ts';
import { IconAlert } from '../components/icons.tsx';
import { sessionQuery } from '../session.tsx';
import { AuthCard } from './AuthCard.tsx';

export function AcceptInvitePage() {
  const { token } = useParams({ from: '/invite/$token' });
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [touched, setTouched] = useState(false);
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const accept = useMutation<Session, ApiError, void>({
    mutationFn: () => auth.acceptInvitation(token, password, name.trim() || undefined),
    onSuccess: async (session) => {
      queryClient.removeQueries({ queryKey: ['v1'] });
      queryClient.setQueryData(sessionQuery.queryKey, session);
      await navigate({ to: '/customers', replace: true });
    },
  });
  const mismatch = touched && confirm !== password ? 'Passwords do not match.' : null;
  const tooShort = touched && password.length < MIN_PASSWORD_LENGTH ? `Use at least ${MIN_PASSWORD_LENGTH} characters.` : null;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (password.length < MIN_PASSWORD_LENGTH || password !== confirm) return;
    accept.mutate();
  };
  const error = accept.error;
  return (
    <AuthCard title="Join your team on Recur" subtitle="Choose your name and a password to finish setting up your account.">
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          {error ? (
            <Alert color="red" variant="light" icon={<IconAlert />} role="alert">
              {error.message}
            </Alert>
          ) : null}
          <TextInput label="Your name" name="name" autoComplete="name" value={name} onChange={(e) => setName(e.currentTarget.value)} autoFocus />
          <PasswordInput
            label="Password"
            name="password"
            autoComplete="new-password"
            description={`At least ${MIN_PASSWORD_LENGTH} characters.`}
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
            error={tooShort ?? (error?.param === 'password' ? true : null)}
            required
          />
          <PasswordInput
            label="Confirm password"
            name="confirm"
            autoComplete="new-password"
            value={confirm}
            onChange={(e) => setConfirm(e.currentTarget.value)}
            error={mismatch}
            required
          />
          <Button type="submit" fullWidth loading={accept.isPending} mt="xs">
            Create account and sign in
          </Button>
        </Stack>
      </form>
    </AuthCard>
  );
}
