import { z } from 'zod';
import { list } from '../../lib/pagination.ts';
import { expandParam, formArray, listParams, rangeFilter, str } from '../../lib/params.ts';
import { route, type RouteSpec } from '../../server/route.ts';
import { eventSchema, getEvent, listEvents } from './service.ts';

const tag = 'Events';

export const eventRoutes: RouteSpec[] = [
  route({
    method: 'GET',
    path: '/v1/events',
    operationId: 'GetEvents',
    summary: "List events, newest first (type accepts a * wildcard, e.g. customer.*; object_id, Recur's own, gives one record's history)",
    tag,
    access: 'read',
    params: z.strictObject({
      ...listParams,
      type: str(100).optional(),
      types: formArray(str(100), 20).optional(),
      object_id: str(255).optional(),
      created: rangeFilter.optional(),
    }),
    response: z.object({ object: z.literal('list'), data: z.array(eventSchema), has_more: z.boolean(), url: z.string() }),
    handler: async (ctx, params) => {
      const { data, hasMore } = await listEvents(ctx.db, ctx.workspace, params);
      return list('/v1/events', data, hasMore);
    },
  }),
  route({
    method: 'GET',
    path: '/v1/events/:id',
    operationId: 'GetEventsId',
    summary: 'Retrieve an event',
    tag,
    access: 'read',
    params: z.strictObject({ expand: expandParam }),
    response: eventSchema,
    handler: (ctx, _params, path) => getEvent(ctx.db, ctx.workspace, path.id as string),
  }),
];
