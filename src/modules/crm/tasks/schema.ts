import { z } from 'zod';
import { clearableStr, expandParam, int, listParams, MAX_TIMESTAMP, metadataParam, oneOf, str } from '../../../lib/params.ts';
import { TASK_KINDS, TASK_STATUSES } from './models.ts';

const title = str(500).refine((value) => value.trim() !== '', { error: 'must not be empty' });
/** Unix seconds; '' clears it. Past dates are allowed: an overdue follow-up is still one. */
const dueAt = z.preprocess((v) => (v === '' ? null : v), int({ min: 0, max: MAX_TIMESTAMP }).nullable());

export const createTaskParams = z.strictObject({
  customer: str(255),
  title,
  description: clearableStr(5000).optional(),
  due_at: dueAt.optional(),
  metadata: metadataParam.optional(),
  expand: expandParam,
});
export type CreateTaskParams = z.output<typeof createTaskParams>;

export const updateTaskParams = z.strictObject({
  title: title.optional(),
  description: clearableStr(5000).optional(),
  due_at: dueAt.optional(),
  /** completed sets completed_at; open again clears it. */
  status: oneOf(TASK_STATUSES).optional(),
  metadata: metadataParam.optional(),
  expand: expandParam,
});
export type UpdateTaskParams = z.output<typeof updateTaskParams>;

export const retrieveTaskParams = z.strictObject({ expand: expandParam });

export const listTasksParams = z.strictObject({
  ...listParams,
  customer: str(255).optional(),
  status: oneOf(TASK_STATUSES).optional(),
  kind: oneOf(TASK_KINDS).optional(),
});
export type ListTasksParams = z.output<typeof listTasksParams>;

export const taskSchema = z.object({
  id: z.string(),
  object: z.literal('task'),
  completed_at: z.number().int().nullable(),
  created: z.number().int(),
  customer: z.union([z.string(), z.looseObject({ id: z.string() })]).describe('The customer\'s id, or the customer with expand[]=customer.'),
  description: z.string().nullable(),
  due_at: z.number().int().nullable(),
  kind: z.enum(TASK_KINDS).describe('dunning_exhausted: opened by Recur when an invoice\'s payment retries ran out; manual: opened by a person.'),
  livemode: z.boolean(),
  metadata: z.record(z.string(), z.string()),
  related: z
    .object({ invoice: z.string().nullable(), subscription: z.string().nullable() })
    .describe('The objects the task is about.'),
  status: z.enum(TASK_STATUSES),
  title: z.string(),
});
export type TaskObject = z.infer<typeof taskSchema>;
