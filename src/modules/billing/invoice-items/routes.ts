import { z } from 'zod';
import { list } from '../../../lib/pagination.ts';
import { route, type RouteSpec } from '../../../server/route.ts';
import {
  createInvoiceItemParams,
  deleteInvoiceItemParams,
  invoiceItemSchema,
  listInvoiceItemsParams,
  retrieveInvoiceItemParams,
  updateInvoiceItemParams,
} from './schema.ts';
import { createInvoiceItem, deleteInvoiceItem, listInvoiceItems, retrieveInvoiceItem, updateInvoiceItem } from './service.ts';

const tag = 'Invoice items';

export const invoiceItemRoutes: RouteSpec[] = [
  route({
    method: 'POST',
    path: '/v1/invoiceitems',
    operationId: 'PostInvoiceitems',
    summary: "Add a one-off charge or credit to the customer's next invoice",
    tag,
    access: 'write',
    auditAction: 'invoiceitem.created',
    params: createInvoiceItemParams,
    response: invoiceItemSchema,
    handler: (ctx, params) => createInvoiceItem(ctx, params),
  }),
  route({
    method: 'GET',
    path: '/v1/invoiceitems',
    operationId: 'GetInvoiceitems',
    summary: 'List invoice items',
    tag,
    access: 'read',
    params: listInvoiceItemsParams,
    response: z.object({ object: z.literal('list'), data: z.array(invoiceItemSchema), has_more: z.boolean(), url: z.string() }),
    handler: async (ctx, params) => {
      const { data, hasMore } = await listInvoiceItems(ctx, params);
      return list('/v1/invoiceitems', data, hasMore);
    },
  }),
  route({
    method: 'GET',
    path: '/v1/invoiceitems/:id',
    operationId: 'GetInvoiceitemsInvoiceitem',
    summary: 'Retrieve an invoice item',
    tag,
    access: 'read',
    params: retrieveInvoiceItemParams,
    response: invoiceItemSchema,
    handler: (ctx, _params, path) => retrieveInvoiceItem(ctx, path.id as string),
  }),
  route({
    method: 'POST',
    path: '/v1/invoiceitems/:id',
    operationId: 'PostInvoiceitemsInvoiceitem',
    summary: 'Update a pending invoice item',
    tag,
    access: 'write',
    auditAction: 'invoiceitem.updated',
    params: updateInvoiceItemParams,
    response: invoiceItemSchema,
    handler: (ctx, params, path) => updateInvoiceItem(ctx, path.id as string, params),
  }),
  route({
    method: 'DELETE',
    path: '/v1/invoiceitems/:id',
    operationId: 'DeleteInvoiceitemsInvoiceitem',
    summary: 'Delete a pending invoice item',
    tag,
    access: 'write',
    auditAction: 'invoiceitem.deleted',
    params: deleteInvoiceItemParams,
    response: z.object({ id: z.string(), object: z.literal('invoiceitem'), deleted: z.literal(true) }),
    handler: (ctx, _params, path) => deleteInvoiceItem(ctx, path.id as string),
  }),
];
