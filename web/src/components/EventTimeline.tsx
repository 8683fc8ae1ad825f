import { Button, Center, Loader, Paper, Skeleton, Stack, Text, ThemeIcon, Timeline, Title, Tooltip } from '@mantine/core';
import type { RecurEvent } from '../api.ts';
import { formatDateTime, formatRelative, humanizeAction } from '../format.ts';
import { useV1InfiniteList } from '../hooks.ts';
import { IconEdit, IconPlus, IconTrash } from './icons.tsx';
import { ErrorState } from './states.tsx';

/** An object's history (customer, subscription, …): the events about it (object_id), newest first, a page at a time. */
const EVENT_PAGE = 100;

function describe(event: RecurEvent): string {
  const changed = Object.keys(event.data.previous_attributes ?? {});
  // An update says what changed ("Changed email, phone"), which its type alone does not.
  if (event.type.endsWith('.updated') && changed.length > 0) {
    return `Changed ${changed.map((f) => f.replace(/_/g, ' ')).join(', ')}`;
  }
  return humanizeAction(event.type);
}

function bullet(type: string) {
  if (type.endsWith('.created')) return { icon: <IconPlus size={12} />, color: 'teal' };
  if (type.endsWith('.deleted')) return { icon: <IconTrash size={12} />, color: 'red' };
  return { icon: <IconEdit size={12} />, color: 'indigo' };
}

export function EventTimeline({ objectId, noun, testId }: { objectId: string; noun: string; testId: string }) {
  const events = useV1InfiniteList<RecurEvent>('/v1/events', { object_id: objectId, limit: EVENT_PAGE });
  const mine = events.data?.pages.flatMap((page) => page.data) ?? [];
  const refreshing = events.isFetching && !events.isPending && !events.isFetchingNextPage;
  return (
    <Paper withBorder p="lg" data-testid={testId}>
      <Title order={4} fz="md" mb="md">
        Activity {refreshing ? <Loader size={12} ml={6} /> : null}
      </Title>
      {events.isPending ? (
        <Stack gap="sm">
          <Skeleton height={14} width="70%" />
          <Skeleton height={14} width="50%" />
          <Skeleton height={14} width="60%" />
        </Stack>
      ) : events.isError && !events.data ? (
        <ErrorState title="Could not load activity" error={events.error} onRetry={() => void events.refetch()} />
      ) : mine.length === 0 ? (
        <Text size="sm" c="dimmed">
          No activity recorded for this {noun}.
        </Text>
      ) : (
        <>
          <Timeline bulletSize={22} lineWidth={2}>
            {mine.map((event) => {
              const { icon, color } = bullet(event.type);
              return (
                <Timeline.Item
                  key={event.id}
                  data-testid="timeline-item"
                  bullet={
                    <ThemeIcon size={22} radius="xl" color={color} variant="light">
                      {icon}
                    </ThemeIcon>
                  }
                  title={
                    <Text size="sm" fw={500}>
                      {describe(event)}
                    </Text>
                  }
                >
                  <Tooltip label={formatDateTime(event.created)} withArrow position="left">
                    <Text size="xs" c="dimmed" span>
                      {formatRelative(event.created)} · <span className="recur-mono">{event.type}</span>
                    </Text>
                  </Tooltip>
                </Timeline.Item>
              );
            })}
          </Timeline>
          {events.isFetchNextPageError ? (
            <Text size="xs" c="red" mt="md" role="alert">
              Could not load older activity: {events.error?.message}
            </Text>
          ) : null}
          {events.hasNextPage ? (
            <Center mt="md">
              <Button variant="default" size="xs" loading={events.isFetchingNextPage} onClick={() => void events.fetchNextPage()}>
                Load older activity
              </Button>
            </Center>
          ) : null}
        </>
      )}
    </Paper>
  );
}
