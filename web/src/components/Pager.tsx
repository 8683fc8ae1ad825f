import { Button, Group, Text } from '@mantine/core';
import { useCallback, useState } from 'react';
import { IconChevronLeft, IconChevronRight } from './icons.tsx';

/** Stripe-style cursor: after the last id seen (next page) or before the first (previous page). */
export type Cursor = { starting_after: string } | { ending_before: string } | null;

/** Cursor paging over a newest-first list: what to request, and which buttons apply. */
export function useCursorPaging() {
  const [cursor, setCursor] = useState<Cursor>(null);
  const pageInfo = (data: Array<{ id: string }>, hasMore: boolean) => {
    const backwards = cursor !== null && 'ending_before' in cursor;
    return {
      // Paging back from a later page always leaves a next page; forwards, the API says.
      hasNext: backwards ? true : hasMore,
      hasPrev: cursor === null ? false : backwards ? hasMore : true,
      next: () => {
        const last = data.at(-1);
        if (last) setCursor({ starting_after: last.id });
      },
      prev: () => {
        const first = data[0];
        if (first) setCursor({ ending_before: first.id });
      },
    };
  };
  const reset = useCallback(() => setCursor(null), []);
  return { cursor, reset, pageInfo };
}

export function Pager(props: { count: number; hasPrev: boolean; hasNext: boolean; onPrev(): void; onNext(): void; busy?: boolean; loading?: boolean; nouns?: [string, string] }) {
  return (
    <Group justify="space-between" px="md" py="sm" style={{ borderTop: '1px solid var(--mantine-color-gray-2)' }}>
      <Text size="sm" c="dimmed">
        {props.loading
          ? 'Loading…'
          : `${props.count} ${props.count === 1 ? (props.nouns?.[0] ?? 'result') : (props.nouns?.[1] ?? 'results')} on this page`}
      </Text>
      <Group gap="xs">
        <Button
          variant="default"
          size="xs"
          leftSection={<IconChevronLeft size={14} />}
          disabled={!props.hasPrev || props.busy}
          onClick={props.onPrev}
        >
          Previous
        </Button>
        <Button
          variant="default"
          size="xs"
          rightSection={<IconChevronRight size={14} />}
          disabled={!props.hasNext || props.busy}
          onClick={props.onNext}
        >
          Next
        </Button>
      </Group>
    </Group>
  );
}
