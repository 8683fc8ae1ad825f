import { Alert, Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { auth, type ApiError, type Session } from '../api.ts';
import { IconAlert } from '../components/icons.tsx';
import { sessionQuery } from '../session.tsx';
import { AuthCard } from './AuthCard.tsx';

export function LoginPage() {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const search = useSearch({ from: '/login' });
  const login = useMutation<Session, ApiError, { email: string; password: string }>({
    mutationFn: (vars) => auth.login(vars.email, vars.password),
    onSuccess: async (session) => {
      queryClient.removeQueries({ queryKey: ['v1'] });
      queryClient.setQueryData(sessionQuery.queryKey, session);
      await navigate({ href: search.redirect ?? '/customers', replace: true });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    login.mutate({ email: email.trim(), password });
  };
  const error = login.error;
  const field = error?.param ?? null;
  return (
    <AuthCard title="Sign in" subtitle="Welcome back. Sign in to manage customers and billing.">
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          {error ? (
            <Alert color="red" variant="light" icon={<IconAlert />} role="alert" data-testid="login-error">
              {error.message}
            </Alert>
          ) : null}
          <TextInput
            label="Email"
            name="email"
            type="email"
            autoComplete="username"
            placeholder="you@company.com"
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
            error={field === 'email'}
            required
            autoFocus
          />
          <PasswordInput
            label="Password"
            name="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
            error={field === 'password'}
            required
          />
          <Button type="submit" fullWidth loading={login.isPending} disabled={!email || !password} mt="xs">
            Sign in
          </Button>
        </Stack>
      </form>
    </AuthCard>
  );
}
