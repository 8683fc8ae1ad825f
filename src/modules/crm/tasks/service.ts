import { resourceMissing } from '../../../lib/errors.ts';
import { hasPrefix, newId } from '../../../lib/ids.ts';
import { paginate } from '../../../lib/pagination.ts';
import { applyMetadata, givenParams } from '../../../lib/params.ts';
import { fromUnixSeconds } from '../../../lib/time.ts';
import type { RequestContext } from '../../../server/context.ts';
import { referencedCustomer } from '../../customers/service.ts';
import { recordEvent, recordUpdate } from '../../events/service.ts';
import type { TaskRow } from './models.ts';
import { taskInsertable, taskObject } from './objects.ts';
import type { CreateTaskParams, ListTasksParams, TaskObject, UpdateTaskParams } from './schema.ts';

function dueDate(seconds: number | null | undefined): Date | null {
  return seconds === undefined || seconds === null ? null : fromUnixSeconds(seconds);
}

async function findRow(ctx: RequestContext, id: string, options: { lock?: boolean } = {}): Promise<TaskRow> {
  let row: TaskRow | undefined;
  if (hasPrefix(id, 'task')) {
    let query = ctx.db.selectFrom('tasks').selectAll().where('workspace_id', '=', ctx.workspace.id).where('id', '=', id);
    if (options.lock) query = query.forUpdate();
    row = await query.executeTakeFirst();
  }
  if (!row) throw resourceMissing('task', id);
  return row;
}

export async function createTask(ctx: RequestContext, params: CreateTaskParams): Promise<TaskObject> {
  const customer = await referencedCustomer(ctx, params.customer);
  const now = new Date();
  const row: TaskRow = {
    workspace_id: ctx.workspace.id,
    id: newId('task', now.getTime()),
    customer_id: customer.id,
    kind: 'manual',
    title: params.title,
    description: params.description ?? null,
    status: 'open',
    due_at: dueDate(params.due_at),
    related_invoice_id: null,
    related_subscription_id: null,
    completed_at: null,
    metadata: applyMetadata({}, params.metadata),
    created_at: now,
    updated_at: now,
  };
  // Nothing reads the row back: it goes with the request's other rows at commit.
  ctx.pending.inserts.push(ctx.db.insertInto('tasks').values(taskInsertable(row)));
  const task = taskObject(row, ctx.workspace);
  recordEvent(ctx, 'task.created', task);
  return task;
}

export async function retrieveTask(ctx: RequestContext, id: string): Promise<TaskObject> {
  return taskObject(await findRow(ctx, id), ctx.workspace);
}

export async function updateTask(ctx: RequestContext, id: string, params: UpdateTaskParams): Promise<TaskObject> {
  const current = await findRow(ctx, id, { lock: true });
  const now = new Date();
  // completed_at is when it was first marked done: completing a completed task keeps it.
  const statusChange =
    params.status === undefined || params.status === current.status
      ? {}
      : { status: params.status, completed_at: params.status === 'completed' ? now : null };
  const row = await ctx.db
    .updateTable('tasks')
    .set({
      ...givenParams(params, ['title', 'description']),
      ...(params.due_at !== undefined ? { due_at: dueDate(params.due_at) } : {}),
      ...statusChange,
      ...(params.metadata !== undefined ? { metadata: JSON.stringify(applyMetadata(current.metadata, params.metadata)) } : {}),
      updated_at: now,
    })
    .where('workspace_id', '=', ctx.workspace.id)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  const after = taskObject(row, ctx.workspace);
  recordUpdate(ctx, 'task.updated', taskObject(current, ctx.workspace), after);
  return after;
}

export async function listTasks(ctx: RequestContext, params: ListTasksParams): Promise<{ data: TaskObject[]; hasMore: boolean }> {
  let query = ctx.db.selectFrom('tasks').selectAll().where('workspace_id', '=', ctx.workspace.id);
  if (params.customer !== undefined) query = query.where('customer_id', '=', params.customer);
  if (params.status !== undefined) query = query.where('status', '=', params.status);
  if (params.kind !== undefined) query = query.where('kind', '=', params.kind);
  const { rows, hasMore } = await paginate(query, params, 'id');
  return { data: rows.map((row) => taskObject(row, ctx.workspace)), hasMore };
}
