import { z } from 'zod';
import { list } from '../../lib/pagination.ts';
import { route, type RouteSpec } from '../../server/route.ts';
import { emailMessageSchema, listEmailMessagesParams, retrieveEmailMessageParams } from './schema.ts';
import { listEmailMessages, retrieveEmailMessage } from './service.ts';

const tag = 'Email messages';

/** The outbox, for the dashboard (a Recur extension: Stripe has no such resource). */
export const emailMessageRoutes: RouteSpec[] = [
  route({
    method: 'GET',
    path: '/v1/email_messages',
    operationId: 'GetEmailMessages',
    summary: "List the email outbox, newest first (Recur's own): what was sent, is waiting or failed",
    tag,
    access: 'read',
    params: listEmailMessagesParams,
    response: z.object({ object: z.literal('list'), data: z.array(emailMessageSchema), has_more: z.boolean(), url: z.string() }),
    handler: async (ctx, params) => {
      const { data, hasMore } = await listEmailMessages(ctx, params);
      return list('/v1/email_messages', data, hasMore);
    },
  }),
  route({
    method: 'GET',
    path: '/v1/email_messages/:id',
    operationId: 'GetEmailMessagesId',
    summary: 'Retrieve a message from the email outbox',
    tag,
    access: 'read',
    params: retrieveEmailMessageParams,
    response: emailMessageSchema,
    handler: (ctx, _params, path) => retrieveEmailMessage(ctx, path.id as string),
  }),
];
