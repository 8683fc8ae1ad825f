import { z } from 'zod';
import { list } from '../../../lib/pagination.ts';
import { route, type RouteSpec } from '../../../server/route.ts';
import {
  chargeSchema,
  invoicePaymentSchema,
  listChargesParams,
  listInvoicePaymentsParams,
  listPaymentIntentsParams,
  paymentIntentSchema,
  retrieveParams,
} from './schema.ts';
import {
  listCharges,
  listInvoicePayments,
  listPaymentIntents,
  retrieveCharge,
  retrieveInvoicePayment,
  retrievePaymentIntent,
} from './service.ts';

const listOf = <T extends z.ZodType>(item: T) => z.object({ object: z.literal('list'), data: z.array(item), has_more: z.boolean(), url: z.string() });

export const chargeRoutes: RouteSpec[] = [
  route({
    method: 'GET',
    path: '/v1/charges',
    operationId: 'GetCharges',
    summary: 'List charges (payment attempts on invoices), newest first',
    tag: 'Charges',
    access: 'read',
    params: listChargesParams,
    response: listOf(chargeSchema),
    handler: async (ctx, params) => {
      const { data, hasMore } = await listCharges(ctx, params);
      return list('/v1/charges', data, hasMore);
    },
  }),
  route({
    method: 'GET',
    path: '/v1/charges/:id',
    operationId: 'GetChargesCharge',
    summary: 'Retrieve a charge',
    tag: 'Charges',
    access: 'read',
    params: retrieveParams,
    response: chargeSchema,
    handler: (ctx, _params, path) => retrieveCharge(ctx, path.id as string),
  }),
  route({
    method: 'GET',
    path: '/v1/payment_intents',
    operationId: 'GetPaymentIntents',
    summary: "List payment intents (one per invoice that asks for money), newest first",
    tag: 'Payment intents',
    access: 'read',
    params: listPaymentIntentsParams,
    response: listOf(paymentIntentSchema),
    handler: async (ctx, params) => {
      const { data, hasMore } = await listPaymentIntents(ctx, params);
      return list('/v1/payment_intents', data, hasMore);
    },
  }),
  route({
    method: 'GET',
    path: '/v1/payment_intents/:id',
    operationId: 'GetPaymentIntentsIntent',
    summary: 'Retrieve a payment intent',
    tag: 'Payment intents',
    access: 'read',
    params: retrieveParams,
    response: paymentIntentSchema,
    handler: (ctx, _params, path) => retrievePaymentIntent(ctx, path.id as string),
  }),
  route({
    method: 'GET',
    path: '/v1/invoice_payments',
    operationId: 'GetInvoicePayments',
    summary: "List invoice payments (optionally an invoice's), newest first",
    tag: 'Invoice payments',
    access: 'read',
    params: listInvoicePaymentsParams,
    response: listOf(invoicePaymentSchema),
    handler: async (ctx, params) => {
      const { data, hasMore } = await listInvoicePayments(ctx, params);
      return list('/v1/invoice_payments', data, hasMore);
    },
  }),
  route({
    method: 'GET',
    path: '/v1/invoice_payments/:id',
    operationId: 'GetInvoicePaymentsInvoicePayment',
    summary: 'Retrieve an invoice payment',
    tag: 'Invoice payments',
    access: 'read',
    params: retrieveParams,
    response: invoicePaymentSchema,
    handler: (ctx, _params, path) => retrieveInvoicePayment(ctx, path.id as string),
  }),
];
