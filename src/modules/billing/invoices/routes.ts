import { z } from 'zod';
import { invalidRequest } from '../../../lib/errors.ts';
import { list } from '../../../lib/pagination.ts';
import { FileResponse, route, type RouteSpec } from '../../../server/route.ts';
import { previewSubscriptionChange } from '../../subscriptions/changes.ts';
import { createInvoice, createInvoiceParams } from './manual.ts';
import { invoiceObject } from './objects.ts';
import { invoicePdfFile } from './pdf-file.ts';
import { createPreviewParams, invoiceActionParams, invoiceSchema, listInvoicesParams, payInvoiceParams, retrieveInvoiceParams } from './schema.ts';
import { finalizeInvoice, invoiceWithLines, listInvoices, markInvoiceUncollectible, payInvoice, retrieveInvoice, voidInvoice } from './service.ts';

const tag = 'Invoices';

const action = (name: string, summary: string, handler: (ctx: Parameters<RouteSpec['handler']>[0], id: string, params: { payment_method?: string | undefined }) => Promise<unknown>) =>
  route({
    method: 'POST',
    path: `/v1/invoices/:id/${name}`,
    operationId: `PostInvoicesInvoice${name.split('_').map((w) => w[0]?.toUpperCase() + w.slice(1)).join('')}`,
    summary,
    tag,
    access: 'write',
    auditAction: `invoice.${name}`,
    params: name === 'pay' ? payInvoiceParams : invoiceActionParams,
    response: invoiceSchema,
    handler: (ctx, params, path) => handler(ctx, path.id as string, 'payment_method' in params ? params : {}),
  });

export const invoiceRoutes: RouteSpec[] = [
  route({
    method: 'POST',
    path: '/v1/invoices',
    operationId: 'PostInvoices',
    summary: "Create a draft invoice for a customer (with their pending invoice items when pending_invoice_items_behavior=include)",
    tag,
    access: 'write',
    auditAction: 'invoice.created',
    params: createInvoiceParams,
    response: invoiceSchema,
    handler: (ctx, params) => createInvoice(ctx, params),
  }),
  route({
    method: 'GET',
    path: '/v1/invoices',
    operationId: 'GetInvoices',
    summary: 'List invoices, newest first',
    tag,
    access: 'read',
    params: listInvoicesParams,
    response: z.object({ object: z.literal('list'), data: z.array(invoiceSchema), has_more: z.boolean(), url: z.string() }),
    handler: async (ctx, params) => {
      const { data, hasMore } = await listInvoices(ctx, params);
      return list('/v1/invoices', data, hasMore);
    },
  }),
  route({
    method: 'POST',
    path: '/v1/invoices/create_preview',
    operationId: 'PostInvoicesCreatePreview',
    summary: "Preview the invoice a subscription change would make (nothing is changed)",
    tag,
    access: 'read',
    params: createPreviewParams,
    response: invoiceSchema,
    handler: async (ctx, params) => {
      if (!params.subscription) throw invalidRequest('create_preview needs the subscription to preview a change of.', 'subscription');
      const preview = await previewSubscriptionChange(ctx, params.subscription, params.subscription_details ?? {});
      return invoiceObject(preview.row, preview.lines, ctx.workspace, null);
    },
  }),
  route({
    method: 'GET',
    path: '/v1/invoices/:id',
    operationId: 'GetInvoicesInvoice',
    summary: 'Retrieve an invoice',
    tag,
    access: 'read',
    params: retrieveInvoiceParams,
    response: invoiceSchema,
    handler: (ctx, _params, path) => retrieveInvoice(ctx, path.id as string),
  }),
  route({
    method: 'GET',
    path: '/v1/invoices/:id/pdf',
    operationId: 'GetInvoicesInvoicePdf',
    summary: "The invoice as a PDF, in the customer's language and currency format",
    tag,
    access: 'read',
    params: z.strictObject({}),
    response: z.string(),
    handler: async (ctx, _params, path) => {
      const { row, lines } = await invoiceWithLines(ctx, path.id as string);
      const file = await invoicePdfFile(ctx.db, ctx.workspace.id, row, lines);
      return new FileResponse('application/pdf', file.bytes, file.filename);
    },
  }),
  action('finalize', 'Finalize a draft invoice: number it and apply the customer balance', finalizeInvoice),
  action('pay', "Charge an invoice now with `payment_method` (one of the customer's) or else the default one (402 when the charge fails)", payInvoice),
  action('void', 'Void an open invoice', voidInvoice),
  action('mark_uncollectible', 'Mark an open invoice uncollectible', markInvoiceUncollectible),
];
