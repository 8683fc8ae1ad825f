import { Alert, Button, EmptyState, Group, Paper, Skeleton, Stack, Table, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { IconAlert, IconRefresh } from './icons.tsx';

/** Title row of a page: title, optional description, actions on the right. */
export function PageHeader({ title, description, actions }: { title: ReactNode; description?: ReactNode; actions?: ReactNode }) {
  return (
    <Group justify="space-between" align="flex-end" mb="lg" wrap="nowrap">
      <div>
        <Title order={2} fw={650} fz={24}>
          {title}
        </Title>
        {description ? (
          <Text c="dimmed" size="sm" mt={4}>
            {description}
          </Text>
        ) : null}
      </div>
      {actions ? <Group gap="sm">{actions}</Group> : null}
    </Group>
  );
}

/** A failed load, with the API's message and a retry button. */
export function ErrorState({ error, onRetry, title = 'Something went wrong' }: { error: Error | null; onRetry?: () => void; title?: string }) {
  return (
    <Alert color="red" variant="light" radius="md" title={title} icon={<IconAlert />} role="alert">
      <Stack gap="sm" align="flex-start">
        <Text size="sm">{error?.message ?? 'The request failed.'}</Text>
        {onRetry ? (
          <Button size="xs" variant="white" color="red" leftSection={<IconRefresh size={14} />} onClick={onRetry}>
            Try again
          </Button>
        ) : null}
      </Stack>
    </Alert>
  );
}

/** Nothing to show yet: an icon, a sentence, and what to do about it. */
export function Empty({ icon, title, description, action }: { icon: ReactNode; title: string; description?: string; action?: ReactNode }) {
  return (
    <Paper withBorder radius="md" py={56} px="xl">
      <EmptyState icon={icon} title={title} description={description}>
        {action ? <EmptyState.Actions>{action}</EmptyState.Actions> : null}
      </EmptyState>
    </Paper>
  );
}

/** Placeholder rows while a table loads. */
export function SkeletonRows({ columns, rows = 6 }: { columns: number; rows?: number }) {
  return (
    <>
      {Array.from({ length: rows }, (_, row) => (
        <Table.Tr key={row} data-testid="skeleton-row">
          {Array.from({ length: columns }, (_, column) => (
            <Table.Td key={column}>
              <Skeleton height={12} radius="xl" width={column === 0 ? '70%' : '55%'} />
            </Table.Td>
          ))}
        </Table.Tr>
      ))}
    </>
  );
}
