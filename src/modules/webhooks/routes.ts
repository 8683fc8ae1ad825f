import { z } from 'zod';
import { list } from '../../lib/pagination.ts';
import { route, type RouteSpec } from '../../server/route.ts';
import { retryDelivery } from './deliverer.ts';
import {
  createEndpointParams,
  deletedEndpointSchema,
  deleteEndpointParams,
  listDeliveriesParams,
  listEndpointsParams,
  retrieveEndpointParams,
  retryDeliveryParams,
  updateEndpointParams,
  webhookDeliverySchema,
  webhookEndpointSchema,
} from './schema.ts';
import { createEndpoint, deleteEndpoint, listDeliveries, listEndpoints, retrieveEndpoint, updateEndpoint } from './service.ts';

const tag = 'Webhook endpoints';
const base = '/v1/webhook_endpoints';

export const webhookRoutes: RouteSpec[] = [
  route({
    method: 'POST',
    path: base,
    operationId: 'PostWebhookEndpoints',
    summary: 'Create a webhook endpoint (the response carries its signing secret, shown only this once)',
    tag,
    access: 'write',
    auditAction: 'webhook_endpoint.created',
    params: createEndpointParams,
    response: webhookEndpointSchema,
    replayOmits: ['secret'],
    handler: (ctx, params) => createEndpoint(ctx, params),
  }),
  route({
    method: 'GET',
    path: `${base}/:id`,
    operationId: 'GetWebhookEndpointsWebhookEndpoint',
    summary: 'Retrieve a webhook endpoint',
    tag,
    access: 'read',
    params: retrieveEndpointParams,
    response: webhookEndpointSchema,
    handler: (ctx, _params, path) => retrieveEndpoint(ctx, path.id as string),
  }),
  route({
    method: 'POST',
    path: `${base}/:id`,
    operationId: 'PostWebhookEndpointsWebhookEndpoint',
    summary: 'Update a webhook endpoint: url, enabled_events, description, metadata, disabled (true stops its pending retries)',
    tag,
    access: 'write',
    auditAction: 'webhook_endpoint.updated',
    params: updateEndpointParams,
    response: webhookEndpointSchema,
    handler: (ctx, params, path) => updateEndpoint(ctx, path.id as string, params),
  }),
  route({
    method: 'GET',
    path: base,
    operationId: 'GetWebhookEndpoints',
    summary: 'List webhook endpoints, newest first',
    tag,
    access: 'read',
    params: listEndpointsParams,
    response: z.object({ object: z.literal('list'), data: z.array(webhookEndpointSchema), has_more: z.boolean(), url: z.string() }),
    handler: async (ctx, params) => {
      const { data, hasMore } = await listEndpoints(ctx, params);
      return list(base, data, hasMore);
    },
  }),
  route({
    method: 'DELETE',
    path: `${base}/:id`,
    operationId: 'DeleteWebhookEndpointsWebhookEndpoint',
    summary: 'Delete a webhook endpoint and its delivery log',
    tag,
    access: 'write',
    auditAction: 'webhook_endpoint.deleted',
    params: deleteEndpointParams,
    response: deletedEndpointSchema,
    handler: (ctx, _params, path) => deleteEndpoint(ctx, path.id as string),
  }),
  // Recur extensions: the delivery log and manual retries (Stripe shows these in its dashboard only).
  route({
    method: 'GET',
    path: `${base}/:id/deliveries`,
    operationId: 'GetWebhookEndpointsWebhookEndpointDeliveries',
    summary: "An endpoint's deliveries, newest first, optionally of one status (Recur extension)",
    tag,
    access: 'read',
    params: listDeliveriesParams,
    response: z.object({ object: z.literal('list'), data: z.array(webhookDeliverySchema), has_more: z.boolean(), url: z.string() }),
    handler: async (ctx, params, path) => {
      const { data, hasMore } = await listDeliveries(ctx, path.id as string, params);
      return list(`${base}/${path.id as string}/deliveries`, data, hasMore);
    },
  }),
  route({
    method: 'POST',
    path: '/v1/webhook_deliveries/:id/retry',
    operationId: 'PostWebhookDeliveriesWebhookDeliveryRetry',
    summary: 'Send a delivery again now, whatever its status, and answer with the result (Recur extension)',
    tag,
    access: 'write',
    auditAction: 'webhook_delivery.retried',
    params: retryDeliveryParams,
    response: webhookDeliverySchema,
    handler: (ctx, _params, path) => retryDelivery(ctx, path.id as string),
  }),
];
