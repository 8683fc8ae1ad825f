import { route, type RouteSpec } from '../../../server/route.ts';
import { dunningSettingsSchema, retrieveDunningSettingsParams, updateDunningSettingsParams } from './schema.ts';
import { retrieveDunningSettings, updateDunningSettings } from './service.ts';

const tag = 'Dunning';

// A Recur extension (Stripe keeps these settings in its dashboard only).
export const dunningRoutes: RouteSpec[] = [
  route({
    method: 'GET',
    path: '/v1/dunning_settings',
    operationId: 'GetDunningSettings',
    summary: "The workspace's retry schedule for failed payments and its final action (Recur extension)",
    tag,
    access: 'read',
    params: retrieveDunningSettingsParams,
    response: dunningSettingsSchema,
    handler: (ctx) => retrieveDunningSettings(ctx),
  }),
  route({
    method: 'POST',
    path: '/v1/dunning_settings',
    operationId: 'PostDunningSettings',
    summary: 'Set the retry schedule (days after the first failure) and what happens when it runs out (Recur extension)',
    tag,
    access: 'write',
    auditAction: 'dunning_settings.updated',
    params: updateDunningSettingsParams,
    response: dunningSettingsSchema,
    handler: (ctx, params) => updateDunningSettings(ctx, params),
  }),
];
