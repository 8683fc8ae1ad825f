import { z } from 'zod';
import { list } from '../../../lib/pagination.ts';
import { route, type RouteSpec } from '../../../server/route.ts';
import { createTaxRateParams, listTaxRatesParams, retrieveTaxRateParams, taxRateSchema, updateTaxRateParams } from './schema.ts';
import { createTaxRate, listTaxRates, retrieveTaxRate, updateTaxRate } from './service.ts';

const tag = 'Tax rates';

// No DELETE: as in Stripe, a tax rate is archived with active=false.
export const taxRateRoutes: RouteSpec[] = [
  route({
    method: 'POST',
    path: '/v1/tax_rates',
    operationId: 'PostTaxRates',
    summary: 'Create a tax rate (percentage and inclusive are fixed from then on)',
    tag,
    access: 'write',
    auditAction: 'tax_rate.created',
    idempotencyCheck: 'at-commit',
    params: createTaxRateParams,
    response: taxRateSchema,
    handler: (ctx, params) => createTaxRate(ctx, params),
  }),
  route({
    method: 'GET',
    path: '/v1/tax_rates',
    operationId: 'GetTaxRates',
    summary: 'List tax rates, newest first',
    tag,
    access: 'read',
    params: listTaxRatesParams,
    response: z.object({ object: z.literal('list'), data: z.array(taxRateSchema), has_more: z.boolean(), url: z.string() }),
    handler: async (ctx, params) => {
      const { data, hasMore } = await listTaxRates(ctx, params);
      return list('/v1/tax_rates', data, hasMore);
    },
  }),
  route({
    method: 'GET',
    path: '/v1/tax_rates/:id',
    operationId: 'GetTaxRatesTaxRate',
    summary: 'Retrieve a tax rate',
    tag,
    access: 'read',
    params: retrieveTaxRateParams,
    response: taxRateSchema,
    handler: (ctx, _params, path) => retrieveTaxRate(ctx, path.id as string),
  }),
  route({
    method: 'POST',
    path: '/v1/tax_rates/:id',
    operationId: 'PostTaxRatesTaxRate',
    summary: 'Update a tax rate; archive it with active=false (percentage and inclusive cannot change)',
    tag,
    access: 'write',
    auditAction: 'tax_rate.updated',
    idempotencyCheck: 'at-commit',
    params: updateTaxRateParams,
    response: taxRateSchema,
    handler: (ctx, params, path) => updateTaxRate(ctx, path.id as string, params),
  }),
];
