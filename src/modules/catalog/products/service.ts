import type { SelectQueryBuilder, Selectable } from 'kysely';
import type { Database } from '../../../db/database.ts';
import { decodePage, nextPage, searchCondition, type SearchFields } from '../../../db/search.ts';
import { ApiError, invalidRequest, resourceMissing } from '../../../lib/errors.ts';
import { newId } from '../../../lib/ids.ts';
import { paginateByCreation, whereCreated, type ListParams } from '../../../lib/pagination.ts';
import { applyMetadata, givenParams } from '../../../lib/params.ts';
import { parseSearchQuery } from '../../../lib/search-query.ts';
import { livemode, type RequestContext } from '../../../server/context.ts';
import { unixSeconds } from '../../../lib/time.ts';
import { recordEvent, recordUpdate } from '../../events/service.ts';
import type { ProductsTable } from './models.ts';
import {
  PRODUCT_ID_PATTERN,
  type CreateProductParams,
  type DeletedProductObject,
  type ListProductsParams,
  type ProductObject,
  type SearchProductsParams,
  type UpdateProductParams,
} from './schema.ts';

type ProductRow = Selectable<ProductsTable>;
type ProductQuery = SelectQueryBuilder<Database, 'products', ProductRow>;

export function productObject(row: ProductRow, ctx: Pick<RequestContext, 'workspace'>): ProductObject {
  return {
    id: row.id,
    object: 'product',
    active: row.active,
    created: unixSeconds(row.created_at),
    description: row.description,
    images: row.images,
    livemode: livemode(ctx.workspace),
    marketing_features: row.marketing_features,
    metadata: row.metadata,
    name: row.name,
    package_dimensions: row.package_dimensions,
    shippable: row.shippable,
    statement_descriptor: row.statement_descriptor,
    unit_label: row.unit_label,
    updated: unixSeconds(row.updated_at),
    url: row.url,
  };
}

async function findRow(ctx: RequestContext, id: string, options: { lock?: boolean } = {}): Promise<ProductRow> {
  let query = ctx.db.selectFrom('products').selectAll().where('workspace_id', '=', ctx.workspace.id).where('id', '=', id);
  if (options.lock) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) throw resourceMissing('product', id);
  return row;
}

/** A product of this workspace, for other modules (prices) to reference. */
export async function getProduct(ctx: RequestContext, id: string): Promise<ProductObject> {
  return productObject(await findRow(ctx, id), ctx);
}

function alreadyExists(id: string): ApiError {
  return invalidRequest(`Product already exists with id: '${id}'.`, 'id', 'resource_already_exists');
}

function insertable(row: ProductRow) {
  return {
    ...row,
    marketing_features: JSON.stringify(row.marketing_features),
    metadata: JSON.stringify(row.metadata),
    package_dimensions: JSON.stringify(row.package_dimensions),
  };
}

export async function createProduct(ctx: RequestContext, params: CreateProductParams): Promise<ProductObject> {
  const now = new Date();
  const row: ProductRow = {
    workspace_id: ctx.workspace.id,
    id: params.id ?? newId('product', now.getTime()),
    name: params.name,
    description: params.description ?? null,
    active: params.active ?? true,
    images: params.images ?? [],
    marketing_features: params.marketing_features ?? [],
    metadata: applyMetadata({}, params.metadata),
    url: params.url ?? null,
    statement_descriptor: params.statement_descriptor ?? null,
    unit_label: params.unit_label ?? null,
    shippable: params.shippable ?? null,
    package_dimensions: params.package_dimensions ?? null,
    created_at: now,
    updated_at: now,
  };
  if (params.id !== undefined) {
    // A chosen id may be taken: insert now, so a duplicate is this request's 400 rather than
    // a conflict at commit (also when a concurrent create of the same id commits first).
    const inserted = await ctx.db
      .insertInto('products')
      .values(insertable(row))
      .onConflict((oc) => oc.columns(['workspace_id', 'id']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!inserted) throw alreadyExists(row.id);
  } else {
    // A generated id is new: the row is inserted with the request's other rows at commit
    // (server/unit-of-work.ts), as nothing here reads it back.
    ctx.pending.inserts.push(ctx.db.insertInto('products').values(insertable(row)));
  }
  const product = productObject(row, ctx);
  recordEvent(ctx, 'product.created', product);
  return product;
}

export async function retrieveProduct(ctx: RequestContext, id: string): Promise<ProductObject> {
  return productObject(await findRow(ctx, id), ctx);
}

export async function updateProduct(ctx: RequestContext, id: string, params: UpdateProductParams): Promise<ProductObject> {
  const current = await findRow(ctx, id, { lock: true });
  const row = await ctx.db
    .updateTable('products')
    .set({
      ...givenParams(params, ['name', 'description', 'active', 'images', 'url', 'statement_descriptor', 'unit_label', 'shippable']),
      ...(params.marketing_features !== undefined ? { marketing_features: JSON.stringify(params.marketing_features) } : {}),
      ...(params.metadata !== undefined ? { metadata: JSON.stringify(applyMetadata(current.metadata, params.metadata)) } : {}),
      ...(params.package_dimensions !== undefined ? { package_dimensions: JSON.stringify(params.package_dimensions) } : {}),
      updated_at: new Date(),
    })
    .where('workspace_id', '=', ctx.workspace.id)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  const before = productObject(current, ctx);
  const after = productObject(row, ctx);
  recordUpdate(ctx, 'product.updated', before, after, ['updated']);
  return after;
}

/**
 * Deletes the row: Stripe keeps no tombstone for products (a retrieve afterwards is a 404).
 * A product that has prices cannot be deleted, as in Stripe (archive it instead). The row
 * lock makes a concurrent price create (which locks the product FOR SHARE) finish first.
 */
export async function deleteProduct(ctx: RequestContext, id: string): Promise<DeletedProductObject> {
  const current = await findRow(ctx, id, { lock: true });
  const price = await ctx.db
    .selectFrom('prices')
    .select('id')
    .where('workspace_id', '=', ctx.workspace.id)
    .where('product_id', '=', id)
    .limit(1)
    .executeTakeFirst();
  if (price) {
    throw invalidRequest('This product cannot be deleted because it has one or more user-created prices.', 'id', 'resource_in_use');
  }
  await ctx.db.deleteFrom('products').where('workspace_id', '=', ctx.workspace.id).where('id', '=', id).execute();
  recordEvent(ctx, 'product.deleted', productObject(current, ctx));
  return { id, object: 'product', deleted: true };
}

function products(ctx: RequestContext): ProductQuery {
  return ctx.db.selectFrom('products').selectAll().where('workspace_id', '=', ctx.workspace.id);
}

/** Newest first, by (created_at, id): chosen ids do not sort by creation time. */
function paginateProducts(
  ctx: RequestContext,
  query: ProductQuery,
  params: ListParams,
  cursorParam?: string,
): Promise<{ rows: ProductRow[]; hasMore: boolean }> {
  return paginateByCreation(query, params, {
    objectName: 'product',
    ...(cursorParam ? { cursorParam } : {}),
    createdAt: async (id) =>
      (
        await ctx.db
          .selectFrom('products')
          .select('created_at')
          .where('workspace_id', '=', ctx.workspace.id)
          .where('id', '=', id)
          .executeTakeFirst()
      )?.created_at,
  });
}

export async function listProducts(
  ctx: RequestContext,
  params: ListProductsParams,
): Promise<{ data: ProductObject[]; hasMore: boolean }> {
  let query = products(ctx);
  if (params.active !== undefined) query = query.where('active', '=', params.active);
  if (params.shippable !== undefined) query = query.where('shippable', '=', params.shippable);
  if (params.url !== undefined) query = query.where('url', '=', params.url);
  if (params.ids !== undefined) {
    if (params.starting_after !== undefined || params.ending_before !== undefined) {
      throw invalidRequest('ids cannot be used with starting_after or ending_before.', 'ids');
    }
    if (params.ids.length === 0) return { data: [], hasMore: false };
    query = query.where('id', 'in', params.ids);
  }
  query = whereCreated(query, params.created, 'created_at');
  const { rows, hasMore } = await paginateProducts(ctx, query, params);
  return { data: rows.map((r) => productObject(r, ctx)), hasMore };
}

const PRODUCT_SEARCH: SearchFields = {
  resource: 'products',
  text: ['name', 'description', 'url'],
  boolean: ['active', 'shippable'],
  timestamp: { created: 'created_at' },
  metadata: true,
};

export async function searchProducts(
  ctx: RequestContext,
  params: SearchProductsParams,
): Promise<{ data: ProductObject[]; hasMore: boolean; nextPage: string | null }> {
  const query = products(ctx).where(searchCondition(parseSearchQuery(params.query), PRODUCT_SEARCH));
  const page = { limit: params.limit, starting_after: decodePage(params.page, PRODUCT_ID_PATTERN) };
  const { rows, hasMore } = await paginateProducts(ctx, query, page, 'page');
  return { data: rows.map((r) => productObject(r, ctx)), hasMore, nextPage: nextPage(rows, hasMore) };
}
