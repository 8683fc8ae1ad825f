import { z } from 'zod';
import { list } from '../../../lib/pagination.ts';
import { route, type RouteSpec } from '../../../server/route.ts';
import {
  createPromotionCodeParams,
  listPromotionCodesParams,
  promotionCodeSchema,
  retrievePromotionCodeParams,
  updatePromotionCodeParams,
} from './schema.ts';
import { createPromotionCode, listPromotionCodes, retrievePromotionCode, updatePromotionCode } from './service.ts';

const tag = 'Promotion codes';

export const promotionCodeRoutes: RouteSpec[] = [
  route({
    method: 'POST',
    path: '/v1/promotion_codes',
    operationId: 'PostPromotionCodes',
    summary: 'Create a promotion code for a coupon (a code is generated when none is given)',
    tag,
    access: 'write',
    auditAction: 'promotion_code.created',
    idempotencyCheck: 'at-commit',
    params: createPromotionCodeParams,
    response: promotionCodeSchema,
    handler: (ctx, params) => createPromotionCode(ctx, params),
  }),
  route({
    method: 'GET',
    path: '/v1/promotion_codes',
    operationId: 'GetPromotionCodes',
    summary: 'List promotion codes, newest first',
    tag,
    access: 'read',
    params: listPromotionCodesParams,
    response: z.object({ object: z.literal('list'), data: z.array(promotionCodeSchema), has_more: z.boolean(), url: z.string() }),
    handler: async (ctx, params) => {
      const { data, hasMore } = await listPromotionCodes(ctx, params);
      return list('/v1/promotion_codes', data, hasMore);
    },
  }),
  route({
    method: 'GET',
    path: '/v1/promotion_codes/:id',
    operationId: 'GetPromotionCodesId',
    summary: 'Retrieve a promotion code',
    tag,
    access: 'read',
    params: retrievePromotionCodeParams,
    response: promotionCodeSchema,
    handler: (ctx, _params, path) => retrievePromotionCode(ctx, path.id as string),
  }),
  route({
    method: 'POST',
    path: '/v1/promotion_codes/:id',
    operationId: 'PostPromotionCodesId',
    summary: 'Update a promotion code: only active and metadata can change',
    tag,
    access: 'write',
    auditAction: 'promotion_code.updated',
    idempotencyCheck: 'at-commit',
    params: updatePromotionCodeParams,
    response: promotionCodeSchema,
    handler: (ctx, params, path) => updatePromotionCode(ctx, path.id as string, params),
  }),
];
