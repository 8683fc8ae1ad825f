import { Alert, Badge, Button, Group, Paper, Skeleton, Stack, Text, TextInput, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { ApiError, type Customer } from '../../api.ts';
import type { TestClock } from '../../billing.ts';
import { IconClock } from '../../components/icons.tsx';
import { formatDateTime, fromLocalInput, toLocalInput } from '../../format.ts';
import { v1Key, useV1Mutation, useV1Query, type V1Client } from '../../hooks.ts';
import { canWrite, useSession, useWorkspace } from '../../session.tsx';

const POLL_MS = 1000;
/** An advance through many renewals takes a while; past this, stop waiting and say so. */
const POLL_LIMIT_MS = 5 * 60_000;

export function clockPath(id: string): string {
  return `/v1/test_helpers/test_clocks/${encodeURIComponent(id)}`;
}

/** Polls the clock until it is no longer advancing; each answer goes to `onTick` (to show it). */
async function waitUntilReady(client: V1Client, id: string, onTick: (clock: TestClock) => void): Promise<TestClock> {
  const deadline = Date.now() + POLL_LIMIT_MS;
  for (;;) {
    const clock = await client.get<TestClock>(clockPath(id));
    onTick(clock);
    if (clock.status === 'ready') return clock;
    if (clock.status === 'internal_failure') throw new ApiError(500, 'api_error', 'The test clock failed while advancing. Its objects may be half-way through.');
    if (Date.now() > deadline) throw new ApiError(0, 'api_error', 'The test clock is still advancing. Reload the page later to see where it got to.');
    await new Promise((resolve) => window.setTimeout(resolve, POLL_MS));
  }
}

/** The same wall-clock time `months` calendar months later (Jan 31 + 1 → Feb 28/29, as billing does). */
function addMonths(seconds: number, months: number): number {
  const date = new Date(seconds * 1000);
  const day = date.getDate();
  date.setDate(1);
  date.setMonth(date.getMonth() + months);
  const lastDay = new Date(date.getFullYear(), date.getMonth() + 1, 0).getDate();
  date.setDate(Math.min(day, lastDay));
  return Math.floor(date.getTime() / 1000);
}

const STEPS: Array<{ label: string; from(frozen: number): number }> = [
  { label: '+1 day', from: (t) => t + 86_400 },
  { label: '+1 week', from: (t) => t + 7 * 86_400 },
  { label: '+1 month', from: (t) => addMonths(t, 1) },
];

function statusColor(status: TestClock['status']): string {
  return status === 'ready' ? 'teal' : status === 'advancing' ? 'orange' : 'red';
}

function ClockControls({ clock }: { clock: TestClock }) {
  const { workspace } = useWorkspace();
  const queryClient = useQueryClient();
  const [target, setTarget] = useState(() => toLocalInput(clock.frozen_time + 86_400));
  const [local, setLocal] = useState<string | null>(null);
  const advance = useV1Mutation(async (client, frozenTime: number) => {
    await client.post<TestClock>(`${clockPath(clock.id)}/advance`, { frozen_time: frozenTime });
    // Shown as it goes, so the badge says "advancing" while the button waits.
    return waitUntilReady(client, clock.id, (latest) => queryClient.setQueryData(v1Key(workspace.id, clockPath(clock.id)), latest));
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const seconds = fromLocalInput(target);
    if (seconds === null) return setLocal('Enter a date and time.');
    if (seconds <= clock.frozen_time) return setLocal("Choose a time after the clock's current time.");
    setLocal(null);
    advance.mutate(seconds);
  };
  return (
    <form onSubmit={submit} noValidate data-testid="test-clock-advance-form">
      <Stack gap="xs">
        <TextInput
          label="Advance to"
          type="datetime-local"
          step={1}
          value={target}
          onChange={(e) => setTarget(e.currentTarget.value)}
          error={local ?? (advance.error?.param === 'frozen_time' ? advance.error.message : undefined)}
          data-testid="test-clock-advance-input"
        />
        <Group gap={6}>
          {STEPS.map((step) => (
            <Button key={step.label} size="compact-xs" variant="default" onClick={() => setTarget(toLocalInput(step.from(clock.frozen_time)))}>
              {step.label}
            </Button>
          ))}
        </Group>
        {advance.error && advance.error.param !== 'frozen_time' ? (
          <Alert color="red" variant="light" role="alert" py={6}>
            {advance.error.message}
          </Alert>
        ) : null}
        <Button type="submit" loading={advance.isPending || clock.status === 'advancing'} data-testid="test-clock-advance">
          Advance clock
        </Button>
      </Stack>
    </form>
  );
}

/**
 * A sandbox customer's test clock: its frozen time, and "Advance to" which moves it (running
 * the renewals, trials and retries that fall due), waits until it is ready, then refreshes.
 */
function ClockDetails({ clockId }: { clockId: string }) {
  const { user } = useSession();
  // Polled while advancing (also when another tab or the API started the advance).
  const clock = useV1Query<TestClock>(clockPath(clockId), undefined, { pollWhile: (c) => c?.status === 'advancing' });
  if (clock.isPending) return <Skeleton height={80} />;
  if (clock.isError) return <Text size="sm" c="red">{clock.error.message}</Text>;
  const data = clock.data;
  return (
    <Stack gap="sm">
      <Group justify="space-between" wrap="nowrap">
        <div>
          <Text size="xs" c="dimmed">
            {data.name ?? data.id}
          </Text>
          <Text fw={600} data-testid="test-clock-time" data-frozen-time={data.frozen_time}>
            {formatDateTime(data.frozen_time)}
          </Text>
        </div>
        <Badge variant="light" color={statusColor(data.status)} data-testid="test-clock-status" data-status={data.status}>
          {data.status.replace('_', ' ')}
        </Badge>
      </Group>
      {canWrite(user.role) ? <ClockControls key={data.frozen_time} clock={data} /> : null}
    </Stack>
  );
}

export function TestClockPanel({ customer }: { customer: Customer }) {
  const { workspace } = useWorkspace();
  if (workspace.mode !== 'sandbox') return null;
  return (
    <Paper withBorder p="lg" data-testid="test-clock-panel">
      <Title order={4} fz="md" mb="sm" style={{ display: 'flex', alignItems: 'center', gap: 6 }}>
        <IconClock size={16} /> Test clock
      </Title>
      {customer.test_clock ? (
        <ClockDetails clockId={customer.test_clock} />
      ) : (
        <Text size="sm" c="dimmed">
          This customer runs on real time. To simulate renewals and trials, create a new customer with a test clock attached (clocks can only be
          attached when a customer is created).
        </Text>
      )}
    </Paper>
  );
}
