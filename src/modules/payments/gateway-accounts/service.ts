import { z } from 'zod';
import { invalidRequest, resourceMissing } from '../../../lib/errors.ts';
import { hasPrefix, newId } from '../../../lib/ids.ts';
import { paginate, type ListParams } from '../../../lib/pagination.ts';
import { applyMetadata } from '../../../lib/params.ts';
import { unixSeconds } from '../../../lib/time.ts';
import { livemode, type RequestContext, type WorkspaceRef } from '../../../server/context.ts';
import { gatewayDefinition, type RealGatewayKind } from '../gateways/registry.ts';
import type { GatewayAccountRow } from './models.ts';
import type { CreateGatewayAccountParams, GatewayAccountObject, UpdateGatewayAccountParams } from './schema.ts';

export function gatewayAccountObject(row: GatewayAccountRow, workspace: WorkspaceRef): GatewayAccountObject {
  return {
    id: row.id,
    object: 'gateway_account',
    api_base: row.api_base,
    created: unixSeconds(row.created_at),
    credentials_set: row.credential_fields,
    default: row.is_default,
    display_name: row.display_name,
    environment: row.environment,
    gateway: row.gateway,
    livemode: livemode(workspace),
    metadata: row.metadata,
    webhook_path: `/hooks/gateways/${row.id}`,
  };
}

/** The credentials checked by the gateway's own schema; errors name `credentials[field]`. */
function checkedCredentials(kind: RealGatewayKind, given: Record<string, string>): { sealedJson: string; fields: string[] } {
  const parsed = gatewayDefinition(kind).credentials.safeParse(given);
  if (!parsed.success) {
    const issue = parsed.error.issues[0] as z.core.$ZodIssue;
    const field = issue.code === 'unrecognized_keys' ? issue.keys[0] : issue.path[0];
    const param = field === undefined ? 'credentials' : `credentials[${String(field)}]`;
    const problem = issue.code === 'unrecognized_keys' ? `is not a credential of ${kind}` : issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : issue.message;
    throw invalidRequest(`Invalid ${param}: ${problem}.`, param);
  }
  return { sealedJson: JSON.stringify(parsed.data), fields: Object.keys(given).sort() };
}

/** Sandbox workspaces use gateways' sandboxes and live ones their production: never crossed. */
function environmentOf(ctx: RequestContext, given: 'sandbox' | 'production' | undefined): 'sandbox' | 'production' {
  const expected = ctx.workspace.mode === 'live' ? 'production' : 'sandbox';
  if (given !== undefined && given !== expected) {
    throw invalidRequest(`A ${ctx.workspace.mode} workspace uses the gateway's ${expected} environment, not ${given}.`, 'environment');
  }
  return expected;
}

/** The account `id` (a 404 naming `param` when there is none). */
async function findRow(ctx: RequestContext, id: string, param = 'id'): Promise<GatewayAccountRow> {
  const row = hasPrefix(id, 'gatewayAccount')
    ? await ctx.db
        .selectFrom('gateway_accounts')
        .selectAll()
        .where('workspace_id', '=', ctx.workspace.id)
        .where('id', '=', id)
        .where('deleted_at', 'is', null)
        .executeTakeFirst()
    : undefined;
  if (!row) throw resourceMissing('gateway_account', id, param);
  return row;
}

/** Takes the default from the workspace's other accounts (one default at a time). */
async function clearDefault(ctx: RequestContext, exceptId: string): Promise<void> {
  await ctx.db
    .updateTable('gateway_accounts')
    .set({ is_default: false, updated_at: new Date() })
    .where('workspace_id', '=', ctx.workspace.id)
    .where('is_default', '=', true)
    .where('id', '!=', exceptId)
    .execute();
}

export async function createGatewayAccount(ctx: RequestContext, params: CreateGatewayAccountParams): Promise<GatewayAccountObject> {
  const { sealedJson, fields } = checkedCredentials(params.gateway, params.credentials);
  const environment = environmentOf(ctx, params.environment);
  const now = new Date();
  const id = newId('gatewayAccount', now.getTime());
  // The workspace's first account is its default unless told otherwise.
  const others = await ctx.db.selectFrom('gateway_accounts').select('id').where('workspace_id', '=', ctx.workspace.id).where('deleted_at', 'is', null).limit(1).execute();
  const isDefault = params.default ?? others.length === 0;
  if (isDefault) await clearDefault(ctx, id);
  const row = await ctx.db
    .insertInto('gateway_accounts')
    .values({
      workspace_id: ctx.workspace.id,
      id,
      gateway: params.gateway,
      display_name: params.display_name ?? gatewayDefinition(params.gateway).displayName,
      environment,
      api_base: params.api_base ?? null,
      credentials_sealed: ctx.secrets.seal(sealedJson),
      credential_fields: fields,
      is_default: isDefault,
      metadata: JSON.stringify(applyMetadata({}, params.metadata)),
      created_at: now,
      updated_at: now,
      deleted_at: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return gatewayAccountObject(row, ctx.workspace);
}

export async function retrieveGatewayAccount(ctx: RequestContext, id: string): Promise<GatewayAccountObject> {
  return gatewayAccountObject(await findRow(ctx, id), ctx.workspace);
}

export async function updateGatewayAccount(ctx: RequestContext, id: string, params: UpdateGatewayAccountParams): Promise<GatewayAccountObject> {
  const current = await findRow(ctx, id);
  const sealed = params.credentials === undefined ? null : checkedCredentials(current.gateway, params.credentials);
  if (params.default === true) await clearDefault(ctx, id);
  const row = await ctx.db
    .updateTable('gateway_accounts')
    .set({
      ...(sealed ? { credentials_sealed: ctx.secrets.seal(sealed.sealedJson), credential_fields: sealed.fields } : {}),
      ...(params.display_name !== undefined ? { display_name: params.display_name } : {}),
      ...(params.api_base !== undefined ? { api_base: params.api_base } : {}),
      ...(params.default !== undefined ? { is_default: params.default } : {}),
      ...(params.metadata !== undefined ? { metadata: JSON.stringify(applyMetadata(current.metadata, params.metadata)) } : {}),
      updated_at: new Date(),
    })
    .where('workspace_id', '=', ctx.workspace.id)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return gatewayAccountObject(row, ctx.workspace);
}

/**
 * Deleting keeps the row (its sealed credentials too): cards saved through the account
 * still charge and refund there until replaced. New cards can no longer be saved to it.
 */
export async function deleteGatewayAccount(ctx: RequestContext, id: string): Promise<{ id: string; object: 'gateway_account'; deleted: true }> {
  await findRow(ctx, id);
  await ctx.db
    .updateTable('gateway_accounts')
    .set({ deleted_at: new Date(), is_default: false, updated_at: new Date() })
    .where('workspace_id', '=', ctx.workspace.id)
    .where('id', '=', id)
    .execute();
  return { id, object: 'gateway_account', deleted: true };
}

export async function listGatewayAccounts(ctx: RequestContext, params: ListParams): Promise<{ data: GatewayAccountObject[]; hasMore: boolean }> {
  const query = ctx.db.selectFrom('gateway_accounts').selectAll().where('workspace_id', '=', ctx.workspace.id).where('deleted_at', 'is', null);
  const { rows, hasMore } = await paginate(query, params, 'id');
  return { data: rows.map((row) => gatewayAccountObject(row, ctx.workspace)), hasMore };
}

/** The account new cards are saved at (`requested`, else the default), or null for none. */
export async function accountForNewCards(ctx: RequestContext, requested: string | undefined): Promise<GatewayAccountRow | null> {
  if (requested !== undefined) {
    return findRow(ctx, requested, 'gateway_account');
  }
  return (
    (await ctx.db
      .selectFrom('gateway_accounts')
      .selectAll()
      .where('workspace_id', '=', ctx.workspace.id)
      .where('is_default', '=', true)
      .where('deleted_at', 'is', null)
      .executeTakeFirst()) ?? null
  );
}
