import { z } from 'zod';
import { list } from '../../../lib/pagination.ts';
import { route, type RouteSpec } from '../../../server/route.ts';
import {
  createGatewayAccountParams,
  deletedGatewayAccountSchema,
  deleteGatewayAccountParams,
  gatewayAccountSchema,
  listGatewayAccountsParams,
  retrieveGatewayAccountParams,
  updateGatewayAccountParams,
} from './schema.ts';
import { createGatewayAccount, deleteGatewayAccount, listGatewayAccounts, retrieveGatewayAccount, updateGatewayAccount } from './service.ts';

const tag = 'Gateway accounts';
const base = '/v1/gateway_accounts';

// A Recur extension: Stripe is its own gateway; Recur charges through the workspace's.
export const gatewayAccountRoutes: RouteSpec[] = [
  route({
    method: 'POST',
    path: base,
    operationId: 'PostGatewayAccounts',
    summary: 'Connect a payment gateway account (credentials are sealed and never returned) (Recur extension)',
    tag,
    access: 'write',
    auditAction: 'gateway_account.created',
    params: createGatewayAccountParams,
    response: gatewayAccountSchema,
    handler: (ctx, params) => createGatewayAccount(ctx, params),
  }),
  route({
    method: 'GET',
    path: `${base}/:id`,
    operationId: 'GetGatewayAccountsGatewayAccount',
    summary: 'Retrieve a gateway account (Recur extension)',
    tag,
    access: 'read',
    params: retrieveGatewayAccountParams,
    response: gatewayAccountSchema,
    handler: (ctx, _params, path) => retrieveGatewayAccount(ctx, path.id as string),
  }),
  route({
    method: 'POST',
    path: `${base}/:id`,
    operationId: 'PostGatewayAccountsGatewayAccount',
    summary: 'Update a gateway account: replace its credentials, make it the default, rename it (Recur extension)',
    tag,
    access: 'write',
    auditAction: 'gateway_account.updated',
    params: updateGatewayAccountParams,
    response: gatewayAccountSchema,
    handler: (ctx, params, path) => updateGatewayAccount(ctx, path.id as string, params),
  }),
  route({
    method: 'GET',
    path: base,
    operationId: 'GetGatewayAccounts',
    summary: 'List the gateway accounts, newest first (Recur extension)',
    tag,
    access: 'read',
    params: listGatewayAccountsParams,
    response: z.object({ object: z.literal('list'), data: z.array(gatewayAccountSchema), has_more: z.boolean(), url: z.string() }),
    handler: async (ctx, params) => {
      const { data, hasMore } = await listGatewayAccounts(ctx, params);
      return list(base, data, hasMore);
    },
  }),
  route({
    method: 'DELETE',
    path: `${base}/:id`,
    operationId: 'DeleteGatewayAccountsGatewayAccount',
    summary: 'Disconnect a gateway account: no new cards are saved there; cards saved through it still charge (Recur extension)',
    tag,
    access: 'write',
    auditAction: 'gateway_account.deleted',
    params: deleteGatewayAccountParams,
    response: deletedGatewayAccountSchema,
    handler: (ctx, _params, path) => deleteGatewayAccount(ctx, path.id as string),
  }),
];
