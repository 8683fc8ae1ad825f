import { z } from 'zod';
import { list } from '../../../lib/pagination.ts';
import { route, type RouteSpec } from '../../../server/route.ts';
import {
  cancelScheduleParams,
  createScheduleParams,
  listSchedulesParams,
  releaseScheduleParams,
  retrieveScheduleParams,
  scheduleSchema,
  updateScheduleParams,
} from './schema.ts';
import { cancelSchedule, createSchedule, listSchedules, releaseSchedule, retrieveSchedule, updateSchedule } from './service.ts';

const tag = 'Subscription schedules';
const base = '/v1/subscription_schedules';

export const scheduleRoutes: RouteSpec[] = [
  route({
    method: 'POST',
    path: base,
    operationId: 'PostSubscriptionSchedules',
    summary: 'Create a schedule from a subscription, or a subscription with its phases for a customer',
    tag,
    access: 'write',
    auditAction: 'subscription_schedule.created',
    params: createScheduleParams,
    response: scheduleSchema,
    handler: (ctx, params) => createSchedule(ctx, params),
  }),
  route({
    method: 'GET',
    path: base,
    operationId: 'GetSubscriptionSchedules',
    summary: 'List subscription schedules',
    tag,
    access: 'read',
    params: listSchedulesParams,
    response: z.object({ object: z.literal('list'), data: z.array(scheduleSchema), has_more: z.boolean(), url: z.string() }),
    handler: async (ctx, params) => {
      const { data, hasMore } = await listSchedules(ctx, params);
      return list(base, data, hasMore);
    },
  }),
  route({
    method: 'GET',
    path: `${base}/:id`,
    operationId: 'GetSubscriptionSchedulesSchedule',
    summary: 'Retrieve a subscription schedule',
    tag,
    access: 'read',
    params: retrieveScheduleParams,
    response: scheduleSchema,
    handler: (ctx, _params, path) => retrieveSchedule(ctx, path.id as string),
  }),
  route({
    method: 'POST',
    path: `${base}/:id`,
    operationId: 'PostSubscriptionSchedulesSchedule',
    summary: 'Replace the phases from the current one on (e.g. a downgrade at the period end)',
    tag,
    access: 'write',
    auditAction: 'subscription_schedule.updated',
    params: updateScheduleParams,
    response: scheduleSchema,
    handler: (ctx, params, path) => updateSchedule(ctx, path.id as string, params),
  }),
  route({
    method: 'POST',
    path: `${base}/:id/cancel`,
    operationId: 'PostSubscriptionSchedulesScheduleCancel',
    summary: 'Cancel the schedule and its subscription now',
    tag,
    access: 'write',
    auditAction: 'subscription_schedule.canceled',
    params: cancelScheduleParams,
    response: scheduleSchema,
    handler: (ctx, _params, path) => cancelSchedule(ctx, path.id as string),
  }),
  route({
    method: 'POST',
    path: `${base}/:id/release`,
    operationId: 'PostSubscriptionSchedulesScheduleRelease',
    summary: 'Release the subscription from the schedule; it runs on as it is',
    tag,
    access: 'write',
    auditAction: 'subscription_schedule.released',
    params: releaseScheduleParams,
    response: scheduleSchema,
    handler: (ctx, _params, path) => releaseSchedule(ctx, path.id as string),
  }),
];
