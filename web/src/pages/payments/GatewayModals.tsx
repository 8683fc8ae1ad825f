import { Alert, Button, Checkbox, Group, Modal, PasswordInput, SegmentedControl, Stack, Text, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import type { ApiError } from '../../api.ts';
import { CopyField } from '../../components/CopyField.tsx';
import { IconAlert } from '../../components/icons.tsx';
import { useV1Mutation } from '../../hooks.ts';
import { credentialFields, GATEWAY_KINDS, GATEWAYS, webhookUrl, type GatewayAccount, type GatewayKind } from './gateways.ts';

type Credentials = Record<string, string>;

/** What is sent: trimmed (a pasted key often carries a space), empty optional fields left out. */
function credentialsBody(values: Credentials): Credentials {
  return Object.fromEntries(
    Object.entries(values)
      .map(([name, value]) => [name, value.trim()] as const)
      .filter(([, value]) => value !== ''),
  );
}

/** The API names a bad credential `credentials[name]`: its message goes under that field. */
function fieldError(error: ApiError | null, name: string): string | undefined {
  return error?.param === `credentials[${name}]` ? error.message : undefined;
}

/** One input per credential the gateway needs; secrets as password fields, never autofilled. */
function CredentialInputs({ kind, values, error, onChange }: { kind: GatewayKind; values: Credentials; error: ApiError | null; onChange(name: string, value: string): void }) {
  return (
    <>
      {credentialFields(kind).map(([name, field]) => {
        const props = {
          label: field.label,
          name: `credentials[${name}]`,
          placeholder: field.placeholder,
          description: field.description,
          required: !field.optional,
          value: values[name] ?? '',
          error: fieldError(error, name),
          autoComplete: 'off',
          onChange: (event: { currentTarget: HTMLInputElement }) => onChange(name, event.currentTarget.value),
        };
        const key = `${kind}:${name}`;
        return field.secret ? <PasswordInput key={key} {...props} autoComplete="new-password" /> : <TextInput key={key} {...props} />;
      })}
    </>
  );
}

/** The form's error when it belongs to no field it shows. */
function FormError({ error, fieldParams }: { error: ApiError | null; fieldParams: string[] }) {
  if (!error || (error.param !== null && fieldParams.includes(error.param))) return null;
  return (
    <Alert color="red" variant="light" icon={<IconAlert />} role="alert">
      {error.message}
    </Alert>
  );
}

const paramsOf = (kind: GatewayKind) => credentialFields(kind).map(([name]) => `credentials[${name}]`);

interface ConnectBody {
  gateway: GatewayKind;
  credentials: Credentials;
  display_name?: string;
  default?: true;
}

/** Connect an account: choose the gateway, give its credentials; `hasAccounts` offers making it the default. */
export function ConnectGatewayModal(props: { opened: boolean; hasAccounts: boolean; onClose(): void; onConnected(account: GatewayAccount): void }) {
  const connect = useV1Mutation((client, body: ConnectBody) => client.post<GatewayAccount>('/v1/gateway_accounts', body), {
    onSuccess: (account) => {
      close();
      props.onConnected(account);
    },
  });
  function close() {
    connect.reset();
    props.onClose();
  }
  return (
    <Modal opened={props.opened} onClose={close} title={<Text fw={600}>Connect a payment gateway</Text>} size="lg" centered>
      {/* Mounted only while open, so each time starts empty: no credential stays in memory. */}
      {props.opened ? <ConnectForm hasAccounts={props.hasAccounts} pending={connect.isPending} error={connect.error} onSubmit={(body) => connect.mutate(body)} onCancel={close} /> : null}
    </Modal>
  );
}

function ConnectForm(props: { hasAccounts: boolean; pending: boolean; error: ApiError | null; onSubmit(body: ConnectBody): void; onCancel(): void }) {
  const [kind, setKind] = useState<GatewayKind>('stripe');
  const [credentials, setCredentials] = useState<Credentials>({});
  const [displayName, setDisplayName] = useState('');
  const [makeDefault, setMakeDefault] = useState(false);
  const { error } = props;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    props.onSubmit({
      gateway: kind,
      credentials: credentialsBody(credentials),
      ...(displayName.trim() ? { display_name: displayName.trim() } : {}),
      // Left out, the API makes the workspace's first account its default.
      ...(makeDefault ? { default: true } : {}),
    });
  };
  return (
    <form onSubmit={submit} noValidate data-testid="gateway-form">
      <Stack gap="md">
        <FormError error={error} fieldParams={['gateway', 'display_name', ...paramsOf(kind)]} />
        <div>
          <Text size="sm" fw={500} mb={6}>
            Gateway
          </Text>
          <SegmentedControl
            fullWidth
            data-testid="gateway-kind"
            value={kind}
            onChange={(value) => {
              const next = GATEWAY_KINDS.find((k) => k === value);
              if (!next) return;
              setKind(next);
              // Another gateway's credentials mean nothing to this one.
              setCredentials({});
            }}
            data={GATEWAY_KINDS.map((k) => ({ value: k, label: GATEWAYS[k].label }))}
          />
          <Text size="xs" c={error?.param === 'gateway' ? 'red' : 'dimmed'} mt={6}>
            {error?.param === 'gateway' ? error.message : GATEWAYS[kind].where}
          </Text>
        </div>
        <CredentialInputs kind={kind} values={credentials} error={error} onChange={(name, value) => setCredentials((c) => ({ ...c, [name]: value }))} />
        <TextInput
          label="Name"
          name="display_name"
          placeholder={GATEWAYS[kind].label}
          description="How this account is shown in Recur (optional)."
          value={displayName}
          onChange={(e) => setDisplayName(e.currentTarget.value)}
          error={error?.param === 'display_name' ? error.message : undefined}
        />
        {props.hasAccounts ? (
          <Checkbox label="Make it the default: new cards are saved at this account" checked={makeDefault} onChange={(e) => setMakeDefault(e.currentTarget.checked)} />
        ) : null}
        <Text size="xs" c="dimmed">
          Credentials are sealed when saved and never shown again, not even to you.
        </Text>
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={props.onCancel}>
            Cancel
          </Button>
          <Button type="submit" loading={props.pending}>
            Connect {GATEWAYS[kind].label}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Replace an account's credentials: all of them, as the stored ones are never shown. */
export function ReplaceCredentialsModal({ account, onClose }: { account: GatewayAccount | null; onClose(): void }) {
  const replace = useV1Mutation(
    (client, vars: { id: string; credentials: Credentials }) => client.post<GatewayAccount>(`/v1/gateway_accounts/${encodeURIComponent(vars.id)}`, { credentials: vars.credentials }),
    { onSuccess: () => close() },
  );
  function close() {
    replace.reset();
    onClose();
  }
  return (
    <Modal opened={account !== null} onClose={close} title={<Text fw={600}>Replace credentials</Text>} size="lg" centered>
      {account ? (
        <ReplaceForm account={account} pending={replace.isPending} error={replace.error} onSubmit={(credentials) => replace.mutate({ id: account.id, credentials })} onCancel={close} />
      ) : null}
    </Modal>
  );
}

function ReplaceForm(props: { account: GatewayAccount; pending: boolean; error: ApiError | null; onSubmit(credentials: Credentials): void; onCancel(): void }) {
  const { account, error } = props;
  const [credentials, setCredentials] = useState<Credentials>({});
  const submit = (event: FormEvent) => {
    event.preventDefault();
    props.onSubmit(credentialsBody(credentials));
  };
  return (
    <form onSubmit={submit} noValidate data-testid="gateway-credentials-form">
      <Stack gap="md">
        <Text size="sm">
          New credentials for <strong>{account.display_name}</strong> replace all the stored ones at once. Give every field again: Recur never shows the
          stored values.
        </Text>
        <FormError error={error} fieldParams={paramsOf(account.gateway)} />
        <CredentialInputs kind={account.gateway} values={credentials} error={error} onChange={(name, value) => setCredentials((c) => ({ ...c, [name]: value }))} />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={props.onCancel}>
            Cancel
          </Button>
          <Button type="submit" loading={props.pending}>
            Replace credentials
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** After connecting: the webhook URL to give the gateway, which exists only now (it names the account). */
export function ConnectedModal({ account, onClose }: { account: GatewayAccount | null; onClose(): void }) {
  return (
    <Modal opened={account !== null} onClose={onClose} title={<Text fw={600}>Connected: now point its webhooks at Recur</Text>} size="lg" centered>
      {account ? (
        <Stack gap="md">
          <Text size="sm">
            In {GATEWAYS[account.gateway].label}, send webhooks to this URL, so Recur hears of payments and refunds that the gateway settles later. If the
            webhook's secret or id you gave changes when you do, replace this account's credentials afterwards.
          </Text>
          <CopyField value={webhookUrl(account)} label="webhook URL" />
          <Group justify="flex-end">
            <Button onClick={onClose}>Done</Button>
          </Group>
        </Stack>
      ) : null}
    </Modal>
  );
}
