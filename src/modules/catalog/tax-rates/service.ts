import type { Selectable } from 'kysely';
import { resourceMissing } from '../../../lib/errors.ts';
import { newId } from '../../../lib/ids.ts';
import { paginate, whereCreated } from '../../../lib/pagination.ts';
import { applyMetadata, givenParams } from '../../../lib/params.ts';
import { livemode, type RequestContext } from '../../../server/context.ts';
import { unixSeconds } from '../../../lib/time.ts';
import { recordEvent, recordUpdate } from '../../events/service.ts';
import type { TaxRatesTable } from './models.ts';
import type { CreateTaxRateParams, ListTaxRatesParams, TaxRateObject, UpdateTaxRateParams } from './schema.ts';

type TaxRateRow = Selectable<TaxRatesTable>;

export function taxRateObject(row: TaxRateRow, ctx: Pick<RequestContext, 'workspace'>): TaxRateObject {
  // numeric(7,4) holds at most 7 significant digits: the nearest double prints back as the
  // same decimal ("19.6000" → 19.6), so the number is exactly what was sent.
  const percentage = Number(row.percentage);
  return {
    id: row.id,
    object: 'tax_rate',
    active: row.active,
    country: row.country,
    created: unixSeconds(row.created_at),
    description: row.description,
    display_name: row.display_name,
    effective_percentage: percentage,
    flat_amount: null,
    inclusive: row.inclusive,
    jurisdiction: row.jurisdiction,
    jurisdiction_level: null,
    livemode: livemode(ctx.workspace),
    metadata: row.metadata,
    percentage,
    rate_type: 'percentage',
    state: row.state,
    tax_type: row.tax_type,
  };
}

async function findRow(ctx: RequestContext, id: string, options: { lock?: boolean } = {}): Promise<TaxRateRow> {
  let query = ctx.db.selectFrom('tax_rates').selectAll().where('workspace_id', '=', ctx.workspace.id).where('id', '=', id);
  if (options.lock) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) throw resourceMissing('tax_rate', id);
  return row;
}

/** A tax rate of this workspace (active or archived), for other modules to reference. */
export async function getTaxRate(ctx: RequestContext, id: string): Promise<TaxRateObject> {
  return taxRateObject(await findRow(ctx, id), ctx);
}

export async function createTaxRate(ctx: RequestContext, params: CreateTaxRateParams): Promise<TaxRateObject> {
  const now = new Date();
  const row: TaxRateRow = {
    workspace_id: ctx.workspace.id,
    id: newId('taxRate', now.getTime()),
    display_name: params.display_name,
    description: params.description ?? null,
    percentage: params.percentage,
    inclusive: params.inclusive,
    active: params.active ?? true,
    country: params.country?.toUpperCase() ?? null,
    state: params.state?.toUpperCase() ?? null,
    jurisdiction: params.jurisdiction ?? null,
    tax_type: params.tax_type ?? null,
    metadata: applyMetadata({}, params.metadata),
    created_at: now,
    updated_at: now,
  };
  // Nothing here reads the row back, so it is inserted with the request's other rows in
  // one message at commit (server/unit-of-work.ts).
  ctx.pending.inserts.push(ctx.db.insertInto('tax_rates').values({ ...row, metadata: JSON.stringify(row.metadata) }));
  const taxRate = taxRateObject(row, ctx);
  recordEvent(ctx, 'tax_rate.created', taxRate);
  return taxRate;
}

export async function retrieveTaxRate(ctx: RequestContext, id: string): Promise<TaxRateObject> {
  return taxRateObject(await findRow(ctx, id), ctx);
}

export async function updateTaxRate(ctx: RequestContext, id: string, params: UpdateTaxRateParams): Promise<TaxRateObject> {
  const current = await findRow(ctx, id, { lock: true });
  const row = await ctx.db
    .updateTable('tax_rates')
    .set({
      ...givenParams(params, ['display_name', 'description', 'active', 'jurisdiction', 'tax_type']),
      ...(params.country !== undefined ? { country: params.country?.toUpperCase() ?? null } : {}),
      ...(params.state !== undefined ? { state: params.state?.toUpperCase() ?? null } : {}),
      ...(params.metadata !== undefined ? { metadata: JSON.stringify(applyMetadata(current.metadata, params.metadata)) } : {}),
      updated_at: new Date(),
    })
    .where('workspace_id', '=', ctx.workspace.id)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  const before = taxRateObject(current, ctx);
  const after = taxRateObject(row, ctx);
  recordUpdate(ctx, 'tax_rate.updated', before, after);
  return after;
}

export async function listTaxRates(
  ctx: RequestContext,
  params: ListTaxRatesParams,
): Promise<{ data: TaxRateObject[]; hasMore: boolean }> {
  let query = ctx.db.selectFrom('tax_rates').selectAll().where('workspace_id', '=', ctx.workspace.id);
  if (params.active !== undefined) query = query.where('active', '=', params.active);
  if (params.inclusive !== undefined) query = query.where('inclusive', '=', params.inclusive);
  query = whereCreated(query, params.created, 'created_at');
  const { rows, hasMore } = await paginate(query, params, 'id');
  return { data: rows.map((r) => taxRateObject(r, ctx)), hasMore };
}
