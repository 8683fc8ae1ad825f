import { Alert, Button, Group, Modal, SegmentedControl, Stack, Text, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import type { ApiKey } from '../../api.ts';
import { CopyField } from '../../components/CopyField.tsx';
import { IconAlert } from '../../components/icons.tsx';
import { useV1Mutation } from '../../hooks.ts';

export function CreateKeyModal({ opened, onClose, onCreated }: { opened: boolean; onClose(): void; onCreated(key: ApiKey): void }) {
  const [name, setName] = useState('');
  const [type, setType] = useState<'secret' | 'publishable'>('secret');
  const create = useV1Mutation((client, body: { name?: string; type: string }) => client.post<ApiKey>('/v1/api_keys', body), {
    onSuccess: (key) => {
      close();
      onCreated(key);
    },
  });
  function close() {
    setName('');
    setType('secret');
    create.reset();
    onClose();
  }
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({ type, ...(name.trim() ? { name: name.trim() } : {}) });
  };
  return (
    <Modal opened={opened} onClose={close} title={<Text fw={600}>Create API key</Text>} centered>
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          {create.error && create.error.param !== 'name' ? (
            <Alert color="red" variant="light" icon={<IconAlert />} role="alert">
              {create.error.message}
            </Alert>
          ) : null}
          <TextInput
            label="Name"
            description="Where the key is used, e.g. “Billing server”."
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={create.error?.param === 'name' ? create.error.message : undefined}
            data-autofocus
          />
          <div>
            <Text size="sm" fw={500} mb={6}>
              Type
            </Text>
            <SegmentedControl
              fullWidth
              value={type}
              onChange={(v) => setType(v === 'publishable' ? 'publishable' : 'secret')}
              data={[
                { value: 'secret', label: 'Secret' },
                { value: 'publishable', label: 'Publishable' },
              ]}
            />
            <Text size="xs" c="dimmed" mt={6}>
              {type === 'secret'
                ? 'Full API access. Keep it on your server; never ship it to browsers or apps.'
                : 'Limited access, safe to embed in web pages and mobile apps.'}
            </Text>
          </div>
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending}>
              Create key
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** Shows a new key's secret: the only time it is ever visible. */
export function RevealKeyModal({ apiKey, onClose }: { apiKey: ApiKey | null; onClose(): void }) {
  return (
    <Modal
      opened={apiKey !== null}
      onClose={onClose}
      title={<Text fw={600}>Your new API key</Text>}
      centered
      size="lg"
      closeOnClickOutside={false}
    >
      {apiKey ? (
        <Stack gap="md">
          <Alert color="orange" variant="light" icon={<IconAlert />} title="Copy this key now">
            For your security, Recur shows the full key only once. Store it somewhere safe, such as your secrets manager. If you lose it,
            revoke it and create a new one.
          </Alert>
          <CopyField value={apiKey.secret ?? ''} label="API key" />
          <Group justify="flex-end">
            <Button onClick={onClose}>I have copied the key</Button>
          </Group>
        </Stack>
      ) : null}
    </Modal>
  );
}
