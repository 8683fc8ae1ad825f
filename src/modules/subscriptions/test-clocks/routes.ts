import { z } from 'zod';
import { list } from '../../../lib/pagination.ts';
import { route, type RouteSpec } from '../../../server/route.ts';
import {
  advanceTestClockParams,
  createTestClockParams,
  deletedTestClockSchema,
  deleteTestClockParams,
  listTestClocksParams,
  retrieveTestClockParams,
  testClockSchema,
} from './schema.ts';
import { advanceTestClock, createTestClock, deleteTestClock, listTestClocks, retrieveTestClock } from './service.ts';

const tag = 'Test clocks';
const base = '/v1/test_helpers/test_clocks';

export const testClockRoutes: RouteSpec[] = [
  route({
    method: 'POST',
    path: base,
    operationId: 'PostTestHelpersTestClocks',
    summary: 'Create a test clock (sandbox only)',
    tag,
    access: 'write',
    auditAction: 'test_clock.created',
    params: createTestClockParams,
    response: testClockSchema,
    handler: (ctx, params) => createTestClock(ctx, params),
  }),
  route({
    method: 'GET',
    path: base,
    operationId: 'GetTestHelpersTestClocks',
    summary: 'List test clocks',
    tag,
    access: 'read',
    params: listTestClocksParams,
    response: z.object({ object: z.literal('list'), data: z.array(testClockSchema), has_more: z.boolean(), url: z.string() }),
    handler: async (ctx, params) => {
      const { data, hasMore } = await listTestClocks(ctx, params);
      return list(base, data, hasMore);
    },
  }),
  route({
    method: 'GET',
    path: `${base}/:id`,
    operationId: 'GetTestHelpersTestClocksTestClock',
    summary: 'Retrieve a test clock',
    tag,
    access: 'read',
    params: retrieveTestClockParams,
    response: testClockSchema,
    handler: (ctx, _params, path) => retrieveTestClock(ctx, path.id as string),
  }),
  route({
    method: 'POST',
    path: `${base}/:id/advance`,
    operationId: 'PostTestHelpersTestClocksTestClockAdvance',
    summary: 'Advance a test clock: renewals, trial ends, cancellations and payments due in between run in time order',
    tag,
    access: 'write',
    auditAction: 'test_clock.advanced',
    params: advanceTestClockParams,
    response: testClockSchema,
    handler: (ctx, params, path) => advanceTestClock(ctx, path.id as string, params),
  }),
  route({
    method: 'DELETE',
    path: `${base}/:id`,
    operationId: 'DeleteTestHelpersTestClocksTestClock',
    summary: 'Delete a test clock',
    tag,
    access: 'write',
    auditAction: 'test_clock.deleted',
    params: deleteTestClockParams,
    response: deletedTestClockSchema,
    handler: (ctx, _params, path) => deleteTestClock(ctx, path.id as string),
  }),
];
