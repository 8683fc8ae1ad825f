import { Alert, Button, Group, Modal, MultiSelect, SegmentedControl, Stack, Text, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import type { ApiError } from '../../api.ts';
import { EVENT_TYPES } from '../../../../src/modules/webhooks/event-types.ts';
import { CopyField } from '../../components/CopyField.tsx';
import { IconAlert } from '../../components/icons.tsx';
import { useV1Mutation } from '../../hooks.ts';
import type { WebhookEndpoint } from './webhooks.tsx';

interface EndpointValues {
  url: string;
  description: string;
  all: boolean;
  events: string[];
}

function valuesOf(endpoint: WebhookEndpoint | null): EndpointValues {
  if (!endpoint) return { url: '', description: '', all: true, events: [] };
  const all = endpoint.enabled_events.includes('*');
  return { url: endpoint.url, description: endpoint.description ?? '', all, events: all ? [] : endpoint.enabled_events };
}

/** Add an endpoint (`endpoint` null) or change one's URL, description and events. */
export function EndpointModal(props: { endpoint: WebhookEndpoint | null; opened: boolean; onClose(): void; onSaved(endpoint: WebhookEndpoint): void }) {
  const { endpoint } = props;
  const save = useV1Mutation(
    (client, body: { url: string; description: string; enabled_events: string[] }) =>
      client.post<WebhookEndpoint>(endpoint ? `/v1/webhook_endpoints/${encodeURIComponent(endpoint.id)}` : '/v1/webhook_endpoints', body),
    {
      onSuccess: (saved) => {
        close();
        props.onSaved(saved);
      },
    },
  );
  function close() {
    save.reset();
    props.onClose();
  }
  return (
    <Modal opened={props.opened} onClose={close} title={<Text fw={600}>{endpoint ? 'Edit endpoint' : 'Add endpoint'}</Text>} size="lg" centered>
      {/* Mounted only while open, so it starts from the endpoint as it is now. */}
      {props.opened ? (
        <EndpointForm
          initial={valuesOf(endpoint)}
          submitLabel={endpoint ? 'Save changes' : 'Add endpoint'}
          pending={save.isPending}
          error={save.error}
          onSubmit={(values) =>
            save.mutate({ url: values.url.trim(), description: values.description.trim(), enabled_events: values.all ? ['*'] : values.events })
          }
          onCancel={close}
        />
      ) : null}
    </Modal>
  );
}

function EndpointForm(props: {
  initial: EndpointValues;
  submitLabel: string;
  pending: boolean;
  error: ApiError | null;
  onSubmit(values: EndpointValues): void;
  onCancel(): void;
}) {
  const [values, setValues] = useState<EndpointValues>(props.initial);
  const { error } = props;
  const param = error?.param ?? '';
  const eventsError = param.startsWith('enabled_events') ? error?.message : undefined;
  const onField = param === 'url' || param === 'description' || eventsError !== undefined;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    props.onSubmit(values);
  };
  return (
    <form onSubmit={submit} noValidate data-testid="webhook-form">
      <Stack gap="md">
        {error && !onField ? (
          <Alert color="red" variant="light" icon={<IconAlert />} role="alert">
            {error.message}
          </Alert>
        ) : null}
        <TextInput
          label="Endpoint URL"
          name="url"
          placeholder="https://example.com/webhooks/recur"
          data-autofocus
          value={values.url}
          onChange={(e) => {
            const url = e.currentTarget.value;
            setValues((v) => ({ ...v, url }));
          }}
          error={param === 'url' ? error?.message : undefined}
        />
        <TextInput
          label="Description"
          name="description"
          placeholder="What this endpoint is for"
          value={values.description}
          onChange={(e) => {
            const description = e.currentTarget.value;
            setValues((v) => ({ ...v, description }));
          }}
          error={param === 'description' ? error?.message : undefined}
        />
        <div>
          <Text size="sm" fw={500} mb={6}>
            Events to send
          </Text>
          <SegmentedControl
            fullWidth
            value={values.all ? 'all' : 'selected'}
            onChange={(v) => setValues((current) => ({ ...current, all: v === 'all' }))}
            data={[
              { value: 'all', label: 'All events' },
              { value: 'selected', label: 'Selected events' },
            ]}
          />
          {values.all ? (
            <Text size="xs" c="dimmed" mt={6}>
              Every event Recur records, including types added later.
            </Text>
          ) : (
            <MultiSelect
              mt="sm"
              aria-label="Event types"
              placeholder="Choose event types"
              searchable
              data={[...EVENT_TYPES]}
              value={values.events}
              onChange={(events) => setValues((v) => ({ ...v, events }))}
              error={eventsError}
            />
          )}
        </div>
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={props.onCancel}>
            Cancel
          </Button>
          <Button type="submit" loading={props.pending}>
            {props.submitLabel}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** A new endpoint's signing secret: the only time it is ever shown. */
export function RevealSecretModal({ endpoint, onClose }: { endpoint: WebhookEndpoint | null; onClose(): void }) {
  return (
    <Modal opened={endpoint !== null} onClose={onClose} title={<Text fw={600}>Your endpoint's signing secret</Text>} centered size="lg" closeOnClickOutside={false}>
      {endpoint ? (
        <Stack gap="md">
          <Alert color="orange" variant="light" icon={<IconAlert />} title="Copy this secret now">
            Recur shows the signing secret only once. Your server uses it to check the Stripe-Signature header of each request (for example with
            stripe.webhooks.constructEvent). If you lose it, delete the endpoint and add a new one.
          </Alert>
          <CopyField value={endpoint.secret ?? ''} label="signing secret" />
          <Group justify="flex-end">
            <Button onClick={onClose}>I have copied the secret</Button>
          </Group>
        </Stack>
      ) : null}
    </Modal>
  );
}
