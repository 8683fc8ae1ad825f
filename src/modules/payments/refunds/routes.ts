import { z } from 'zod';
import { list } from '../../../lib/pagination.ts';
import { route, type RouteSpec } from '../../../server/route.ts';
import { createRefundParams, listRefundsParams, refundSchema, retrieveRefundParams, updateRefundParams } from './schema.ts';
import { createRefund, listRefunds, retrieveRefund, updateRefund } from './service.ts';

const tag = 'Refunds';

export const refundRoutes: RouteSpec[] = [
  route({
    method: 'POST',
    path: '/v1/refunds',
    operationId: 'PostRefunds',
    summary: "Refund (part of) a charge through its gateway, with a credit note on the charge's invoice",
    tag,
    access: 'write',
    auditAction: 'refund.created',
    params: createRefundParams,
    response: refundSchema,
    handler: (ctx, params) => createRefund(ctx, params),
  }),
  route({
    method: 'GET',
    path: '/v1/refunds',
    operationId: 'GetRefunds',
    summary: 'List refunds, newest first',
    tag,
    access: 'read',
    params: listRefundsParams,
    response: z.object({ object: z.literal('list'), data: z.array(refundSchema), has_more: z.boolean(), url: z.string() }),
    handler: async (ctx, params) => {
      const { data, hasMore } = await listRefunds(ctx, params);
      return list('/v1/refunds', data, hasMore);
    },
  }),
  route({
    method: 'GET',
    path: '/v1/refunds/:id',
    operationId: 'GetRefundsRefund',
    summary: 'Retrieve a refund',
    tag,
    access: 'read',
    params: retrieveRefundParams,
    response: refundSchema,
    handler: (ctx, _params, path) => retrieveRefund(ctx, path.id as string),
  }),
  route({
    method: 'POST',
    path: '/v1/refunds/:id',
    operationId: 'PostRefundsRefund',
    summary: "Update a refund's metadata",
    tag,
    access: 'write',
    auditAction: 'refund.updated',
    params: updateRefundParams,
    response: refundSchema,
    handler: (ctx, params, path) => updateRefund(ctx, path.id as string, params),
  }),
];
