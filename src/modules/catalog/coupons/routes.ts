import { z } from 'zod';
import { list } from '../../../lib/pagination.ts';
import { route, type RouteSpec } from '../../../server/route.ts';
import {
  couponSchema,
  createCouponParams,
  deletedCouponSchema,
  listCouponsParams,
  retrieveCouponParams,
  updateCouponParams,
} from './schema.ts';
import { createCoupon, deleteCoupon, listCoupons, retrieveCoupon, updateCoupon } from './service.ts';

const tag = 'Coupons';

export const couponRoutes: RouteSpec[] = [
  route({
    method: 'POST',
    path: '/v1/coupons',
    operationId: 'PostCoupons',
    summary: 'Create a coupon (optionally with an id of your choosing)',
    tag,
    access: 'write',
    auditAction: 'coupon.created',
    idempotencyCheck: 'at-commit',
    params: createCouponParams,
    response: couponSchema,
    handler: (ctx, params) => createCoupon(ctx, params),
  }),
  route({
    method: 'GET',
    path: '/v1/coupons',
    operationId: 'GetCoupons',
    summary: 'List coupons (deleted ones left out), newest first',
    tag,
    access: 'read',
    params: listCouponsParams,
    response: z.object({ object: z.literal('list'), data: z.array(couponSchema), has_more: z.boolean(), url: z.string() }),
    handler: async (ctx, params) => {
      const { data, hasMore } = await listCoupons(ctx, params);
      return list('/v1/coupons', data, hasMore);
    },
  }),
  route({
    method: 'GET',
    path: '/v1/coupons/:id',
    operationId: 'GetCouponsId',
    summary: 'Retrieve a coupon (a deleted coupon is a 404)',
    tag,
    access: 'read',
    params: retrieveCouponParams,
    response: couponSchema,
    handler: (ctx, _params, path) => retrieveCoupon(ctx, path.id as string),
  }),
  route({
    method: 'POST',
    path: '/v1/coupons/:id',
    operationId: 'PostCouponsId',
    summary: 'Update a coupon: only name, metadata and currency_options can change',
    tag,
    access: 'write',
    auditAction: 'coupon.updated',
    idempotencyCheck: 'at-commit',
    params: updateCouponParams,
    response: couponSchema,
    handler: (ctx, params, path) => updateCoupon(ctx, path.id as string, params),
  }),
  route({
    method: 'DELETE',
    path: '/v1/coupons/:id',
    operationId: 'DeleteCouponsId',
    summary: 'Delete a coupon (existing discounts keep working; new redemptions are refused)',
    tag,
    access: 'write',
    auditAction: 'coupon.deleted',
    params: z.strictObject({}),
    response: deletedCouponSchema,
    handler: (ctx, _params, path) => deleteCoupon(ctx, path.id as string),
  }),
];
