import { Alert, Badge, Button, Group, Paper, Radio, Skeleton, Stack, Text, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { IconAlert } from '../../components/icons.tsx';
import { useNotify } from '../../components/notifications.tsx';
import { RequireTeamRole } from '../../components/RequireTeamRole.tsx';
import { ErrorState, PageHeader } from '../../components/states.tsx';
import { useV1Mutation, useV1Query } from '../../hooks.ts';
import { useWorkspace } from '../../session.tsx';
import {
  DEFAULT_DUNNING_POLICY,
  describeFinalAction,
  describeSchedule,
  FINAL_ACTIONS,
  MAX_RETRIES,
  MAX_RETRY_DAYS,
  parseRetryDays,
  type DunningSettings,
  type FinalAction,
} from './dunning.ts';

const PATH = '/v1/dunning_settings';

/** The schedule as a row of days: the failure, then each retry. */
function ScheduleDays({ days }: { days: readonly number[] }) {
  return (
    <Group gap={6} data-testid="dunning-days">
      <Badge size="sm" variant="light" color="red" tt="none">
        Day 0: first failure
      </Badge>
      {days.map((day, i) => (
        <Badge key={day} size="sm" variant="light" color="indigo" tt="none">
          Day {day}: retry {i + 1}
        </Badge>
      ))}
    </Group>
  );
}

function DunningForm({ settings }: { settings: DunningSettings }) {
  const notify = useNotify();
  const [daysText, setDaysText] = useState(settings.retry_days.join(', '));
  const [finalAction, setFinalAction] = useState<FinalAction>(settings.final_action);
  const save = useV1Mutation((client, body: { retry_days: number[]; final_action: FinalAction }) => client.post<DunningSettings>(PATH, body), {
    onSuccess: () => notify({ title: 'Dunning settings saved' }),
  });
  const parsed = parseRetryDays(daysText);
  const days = 'days' in parsed ? parsed.days : null;
  const changed = days === null || days.join(',') !== settings.retry_days.join(',') || finalAction !== settings.final_action;
  const apiError = save.error;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (days) save.mutate({ retry_days: days, final_action: finalAction });
  };
  return (
    <form onSubmit={submit} noValidate data-testid="dunning-form">
      <Stack gap="lg">
        {apiError && apiError.param !== 'retry_days' ? (
          <Alert color="red" variant="light" icon={<IconAlert />} role="alert">
            {apiError.message}
          </Alert>
        ) : null}
        <Stack gap="xs">
          <TextInput
            label="Retry days"
            name="retry_days"
            description={`Days after the first failed payment, increasing, from 1 to ${MAX_RETRY_DAYS}; at most ${MAX_RETRIES}. Empty: no retries.`}
            value={daysText}
            onChange={(e) => setDaysText(e.currentTarget.value)}
            error={'problem' in parsed ? parsed.problem : apiError?.param === 'retry_days' ? apiError.message : undefined}
          />
          <Group gap="xs">
            <Button size="compact-xs" variant="subtle" onClick={() => setDaysText(DEFAULT_DUNNING_POLICY.retryDays.join(', '))}>
              Use the recommended schedule (8 retries within 2 weeks)
            </Button>
          </Group>
          {days ? (
            <>
              <Text size="sm" fw={500} data-testid="dunning-schedule">
                {describeSchedule(days)}
              </Text>
              <ScheduleDays days={days} />
            </>
          ) : null}
        </Stack>
        <Radio.Group
          label="When the retries run out"
          value={finalAction}
          onChange={(value) => {
            const chosen = FINAL_ACTIONS.find((a) => a.value === value);
            if (chosen) setFinalAction(chosen.value);
          }}
          data-testid="dunning-final-action"
        >
          <Stack gap="xs" mt="xs">
            {FINAL_ACTIONS.map((action) => (
              <Radio key={action.value} value={action.value} label={action.label} description={action.description} />
            ))}
          </Stack>
        </Radio.Group>
        {days ? (
          <Text size="sm" data-testid="dunning-final-summary">
            {describeFinalAction(finalAction, days.length)}
          </Text>
        ) : null}
        <Text size="xs" c="dimmed">
          Each retry is counted from the first failure, so a late attempt does not push the rest back. A hard decline (a lost, stolen or closed card)
          or a customer without a payment method is not retried: the invoice waits for a new card, which is charged as soon as it is set. A
          subscription’s first payment is not retried either: the subscription stays incomplete and expires after 23 hours.
        </Text>
        <Group justify="flex-end">
          <Button type="submit" loading={save.isPending} disabled={!days || !changed}>
            Save
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function DunningContent() {
  const { workspace } = useWorkspace();
  const settings = useV1Query<DunningSettings>(PATH);
  return (
    <>
      <PageHeader
        title="Dunning"
        description={`How the ${workspace.mode} workspace retries an invoice whose payment failed, and what happens to the subscription when it gives up.`}
      />
      {settings.isPending ? (
        <Skeleton height={320} radius="md" />
      ) : settings.isError ? (
        <ErrorState title="Could not load the dunning settings" error={settings.error} onRetry={() => void settings.refetch()} />
      ) : (
        <Paper withBorder p="lg" maw={760}>
          {/* Keyed by what is saved: after a save (or a change elsewhere) the form starts from it. */}
          <DunningForm key={`${settings.data.retry_days.join(',')}:${settings.data.final_action}`} settings={settings.data} />
        </Paper>
      )}
    </>
  );
}

export function DunningPage() {
  return (
    <RequireTeamRole>
      <DunningContent />
    </RequireTeamRole>
  );
}
