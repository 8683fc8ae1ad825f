import { unixSeconds, unixSecondsOrNull } from '../../../lib/time.ts';
import { livemode, type WorkspaceRef } from '../../../server/context.ts';
import type { TaskRow, TasksTable } from './models.ts';
import type { TaskObject } from './schema.ts';

// Apart from service.ts so that the billing run (dunning.ts) can make tasks without
// importing the customer service, which imports billing in turn.

export function taskObject(row: TaskRow, workspace: WorkspaceRef): TaskObject {
  return {
    id: row.id,
    object: 'task',
    completed_at: unixSecondsOrNull(row.completed_at),
    created: unixSeconds(row.created_at),
    customer: row.customer_id,
    description: row.description,
    due_at: unixSecondsOrNull(row.due_at),
    kind: row.kind,
    livemode: livemode(workspace),
    metadata: row.metadata,
    related: { invoice: row.related_invoice_id, subscription: row.related_subscription_id },
    status: row.status,
    title: row.title,
  };
}

/** A row as Kysely inserts it (metadata as JSON text). */
export function taskInsertable(row: TaskRow): Omit<TasksTable, 'metadata'> & { metadata: string } {
  return { ...row, metadata: JSON.stringify(row.metadata) };
}
