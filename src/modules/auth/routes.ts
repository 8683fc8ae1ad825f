import { sql } from 'kysely';
import { z } from 'zod';
import { forgetCachedKeys, KEY_CHANGE_NOTIFY } from '../../server/auth.ts';
import { list } from '../../lib/pagination.ts';
import { bool, clearableStr, expandParam, oneOf, str } from '../../lib/params.ts';
import { route, type RouteSpec } from '../../server/route.ts';
import type { Expanders } from '../../server/expand.ts';
import { apiKeyObject, apiKeySchema, createApiKey, listApiKeys, revokeApiKey } from './api-keys.ts';
import { getUser, inviteUser, listUsers, reissueInvite, updateUser, userObject, userSchema } from './users.ts';

const tag = 'Team';
const role = oneOf(['owner', 'admin', 'support']);

export const teamRoutes: RouteSpec[] = [
  route({
    method: 'GET',
    path: '/v1/api_keys',
    operationId: 'GetApiKeys',
    summary: "List the workspace's API keys (never the keys themselves)",
    tag,
    access: 'team',
    params: z.strictObject({ expand: expandParam }),
    response: z.object({ object: z.literal('list'), data: z.array(apiKeySchema), has_more: z.boolean(), url: z.string() }),
    handler: async (ctx) => {
      const rows = await listApiKeys(ctx.db, ctx.workspace.id);
      return list('/v1/api_keys', rows.map((r) => apiKeyObject(r, ctx.workspace.mode)), false);
    },
  }),
  route({
    method: 'POST',
    path: '/v1/api_keys',
    operationId: 'PostApiKeys',
    summary: 'Create an API key; the response is the only place the key is ever shown',
    tag,
    access: 'team',
    auditAction: 'api_key.created',
    // A replay of this request must not hand out the key again, nor keep it stored.
    replayOmits: ['secret'],
    params: z.strictObject({ type: oneOf(['secret', 'publishable']).optional(), name: clearableStr(100).optional(), expand: expandParam }),
    response: apiKeySchema,
    handler: async (ctx, params) => {
      const { row, secret } = await createApiKey(ctx.db, ctx.workspace, {
        type: params.type ?? 'secret',
        name: params.name,
        createdBy: ctx.actor.id,
      });
      return apiKeyObject(row, ctx.workspace.mode, secret);
    },
  }),
  route({
    method: 'POST',
    path: '/v1/api_keys/:id/revoke',
    operationId: 'PostApiKeysRevoke',
    summary: 'Revoke an API key: requests with it fail from now on',
    tag,
    access: 'team',
    auditAction: 'api_key.revoked',
    params: z.strictObject({ expand: expandParam }),
    response: apiKeySchema,
    handler: async (ctx, _params, path) => {
      const row = await revokeApiKey(ctx.db, ctx.workspace.id, path.id as string);
      // Other processes hear the NOTIFY at commit; this one forgets the key right then too.
      await sql.raw(KEY_CHANGE_NOTIFY).execute(ctx.db);
      ctx.afterCommit(forgetCachedKeys);
      return apiKeyObject(row, ctx.workspace.mode);
    },
  }),
  route({
    method: 'GET',
    path: '/v1/users',
    operationId: 'GetUsers',
    summary: "List the account's team members",
    tag,
    access: 'team',
    params: z.strictObject({}),
    response: z.object({ object: z.literal('list'), data: z.array(userSchema), has_more: z.boolean(), url: z.string() }),
    handler: async (ctx) => list('/v1/users', (await listUsers(ctx.db, ctx.workspace.accountId)).map(userObject), false),
  }),
  route({
    method: 'POST',
    path: '/v1/users',
    operationId: 'PostUsers',
    summary: 'Invite a team member with a role; the response carries the one-time invitation link',
    tag,
    access: 'team',
    auditAction: 'user.invited',
    auditScope: 'account',
    replayOmits: ['invite_url'],
    params: z.strictObject({ email: str(320).regex(/^[^\s@]+@[^\s@]+$/, { error: 'must be a valid email address' }), role, name: clearableStr(200).optional() }),
    response: userSchema.extend({ invite_url: z.string() }),
    handler: async (ctx, params) => {
      const { user, inviteToken } = await inviteUser(ctx.db, ctx.workspace.accountId, ctx.actor, params);
      return { ...userObject(user), invite_url: `/admin/invite/${inviteToken}` };
    },
  }),
  route({
    method: 'POST',
    path: '/v1/users/:id',
    operationId: 'PostUsersUser',
    summary: "Change a team member's role or name, or disable them",
    tag,
    access: 'team',
    auditAction: 'user.updated',
    auditScope: 'account',
    params: z.strictObject({ role: role.optional(), name: clearableStr(200).optional(), disabled: bool().optional() }),
    response: userSchema,
    handler: async (ctx, params, path) => userObject(await updateUser(ctx.db, ctx.workspace.accountId, ctx.actor, path.id as string, params)),
  }),
  route({
    method: 'POST',
    path: '/v1/users/:id/invitation',
    operationId: 'PostUsersUserInvitation',
    summary: 'Send a team member who has not joined yet a new invitation link (the old one stops working)',
    tag,
    access: 'team',
    auditAction: 'user.reinvited',
    auditScope: 'account',
    replayOmits: ['invite_url'],
    params: z.strictObject({}),
    response: userSchema.extend({ invite_url: z.string() }),
    handler: async (ctx, _params, path) => {
      const { user, inviteToken } = await reissueInvite(ctx.db, ctx.workspace.accountId, ctx.actor, path.id as string);
      return { ...userObject(user), invite_url: `/admin/invite/${inviteToken}` };
    },
  }),
];

export const teamExpanders: Expanders = {
  api_key: {
    created_by: async (ctx, id) => userObject(await getUser(ctx.db, ctx.workspace.accountId, id)),
  },
};
