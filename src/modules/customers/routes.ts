import { z } from 'zod';
import { list, searchResult } from '../../lib/pagination.ts';
import { route, type RouteSpec } from '../../server/route.ts';
import {
  createCustomerParams,
  customerSchema,
  deletedCustomerSchema,
  listCustomersParams,
  retrieveCustomerParams,
  searchCustomersParams,
  updateCustomerParams,
} from './schema.ts';
import {
  createCustomer,
  deleteCustomer,
  listCustomers,
  retrieveCustomer,
  searchCustomers,
  updateCustomer,
} from './service.ts';

const tag = 'Customers';

export const customerRoutes: RouteSpec[] = [
  route({
    method: 'POST',
    path: '/v1/customers',
    operationId: 'PostCustomers',
    summary: 'Create a customer',
    tag,
    access: 'write',
    auditAction: 'customer.created',
    idempotencyCheck: 'at-commit',
    params: createCustomerParams,
    response: customerSchema,
    handler: (ctx, params) => createCustomer(ctx, params),
  }),
  route({
    method: 'GET',
    path: '/v1/customers',
    operationId: 'GetCustomers',
    summary: 'List customers, newest first',
    tag,
    access: 'read',
    params: listCustomersParams,
    response: z.object({ object: z.literal('list'), data: z.array(customerSchema), has_more: z.boolean(), url: z.string() }),
    handler: async (ctx, params) => {
      const { data, hasMore } = await listCustomers(ctx, params);
      return list('/v1/customers', data, hasMore);
    },
  }),
  route({
    method: 'GET',
    path: '/v1/customers/search',
    operationId: 'GetCustomersSearch',
    summary: "Search customers with Stripe's query language (email, name, phone, metadata, created)",
    tag,
    access: 'read',
    params: searchCustomersParams,
    response: z.object({
      object: z.literal('search_result'),
      data: z.array(customerSchema),
      has_more: z.boolean(),
      next_page: z.string().nullable(),
      url: z.string(),
    }),
    handler: async (ctx, params) => searchResult('/v1/customers/search', await searchCustomers(ctx, params)),
  }),
  route({
    method: 'GET',
    path: '/v1/customers/:id',
    operationId: 'GetCustomersCustomer',
    summary: 'Retrieve a customer (a deleted one answers with deleted: true)',
    tag,
    access: 'read',
    params: retrieveCustomerParams,
    response: z.union([customerSchema, deletedCustomerSchema]),
    handler: (ctx, _params, path) => retrieveCustomer(ctx, path.id as string),
  }),
  route({
    method: 'POST',
    path: '/v1/customers/:id',
    operationId: 'PostCustomersCustomer',
    summary: 'Update a customer; parameters left out are unchanged, an empty string clears',
    tag,
    access: 'write',
    auditAction: 'customer.updated',
    idempotencyCheck: 'at-commit',
    params: updateCustomerParams,
    response: customerSchema,
    handler: (ctx, params, path) => updateCustomer(ctx, path.id as string, params),
  }),
  route({
    method: 'DELETE',
    path: '/v1/customers/:id',
    operationId: 'DeleteCustomersCustomer',
    summary: 'Delete a customer (kept in the CRM history)',
    tag,
    access: 'write',
    auditAction: 'customer.deleted',
    params: z.strictObject({}),
    response: deletedCustomerSchema,
    handler: (ctx, _params, path) => deleteCustomer(ctx, path.id as string),
  }),
];
