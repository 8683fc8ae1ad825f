import { Divider, Stack, Switch, Text, TextInput } from '@mantine/core';
import { fromLocalInput } from '../../format.ts';

/** The new customer's test clock, if any: on, and the time it starts frozen at. */
export interface ClockChoice {
  enabled: boolean;
  start: string;
}

/** The clock's start as unix seconds; null when the input is not a date. */
export function clockStart(choice: ClockChoice): number | null {
  return fromLocalInput(choice.start);
}

/**
 * Sandbox only: attach a new test clock to the customer being created. Stripe lets a clock
 * be attached only at creation, so this is the one place to choose it.
 */
export function NewCustomerClock({ value, onChange, error }: { value: ClockChoice; onChange(next: ClockChoice): void; error?: string | undefined }) {
  return (
    <Stack gap="xs">
      <Divider label="Test clock" labelPosition="left" />
      <Switch
        label="Attach a new test clock"
        description="Simulate time for this customer: its subscriptions renew when you advance the clock, not in real time."
        checked={value.enabled}
        onChange={(e) => onChange({ ...value, enabled: e.currentTarget.checked })}
        data-testid="customer-test-clock-toggle"
      />
      {value.enabled ? (
        <TextInput
          label="Clock starts at"
          type="datetime-local"
          step={1}
          name="test_clock_start"
          value={value.start}
          onChange={(e) => onChange({ ...value, start: e.currentTarget.value })}
          error={error}
          data-testid="customer-test-clock-start"
        />
      ) : null}
      {value.enabled ? (
        <Text size="xs" c="dimmed">
          The clock is created with the customer and shown on its page, where you can advance it.
        </Text>
      ) : null}
    </Stack>
  );
}
