import { z } from 'zod';
import { list, searchResult } from '../../lib/pagination.ts';
import { route, type RouteSpec } from '../../server/route.ts';
import { updateSubscription } from './changes.ts';
import {
  cancelSubscriptionParams,
  createSubscriptionParams,
  listSubscriptionsParams,
  resumeSubscriptionParams,
  retrieveSubscriptionParams,
  searchSubscriptionsParams,
  subscriptionSchema,
  updateSubscriptionParams,
} from './schema.ts';
import { searchSubscriptions } from './search.ts';
import { cancelSubscription, createSubscription, listSubscriptions, resumeSubscription, retrieveSubscription } from './service.ts';

const tag = 'Subscriptions';

// Writes here may charge through the gateway, so a repeated Idempotency-Key is looked up
// before the handler runs (never 'at-commit').
export const subscriptionRoutes: RouteSpec[] = [
  route({
    method: 'POST',
    path: '/v1/subscriptions',
    operationId: 'PostSubscriptions',
    summary: 'Create a subscription: its first invoice is finalized and charged at once (or starts a trial)',
    tag,
    access: 'write',
    auditAction: 'subscription.created',
    params: createSubscriptionParams,
    response: subscriptionSchema,
    handler: (ctx, params) => createSubscription(ctx, params),
  }),
  route({
    method: 'GET',
    path: '/v1/subscriptions',
    operationId: 'GetSubscriptions',
    summary: 'List subscriptions, newest first (canceled ones only with status=canceled, ended or all)',
    tag,
    access: 'read',
    params: listSubscriptionsParams,
    response: z.object({ object: z.literal('list'), data: z.array(subscriptionSchema), has_more: z.boolean(), url: z.string() }),
    handler: async (ctx, params) => {
      const { data, hasMore } = await listSubscriptions(ctx, params);
      return list('/v1/subscriptions', data, hasMore);
    },
  }),
  route({
    method: 'GET',
    path: '/v1/subscriptions/search',
    operationId: 'GetSubscriptionsSearch',
    summary: "Search subscriptions with Stripe's query language (created, metadata, status); every status, canceled ones too",
    tag,
    access: 'read',
    params: searchSubscriptionsParams,
    response: z.object({
      object: z.literal('search_result'),
      data: z.array(subscriptionSchema),
      has_more: z.boolean(),
      next_page: z.string().nullable(),
      url: z.string(),
    }),
    handler: async (ctx, params) => searchResult('/v1/subscriptions/search', await searchSubscriptions(ctx, params)),
  }),
  route({
    method: 'GET',
    path: '/v1/subscriptions/:id',
    operationId: 'GetSubscriptionsSubscriptionExposedId',
    summary: 'Retrieve a subscription',
    tag,
    access: 'read',
    params: retrieveSubscriptionParams,
    response: subscriptionSchema,
    handler: (ctx, _params, path) => retrieveSubscription(ctx, path.id as string),
  }),
  route({
    method: 'POST',
    path: '/v1/subscriptions/:id',
    operationId: 'PostSubscriptionsSubscriptionExposedId',
    summary: 'Update a subscription: items with prorations, cancellation, pause of collection, trial and anchor',
    tag,
    access: 'write',
    auditAction: 'subscription.updated',
    params: updateSubscriptionParams,
    response: subscriptionSchema,
    handler: (ctx, params, path) => updateSubscription(ctx, path.id as string, params),
  }),
  route({
    method: 'DELETE',
    path: '/v1/subscriptions/:id',
    operationId: 'DeleteSubscriptionsSubscriptionExposedId',
    summary: 'Cancel a subscription now (prorate credits the unused time; invoice_now invoices it)',
    tag,
    access: 'write',
    auditAction: 'subscription.canceled',
    params: cancelSubscriptionParams,
    response: subscriptionSchema,
    handler: (ctx, params, path) => cancelSubscription(ctx, path.id as string, params),
  }),
  route({
    method: 'POST',
    path: '/v1/subscriptions/:id/resume',
    operationId: 'PostSubscriptionsSubscriptionResume',
    summary: 'Resume a paused subscription: a new period from now, invoiced now',
    tag,
    access: 'write',
    auditAction: 'subscription.resumed',
    params: resumeSubscriptionParams,
    response: subscriptionSchema,
    handler: (ctx, params, path) => resumeSubscription(ctx, path.id as string, params),
  }),
];
