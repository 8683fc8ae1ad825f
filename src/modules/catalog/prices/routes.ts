import { z } from 'zod';
import { list } from '../../../lib/pagination.ts';
import { route, type RouteSpec } from '../../../server/route.ts';
import { createPriceParams, listPricesParams, priceSchema, retrievePriceParams, updatePriceParams } from './schema.ts';
import { createPrice, listPrices, retrievePrice, updatePrice } from './service.ts';

const tag = 'Prices';

export const priceRoutes: RouteSpec[] = [
  route({
    method: 'POST',
    path: '/v1/prices',
    operationId: 'PostPrices',
    summary: 'Create a price for a product (or for a new product, with product_data)',
    tag,
    access: 'write',
    auditAction: 'price.created',
    idempotencyCheck: 'at-commit',
    params: createPriceParams,
    response: priceSchema,
    handler: (ctx, params) => createPrice(ctx, params),
  }),
  route({
    method: 'GET',
    path: '/v1/prices',
    operationId: 'GetPrices',
    summary: 'List prices, newest first',
    tag,
    access: 'read',
    params: listPricesParams,
    response: z.object({ object: z.literal('list'), data: z.array(priceSchema), has_more: z.boolean(), url: z.string() }),
    handler: async (ctx, params) => {
      const { data, hasMore } = await listPrices(ctx, params);
      return list('/v1/prices', data, hasMore);
    },
  }),
  route({
    method: 'GET',
    path: '/v1/prices/:id',
    operationId: 'GetPricesId',
    summary: 'Retrieve a price',
    tag,
    access: 'read',
    params: retrievePriceParams,
    response: priceSchema,
    handler: (ctx, _params, path) => retrievePrice(ctx, path.id as string),
  }),
  route({
    method: 'POST',
    path: '/v1/prices/:id',
    operationId: 'PostPricesId',
    summary: 'Update a price (amounts, currency, product and recurrence are fixed at creation)',
    tag,
    access: 'write',
    auditAction: 'price.updated',
    idempotencyCheck: 'at-commit',
    params: updatePriceParams,
    response: priceSchema,
    handler: (ctx, params, path) => updatePrice(ctx, path.id as string, params),
  }),
];
