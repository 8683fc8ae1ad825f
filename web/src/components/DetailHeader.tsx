import { Group, Skeleton, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import type { ApiError } from '../api.ts';
import { IconArrowLeft, IconTrash } from './icons.tsx';
import { AnchorLink } from './links.tsx';
import { Empty, ErrorState } from './states.tsx';

export type ListPath = '/customers' | '/messages' | '/products' | '/subscriptions' | '/invoices' | '/developers/webhooks';

/** "← Customers": back to the list a detail page belongs to. */
export function BackLink({ to, label }: { to: ListPath; label: string }) {
  return (
    <AnchorLink to={to} size="sm" c="dimmed" mb="sm" display="inline-flex" style={{ alignItems: 'center', gap: 6 }}>
      <IconArrowLeft size={14} /> {label}
    </AnchorLink>
  );
}

/**
 * A detail page's title block: optional avatar, the title, the object's id with badges under
 * it, and the page's actions on the right.
 */
export function DetailHeader(props: { title: ReactNode; titleTestId: string; id: string; badges?: ReactNode; avatar?: ReactNode; actions?: ReactNode }) {
  return (
    <Group justify="space-between" align="center" mb="lg" wrap="nowrap">
      <Group gap="md" wrap="nowrap" style={{ minWidth: 0 }}>
        {props.avatar}
        <div style={{ minWidth: 0 }}>
          <Title order={2} fz={24} data-testid={props.titleTestId} style={{ overflowWrap: 'anywhere' }}>
            {props.title}
          </Title>
          <Group gap="xs" mt={4}>
            <span className="recur-mono">{props.id}</span>
            {props.badges}
          </Group>
        </div>
      </Group>
      {props.actions ? (
        <Group gap="sm" wrap="nowrap">
          {props.actions}
        </Group>
      ) : null}
    </Group>
  );
}

interface DetailQuery<T> {
  isPending: boolean;
  isError: boolean;
  error: ApiError | null;
  data: T | undefined;
  refetch(): unknown;
}

/**
 * What a detail page shows before it has its object: a skeleton while loading, "not found"
 * (deleted, or in the other workspace), or the error with a retry; then `children(data)`.
 */
export function DetailGate<T>(props: { query: DetailQuery<T>; back: ReactNode; noun: string; children(data: T): ReactNode }) {
  const { query, back, noun } = props;
  if (query.isPending) {
    return (
      <Stack>
        {back}
        <Skeleton height={52} width={320} radius="md" />
        <Skeleton height={260} radius="md" />
      </Stack>
    );
  }
  if (query.isError || query.data === undefined) {
    const missing = query.error?.status === 404 || query.error?.code === 'resource_missing';
    return (
      <Stack>
        {back}
        {missing ? (
          <Empty icon={<IconTrash size={28} />} title={`${noun} not found`} description="It may have been deleted, or it belongs to the other workspace." />
        ) : (
          <ErrorState title={`Could not load this ${noun.toLowerCase()}`} error={query.error} onRetry={() => void query.refetch()} />
        )}
      </Stack>
    );
  }
  return <>{props.children(query.data)}</>;
}

/** One labelled value in a detail page's summary grid. */
export function Detail({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <div>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600} style={{ letterSpacing: 0.5 }}>
        {label}
      </Text>
      <Text size="sm" mt={2} component="div" style={{ overflowWrap: 'anywhere' }} data-testid={testId}>
        {children}
      </Text>
    </div>
  );
}
