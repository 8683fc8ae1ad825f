import { useNavigate, useSearch } from '@tanstack/react-router';
import { IconCheck } from '../../components/icons.tsx';
import { ListTable } from '../../components/ListTable.tsx';
import { StatusTabs } from '../../components/StatusTabs.tsx';
import { Empty, PageHeader } from '../../components/states.tsx';
import { usePagedList } from '../../searchableList.ts';
import { KIND_FILTERS, kindLabel, taskColumns, type KindFilter, type Task } from './tasks.tsx';

const columns = taskColumns(false);

/** The open tasks across customers (GET /v1/tasks?status=open), newest first, by kind. */
export function TasksPage() {
  const { kind } = useSearch({ from: '/app/tasks' });
  const navigate = useNavigate();
  const filter: KindFilter = kind ?? 'all';
  // The customer is expanded so the list can show names, not ids.
  const page = usePagedList<Task>('/v1/tasks', { status: 'open', kind, 'expand[0]': 'data.customer' });
  const setFilter = (next: KindFilter) => {
    void navigate({ to: '/tasks', search: next === 'all' ? {} : { kind: next } });
  };
  return (
    <>
      <PageHeader
        title="Tasks"
        description="Open follow-ups for your team, across customers: Recur opens one when a payment's retries run out; add your own on a customer's page."
      />
      <StatusTabs value={filter} options={KIND_FILTERS} label={kindLabel} onChange={setFilter} testId="task-kind-filter" mb="md" />
      <ListTable
        query={page.result}
        rows={page.data}
        columns={columns}
        tableTestId="tasks-table"
        rowTestId="task-row"
        errorTitle="Could not load tasks"
        paging={{ ...page, nouns: ['task', 'tasks'] }}
        minWidth={900}
        empty={
          page.firstPage ? (
            <Empty
              icon={<IconCheck size={28} />}
              title={filter === 'all' ? 'No open tasks' : `No open ${kindLabel(filter).toLowerCase()} tasks`}
              description="Everything is done. Completed tasks stay on their customer's page."
            />
          ) : null
        }
      />
    </>
  );
}
