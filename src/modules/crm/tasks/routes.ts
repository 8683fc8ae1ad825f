import { z } from 'zod';
import { list } from '../../../lib/pagination.ts';
import { route, type RouteSpec } from '../../../server/route.ts';
import { createTaskParams, listTasksParams, retrieveTaskParams, taskSchema, updateTaskParams } from './schema.ts';
import { createTask, listTasks, retrieveTask, updateTask } from './service.ts';

const tag = 'Tasks';
const base = '/v1/tasks';

// A Recur extension (the CRM): follow-ups on customers, for the team rather than the customer.
export const taskRoutes: RouteSpec[] = [
  route({
    method: 'POST',
    path: base,
    operationId: 'PostTasks',
    summary: 'Open a task on a customer (Recur extension)',
    tag,
    access: 'write',
    auditAction: 'task.created',
    idempotencyCheck: 'at-commit',
    params: createTaskParams,
    response: taskSchema,
    handler: (ctx, params) => createTask(ctx, params),
  }),
  route({
    method: 'GET',
    path: `${base}/:id`,
    operationId: 'GetTasksTask',
    summary: 'Retrieve a task (Recur extension)',
    tag,
    access: 'read',
    params: retrieveTaskParams,
    response: taskSchema,
    handler: (ctx, _params, path) => retrieveTask(ctx, path.id as string),
  }),
  route({
    method: 'POST',
    path: `${base}/:id`,
    operationId: 'PostTasksTask',
    summary: 'Update a task: complete it (status=completed) or open it again, retitle it, change its due date (Recur extension)',
    tag,
    access: 'write',
    auditAction: 'task.updated',
    idempotencyCheck: 'at-commit',
    params: updateTaskParams,
    response: taskSchema,
    handler: (ctx, params, path) => updateTask(ctx, path.id as string, params),
  }),
  route({
    method: 'GET',
    path: base,
    operationId: 'GetTasks',
    summary: 'List tasks, newest first; by customer, status or kind (Recur extension)',
    tag,
    access: 'read',
    params: listTasksParams,
    response: z.object({ object: z.literal('list'), data: z.array(taskSchema), has_more: z.boolean(), url: z.string() }),
    handler: async (ctx, params) => {
      const { data, hasMore } = await listTasks(ctx, params);
      return list(base, data, hasMore);
    },
  }),
];
