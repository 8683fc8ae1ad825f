import { Badge, Button, Group, Stack, Text } from '@mantine/core';
import type { Customer } from '../../api.ts';
import { TASK_KINDS, type TaskKind, type TaskStatus } from '../../../../src/modules/crm/tasks/models.ts';
import { IconCheck, IconRefresh } from '../../components/icons.tsx';
import { AnchorLink } from '../../components/links.tsx';
import type { Column } from '../../components/ListTable.tsx';
import { formatDate, formatDateTime } from '../../format.ts';
import { useV1Mutation } from '../../hooks.ts';
import { canWrite, useSession } from '../../session.tsx';
import { CustomerLink } from '../subscriptions/summary.tsx';

/** A follow-up on a customer, as GET /v1/tasks returns it (Recur's own object). */
export interface Task {
  id: string;
  object: 'task';
  completed_at: number | null;
  created: number;
  /** An id, or the customer with expand[]=customer. */
  customer: string | Customer;
  description: string | null;
  due_at: number | null;
  kind: TaskKind;
  livemode: boolean;
  metadata: Record<string, string>;
  related: { invoice: string | null; subscription: string | null };
  status: TaskStatus;
  title: string;
}

export const KIND_FILTERS = ['all', ...TASK_KINDS] as const;
export type KindFilter = (typeof KIND_FILTERS)[number];

export function parseKindFilter(value: unknown): TaskKind | undefined {
  return TASK_KINDS.find((kind) => kind === value);
}

const KIND_LABELS: Record<KindFilter, string> = { all: 'All', dunning_exhausted: 'Failed payment', manual: 'Manual' };
const KIND_COLORS: Record<TaskKind, string> = { dunning_exhausted: 'red', manual: 'gray' };

export function kindLabel(filter: KindFilter): string {
  return KIND_LABELS[filter];
}

export function TaskKindBadge({ kind }: { kind: TaskKind }) {
  return (
    <Badge size="sm" variant="light" color={KIND_COLORS[kind]} data-testid="task-kind" data-kind={kind}>
      {KIND_LABELS[kind]}
    </Badge>
  );
}

/** The title, what it says, and the invoice it is about. */
function TaskSummary({ task }: { task: Task }) {
  const done = task.status === 'completed';
  return (
    <Stack gap={2}>
      <Text size="sm" fw={500} td={done ? 'line-through' : undefined} c={done ? 'dimmed' : undefined} data-testid="task-title">
        {task.title}
      </Text>
      {task.description ? (
        <Text size="xs" c="dimmed" lineClamp={2} title={task.description}>
          {task.description}
        </Text>
      ) : null}
      {task.related.invoice ? (
        <AnchorLink to="/invoices/$invoiceId" params={{ invoiceId: task.related.invoice }} size="xs">
          View invoice
        </AnchorLink>
      ) : null}
    </Stack>
  );
}

/** The due date; red once an open task is past it. */
function TaskDue({ task }: { task: Task }) {
  if (task.status === 'completed' && task.completed_at !== null) {
    return (
      <Text size="sm" c="dimmed" title={formatDateTime(task.completed_at)}>
        Done {formatDate(task.completed_at)}
      </Text>
    );
  }
  if (task.due_at === null) return <Text size="sm" c="dimmed">—</Text>;
  const overdue = task.due_at < Date.now() / 1000;
  return (
    <Text size="sm" c={overdue ? 'red' : undefined} data-testid="task-due" data-overdue={overdue}>
      {formatDate(task.due_at)}
    </Text>
  );
}

/** Complete an open task, or open a completed one again. */
function TaskAction({ task }: { task: Task }) {
  const { user } = useSession();
  const change = useV1Mutation((client, status: TaskStatus) => client.post<Task>(`/v1/tasks/${encodeURIComponent(task.id)}`, { status }));
  if (!canWrite(user.role)) return null;
  const open = task.status === 'open';
  return (
    <Group gap={4} justify="flex-end" wrap="nowrap">
      {change.error ? (
        <Text size="xs" c="red" role="alert">
          {change.error.message}
        </Text>
      ) : null}
      <Button
        size="xs"
        variant={open ? 'light' : 'subtle'}
        color={open ? 'teal' : 'gray'}
        leftSection={open ? <IconCheck size={14} /> : <IconRefresh size={14} />}
        loading={change.isPending}
        onClick={() => change.mutate(open ? 'completed' : 'open')}
        data-testid={open ? 'task-complete' : 'task-reopen'}
      >
        {open ? 'Complete' : 'Reopen'}
      </Button>
    </Group>
  );
}

/** A customer's page (compact: no customer column) or the Tasks page. */
export function taskColumns(compact: boolean): Array<Column<Task>> {
  const task: Column<Task> = { header: 'Task', render: (t) => <TaskSummary task={t} /> };
  const customer: Column<Task> = { header: 'Customer', width: 200, render: (t) => <CustomerLink customer={t.customer} /> };
  const kind: Column<Task> = { header: 'Kind', width: 160, render: (t) => <TaskKindBadge kind={t.kind} /> };
  const due: Column<Task> = { header: 'Due', width: 120, render: (t) => <TaskDue task={t} /> };
  const created: Column<Task> = {
    header: 'Opened',
    width: 130,
    render: (t) => (
      <Text size="sm" c="dimmed" title={formatDateTime(t.created)}>
        {formatDate(t.created)}
      </Text>
    ),
  };
  const action: Column<Task> = { header: '', width: 120, render: (t) => <TaskAction task={t} /> };
  return compact ? [task, due, action] : [task, customer, kind, due, created, action];
}
