import { z } from 'zod';
import { list } from '../../lib/pagination.ts';
import { listParams, rangeFilter, str } from '../../lib/params.ts';
import { route, type RouteSpec } from '../../server/route.ts';
import { auditEntrySchema, listAudit } from './service.ts';

export const auditRoutes: RouteSpec[] = [
  route({
    method: 'GET',
    path: '/v1/audit_log',
    operationId: 'GetAuditLog',
    summary: 'List audit log entries for the account (every write: who, what, when, from where), newest first',
    tag: 'Team',
    access: 'team',
    params: z.strictObject({
      ...listParams,
      workspace: str(100).optional().describe("A workspace id, or 'account' for account-wide entries (team changes, sign-ins)."),
      actor: str(100).optional(),
      action: str(100).optional(),
      object_id: str(100).optional(),
      created: rangeFilter.optional(),
    }),
    response: z.object({ object: z.literal('list'), data: z.array(auditEntrySchema), has_more: z.boolean(), url: z.string() }),
    handler: async (ctx, params) => {
      const { data, hasMore } = await listAudit(ctx.db, ctx.workspace.accountId, params);
      return list('/v1/audit_log', data, hasMore);
    },
  }),
];
