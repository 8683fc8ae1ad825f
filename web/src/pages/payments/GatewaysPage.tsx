import { Alert, Badge, Button, Group, Paper, SimpleGrid, Skeleton, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import type { List } from '../../api.ts';
import { ConfirmModal } from '../../components/ConfirmModal.tsx';
import { CopyField } from '../../components/CopyField.tsx';
import { Detail } from '../../components/DetailHeader.tsx';
import { IconAlert, IconKey, IconLink, IconPlus, IconTrash } from '../../components/icons.tsx';
import { RequireTeamRole } from '../../components/RequireTeamRole.tsx';
import { Empty, ErrorState, PageHeader } from '../../components/states.tsx';
import { formatDate } from '../../format.ts';
import { useV1Mutation, useV1Query } from '../../hooks.ts';
import { useWorkspace } from '../../session.tsx';
import { ConnectedModal, ConnectGatewayModal, ReplaceCredentialsModal } from './GatewayModals.tsx';
import { gatewayLabel, webhookUrl, type GatewayAccount } from './gateways.ts';

/** The API's largest page: a workspace has a handful of accounts, so one page shows them all. */
const LIMIT = 100;

function AccountCard({ account, onReplace, onDelete }: { account: GatewayAccount; onReplace(): void; onDelete(): void }) {
  const makeDefault = useV1Mutation((client) => client.post<GatewayAccount>(`/v1/gateway_accounts/${encodeURIComponent(account.id)}`, { default: true }));
  return (
    <Paper withBorder p="md" data-testid="gateway-account" data-id={account.id} data-default={String(account.default)}>
      <Group justify="space-between" align="flex-start" mb="md" wrap="nowrap">
        <div style={{ minWidth: 0 }}>
          <Group gap="xs">
            <Title order={3} fz={17} data-testid="gateway-account-name">
              {account.display_name}
            </Title>
            <Badge size="sm" variant="light" color="gray" tt="none">
              {gatewayLabel(account.gateway)}
            </Badge>
            {account.default ? (
              <Badge size="sm" variant="light" color="teal" data-testid="gateway-default">
                Default
              </Badge>
            ) : null}
          </Group>
          <span className="recur-mono">{account.id}</span>
        </div>
        <Group gap="xs" wrap="nowrap">
          {account.default ? null : (
            <Button size="xs" variant="default" loading={makeDefault.isPending} onClick={() => makeDefault.mutate(undefined)} data-testid="gateway-make-default">
              Make default
            </Button>
          )}
          <Button size="xs" variant="default" leftSection={<IconKey size={14} />} onClick={onReplace}>
            Replace credentials
          </Button>
          <Button size="xs" variant="light" color="red" leftSection={<IconTrash size={14} />} onClick={onDelete}>
            Delete
          </Button>
        </Group>
      </Group>
      {makeDefault.error ? (
        <Text size="sm" c="red" mb="sm" role="alert">
          {makeDefault.error.message}
        </Text>
      ) : null}
      <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md" verticalSpacing="md" mb="md">
        <Detail label="Environment">{account.environment === 'production' ? 'Production' : 'Sandbox'}</Detail>
        <Detail label="Credentials" testId="gateway-credentials-set">
          {/* Names only: the values are sealed and the API never returns them. */}
          <Group gap={6}>
            {account.credentials_set.map((name) => (
              <Badge key={name} size="sm" variant="outline" color="gray" tt="none">
                {name}
              </Badge>
            ))}
          </Group>
        </Detail>
        <Detail label="Connected">{formatDate(account.created)}</Detail>
      </SimpleGrid>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600} mb={4} style={{ letterSpacing: 0.5 }}>
        Webhook URL
      </Text>
      <div data-testid="gateway-webhook-url">
        <CopyField value={webhookUrl(account)} label="webhook URL" />
      </div>
    </Paper>
  );
}

function GatewaysContent() {
  const { workspace } = useWorkspace();
  const accounts = useV1Query<List<GatewayAccount>>('/v1/gateway_accounts', { limit: LIMIT });
  const [connecting, setConnecting] = useState(false);
  const [connected, setConnected] = useState<GatewayAccount | null>(null);
  const [replacing, setReplacing] = useState<GatewayAccount | null>(null);
  const [deleting, setDeleting] = useState<GatewayAccount | null>(null);
  const remove = useV1Mutation((client, account: GatewayAccount) => client.del(`/v1/gateway_accounts/${encodeURIComponent(account.id)}`), {
    onSuccess: () => setDeleting(null),
  });
  const rows = accounts.data?.data ?? [];
  const connectButton = (
    <Button leftSection={<IconPlus size={16} />} onClick={() => setConnecting(true)}>
      Connect gateway
    </Button>
  );
  const live = workspace.mode === 'live';
  let body;
  if (accounts.isPending) body = <Skeleton height={180} radius="md" />;
  else if (accounts.isError) body = <ErrorState title="Could not load gateway accounts" error={accounts.error} onRetry={() => void accounts.refetch()} />;
  else if (rows.length === 0) {
    body = (
      <Empty
        icon={<IconLink size={28} />}
        title="No payment gateway connected"
        description={
          live
            ? 'A live workspace charges cards through a gateway account: connect one before taking payments.'
            : 'Until you connect one, sandbox cards are charged by Recur’s built-in test gateway.'
        }
        action={connectButton}
      />
    );
  } else {
    body = (
      <Stack gap="md">
        {rows.some((a) => a.default) ? null : (
          <Alert color="orange" variant="light" icon={<IconAlert />} data-testid="gateway-no-default">
            No account is the default: make one the default so new cards have somewhere to be saved.
          </Alert>
        )}
        {rows.map((account) => (
          <AccountCard key={account.id} account={account} onReplace={() => setReplacing(account)} onDelete={() => setDeleting(account)} />
        ))}
        {accounts.data?.has_more ? (
          <Text size="sm" c="dimmed">
            The first {LIMIT} accounts are shown.
          </Text>
        ) : null}
      </Stack>
    );
  }
  return (
    <>
      <PageHeader
        title="Payment gateways"
        description={`Where the ${workspace.mode} workspace charges cards (its gateways' ${live ? 'production' : 'sandbox'} environments). New cards are saved at the default account; saved cards keep charging through the account they were saved at.`}
        actions={rows.length > 0 ? connectButton : undefined}
      />
      {body}
      <ConnectGatewayModal opened={connecting} hasAccounts={rows.length > 0} onClose={() => setConnecting(false)} onConnected={setConnected} />
      <ConnectedModal account={connected} onClose={() => setConnected(null)} />
      <ReplaceCredentialsModal account={replacing} onClose={() => setReplacing(null)} />
      <ConfirmModal
        opened={deleting !== null}
        title="Delete gateway account"
        confirmLabel="Delete account"
        loading={remove.isPending}
        error={remove.error}
        onConfirm={() => deleting && remove.mutate(deleting)}
        onClose={() => {
          remove.reset();
          setDeleting(null);
        }}
      >
        Disconnect <strong>{deleting?.display_name}</strong>? No new cards are saved there. Cards already saved through it still charge and refund
        there until the customers replace them.
      </ConfirmModal>
    </>
  );
}

export function GatewaysPage() {
  return (
    <RequireTeamRole>
      <GatewaysContent />
    </RequireTeamRole>
  );
}
