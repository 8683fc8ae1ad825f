import { Button, Text } from '@mantine/core';
import { useState } from 'react';
import type { Customer } from '../../api.ts';
import { IconPlus } from '../../components/icons.tsx';
import { ListTable } from '../../components/ListTable.tsx';
import { usePagedList } from '../../searchableList.ts';
import { canWrite, useSession } from '../../session.tsx';
import { NewTaskModal } from '../tasks/NewTaskModal.tsx';
import { taskColumns, type Task } from '../tasks/tasks.tsx';
import { NoneYet, Section } from './CustomerBilling.tsx';

const columns = taskColumns(true);

/**
 * The customer's follow-ups for the team: open ones first (e.g. a payment whose retries ran
 * out), then completed ones; each can be completed or reopened, and "Add task" opens one.
 */
export function CustomerTasks({ customer }: { customer: Customer }) {
  const { user } = useSession();
  const [adding, setAdding] = useState(false);
  const open = usePagedList<Task>('/v1/tasks', { customer: customer.id, status: 'open' });
  const completed = usePagedList<Task>('/v1/tasks', { customer: customer.id, status: 'completed' });
  const add = canWrite(user.role) ? (
    <Button size="xs" variant="light" leftSection={<IconPlus size={14} />} onClick={() => setAdding(true)} data-testid="add-task-button">
      Add task
    </Button>
  ) : null;
  const anyCompleted = completed.data.length > 0 || !completed.firstPage;
  return (
    <Section title="Tasks" action={add} testId="customer-tasks">
      <ListTable
        query={open.result}
        rows={open.data}
        columns={columns}
        tableTestId="open-tasks-table"
        rowTestId="open-task-row"
        errorTitle="Could not load tasks"
        paging={open.hasPrev || open.hasNext ? { ...open, nouns: ['task', 'tasks'] } : undefined}
        skeletonRows={1}
        minWidth={480}
        empty={open.firstPage ? <NoneYet>No open tasks.</NoneYet> : null}
      />
      {anyCompleted ? (
        <>
          <Text size="xs" fw={600} c="dimmed" tt="uppercase" mt={4} style={{ letterSpacing: 0.6 }}>
            Completed
          </Text>
          <ListTable
            query={completed.result}
            rows={completed.data}
            columns={columns}
            tableTestId="completed-tasks-table"
            rowTestId="completed-task-row"
            errorTitle="Could not load completed tasks"
            paging={completed.hasPrev || completed.hasNext ? { ...completed, nouns: ['task', 'tasks'] } : undefined}
            skeletonRows={1}
            minWidth={480}
          />
        </>
      ) : null}
      <NewTaskModal customerId={customer.id} opened={adding} onClose={() => setAdding(false)} />
    </Section>
  );
}
