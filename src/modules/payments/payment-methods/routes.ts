import { z } from 'zod';
import { list } from '../../../lib/pagination.ts';
import { route, type RouteSpec } from '../../../server/route.ts';
import {
  attachPaymentMethodParams,
  detachPaymentMethodParams,
  listCustomerPaymentMethodsParams,
  listPaymentMethodsParams,
  paymentMethodSchema,
  retrievePaymentMethodParams,
} from './schema.ts';
import {
  attachPaymentMethod,
  detachPaymentMethod,
  listCustomerPaymentMethods,
  listPaymentMethods,
  retrievePaymentMethod,
} from './service.ts';

const tag = 'Payment methods';
const listSchema = z.object({ object: z.literal('list'), data: z.array(paymentMethodSchema), has_more: z.boolean(), url: z.string() });

export const paymentMethodRoutes: RouteSpec[] = [
  route({
    method: 'GET',
    path: '/v1/payment_methods',
    operationId: 'GetPaymentMethods',
    summary: "List payment methods (optionally a customer's), newest first",
    tag,
    access: 'read',
    params: listPaymentMethodsParams,
    response: listSchema,
    handler: async (ctx, params) => {
      const { data, hasMore } = await listPaymentMethods(ctx, params);
      return list('/v1/payment_methods', data, hasMore);
    },
  }),
  route({
    method: 'GET',
    path: '/v1/payment_methods/:id',
    operationId: 'GetPaymentMethodsPaymentMethod',
    summary: 'Retrieve a payment method',
    tag,
    access: 'read',
    params: retrievePaymentMethodParams,
    response: paymentMethodSchema,
    handler: (ctx, _params, path) => retrievePaymentMethod(ctx, path.id as string),
  }),
  route({
    method: 'POST',
    path: '/v1/payment_methods/:id/attach',
    operationId: 'PostPaymentMethodsPaymentMethodAttach',
    summary: 'Attach a payment method (or a test one such as pm_card_visa, in sandboxes) to a customer',
    tag,
    access: 'write',
    auditAction: 'payment_method.attached',
    params: attachPaymentMethodParams,
    response: paymentMethodSchema,
    handler: (ctx, params, path) => attachPaymentMethod(ctx, path.id as string, params),
  }),
  route({
    method: 'POST',
    path: '/v1/payment_methods/:id/detach',
    operationId: 'PostPaymentMethodsPaymentMethodDetach',
    summary: "Detach a payment method from its customer (clearing the customer's default if it was)",
    tag,
    access: 'write',
    auditAction: 'payment_method.detached',
    params: detachPaymentMethodParams,
    response: paymentMethodSchema,
    handler: (ctx, _params, path) => detachPaymentMethod(ctx, path.id as string),
  }),
  route({
    method: 'GET',
    path: '/v1/customers/:id/payment_methods',
    operationId: 'GetCustomersCustomerPaymentMethods',
    summary: "List a customer's payment methods, newest first",
    tag,
    access: 'read',
    params: listCustomerPaymentMethodsParams,
    response: listSchema,
    handler: async (ctx, params, path) => {
      const { data, hasMore } = await listCustomerPaymentMethods(ctx, path.id as string, params);
      return list(`/v1/customers/${path.id as string}/payment_methods`, data, hasMore);
    },
  }),
];
