import type { Executor } from '../../db/database.ts';
import { API_VERSION } from '../../lib/api-version.ts';
import { invalidRequest, resourceMissing } from '../../lib/errors.ts';
import { hasPrefix, newId } from '../../lib/ids.ts';
import { paginate, type ListParams } from '../../lib/pagination.ts';
import { applyMetadata } from '../../lib/params.ts';
import { newToken } from '../../lib/secrets.ts';
import { unixSeconds, unixSecondsOrNull } from '../../lib/time.ts';
import { livemode, type RequestContext, type WorkspaceRef } from '../../server/context.ts';
import type { DeliveryRow, EndpointRow } from './models.ts';
import type {
  CreateEndpointParams,
  ListDeliveriesParams,
  UpdateEndpointParams,
  WebhookDeliveryObject,
  WebhookEndpointObject,
} from './schema.ts';

export function endpointObject(row: EndpointRow, workspace: WorkspaceRef, secret?: string): WebhookEndpointObject {
  return {
    id: row.id,
    object: 'webhook_endpoint',
    api_version: row.api_version,
    application: null,
    created: unixSeconds(row.created_at),
    description: row.description,
    enabled_events: row.enabled_events,
    livemode: livemode(workspace),
    metadata: row.metadata,
    ...(secret ? { secret } : {}),
    status: row.status,
    url: row.url,
  };
}

export function deliveryObject(row: DeliveryRow & { event_type: string }, workspace: WorkspaceRef): WebhookDeliveryObject {
  return {
    id: row.id,
    object: 'webhook_delivery',
    attempts: row.attempts,
    created: unixSeconds(row.created_at),
    delivered_at: unixSecondsOrNull(row.delivered_at),
    endpoint: row.endpoint_id,
    event: row.event_id,
    event_type: row.event_type,
    last_attempt_at: unixSecondsOrNull(row.last_attempt_at),
    last_error: row.last_error,
    last_response: row.last_response,
    last_status_code: row.last_status_code,
    livemode: livemode(workspace),
    next_attempt_at: row.status === 'pending' ? unixSecondsOrNull(row.next_attempt_at) : null,
    status: row.status,
  };
}

/** The same list without repeats, in the caller's order. */
function distinct(values: readonly string[]): string[] {
  return [...new Set(values)];
}

export async function findEndpoint(ctx: Pick<RequestContext, 'db' | 'workspace'>, id: string, options: { lock?: boolean } = {}): Promise<EndpointRow> {
  let query = ctx.db.selectFrom('webhook_endpoints').selectAll().where('workspace_id', '=', ctx.workspace.id).where('id', '=', id);
  if (options.lock) query = query.forUpdate();
  const row = hasPrefix(id, 'webhookEndpoint') ? await query.executeTakeFirst() : undefined;
  if (!row) throw resourceMissing('webhook_endpoint', id);
  return row;
}

/** Creates an endpoint; the response is the only one that carries its signing secret. */
export async function createEndpoint(ctx: RequestContext, params: CreateEndpointParams): Promise<WebhookEndpointObject> {
  // Recur renders events in one version: an endpoint cannot ask for another.
  if (params.api_version !== undefined && params.api_version !== API_VERSION) {
    throw invalidRequest(`Invalid api_version: Recur sends events in API version ${API_VERSION} only.`, 'api_version');
  }
  const secret = `whsec_${newToken(32)}`;
  const row = await ctx.db
    .insertInto('webhook_endpoints')
    .values({
      workspace_id: ctx.workspace.id,
      id: newId('webhookEndpoint'),
      url: params.url,
      description: params.description ?? null,
      enabled_events: distinct(params.enabled_events),
      metadata: JSON.stringify(applyMetadata({}, params.metadata)),
      status: 'enabled',
      secret_sealed: ctx.secrets.seal(secret),
      api_version: API_VERSION,
      disabled_at: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return endpointObject(row, ctx.workspace, secret);
}

export async function retrieveEndpoint(ctx: RequestContext, id: string): Promise<WebhookEndpointObject> {
  return endpointObject(await findEndpoint(ctx, id), ctx.workspace);
}

export async function updateEndpoint(ctx: RequestContext, id: string, params: UpdateEndpointParams): Promise<WebhookEndpointObject> {
  const current = await findEndpoint(ctx, id, { lock: true });
  const disabling = params.disabled === true && current.status === 'enabled';
  const enabling = params.disabled === false && current.status === 'disabled';
  const row = await ctx.db
    .updateTable('webhook_endpoints')
    .set({
      ...(params.url !== undefined ? { url: params.url } : {}),
      ...(params.enabled_events !== undefined ? { enabled_events: distinct(params.enabled_events) } : {}),
      ...(params.description !== undefined ? { description: params.description } : {}),
      ...(params.metadata !== undefined ? { metadata: JSON.stringify(applyMetadata(current.metadata, params.metadata)) } : {}),
      ...(disabling ? { status: 'disabled' as const, disabled_at: new Date() } : {}),
      ...(enabling ? { status: 'enabled' as const, disabled_at: null } : {}),
    })
    .where('workspace_id', '=', ctx.workspace.id)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  if (disabling) await stopPendingDeliveries(ctx.db, ctx.workspace.id, id);
  return endpointObject(row, ctx.workspace);
}

/**
 * A disabled endpoint is sent nothing more, not even the retries under way (as Stripe):
 * its pending deliveries fail, saying why. A manual retry can still send one.
 */
export async function stopPendingDeliveries(db: Executor, workspaceId: string, endpointId: string): Promise<void> {
  await db
    .updateTable('webhook_deliveries')
    .set({ status: 'failed', next_attempt_at: null, last_error: 'The endpoint was disabled.' })
    .where('workspace_id', '=', workspaceId)
    .where('endpoint_id', '=', endpointId)
    .where('status', '=', 'pending')
    .execute();
}

export async function listEndpoints(ctx: RequestContext, params: ListParams): Promise<{ data: WebhookEndpointObject[]; hasMore: boolean }> {
  const query = ctx.db.selectFrom('webhook_endpoints').selectAll().where('workspace_id', '=', ctx.workspace.id);
  const { rows, hasMore } = await paginate(query, params, 'id');
  return { data: rows.map((r) => endpointObject(r, ctx.workspace)), hasMore };
}

/** Deletes an endpoint for good, with its delivery log (as Stripe: it is a 404 afterwards). */
export async function deleteEndpoint(ctx: RequestContext, id: string): Promise<{ id: string; object: 'webhook_endpoint'; deleted: true }> {
  const deleted = hasPrefix(id, 'webhookEndpoint')
    ? await ctx.db.deleteFrom('webhook_endpoints').where('workspace_id', '=', ctx.workspace.id).where('id', '=', id).returning('id').executeTakeFirst()
    : undefined;
  if (!deleted) throw resourceMissing('webhook_endpoint', id);
  return { id, object: 'webhook_endpoint', deleted: true };
}

/** An endpoint's deliveries, newest first, optionally of one status. */
export async function listDeliveries(
  ctx: RequestContext,
  endpointId: string,
  params: ListDeliveriesParams,
): Promise<{ data: WebhookDeliveryObject[]; hasMore: boolean }> {
  await findEndpoint(ctx, endpointId);
  let query = ctx.db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('events as e', (join) => join.onRef('e.workspace_id', '=', 'd.workspace_id').onRef('e.id', '=', 'd.event_id'))
    .selectAll('d')
    .select('e.type as event_type')
    .where('d.workspace_id', '=', ctx.workspace.id)
    .where('d.endpoint_id', '=', endpointId);
  if (params.status !== undefined) query = query.where('d.status', '=', params.status);
  const { rows, hasMore } = await paginate(query, params, 'd.id');
  return { data: rows.map((r) => deliveryObject(r, ctx.workspace)), hasMore };
}
