import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { invalidRequest, type ApiError } from '../lib/errors.ts';
import { MAX_TIMESTAMP } from '../lib/params.ts';
import type { SearchClause, SearchOperator, SearchQuery } from '../lib/search-query.ts';
import { fromUnixSeconds } from '../lib/time.ts';

/**
 * Stripe's search (parsed by src/lib/search-query.ts) as one SQL condition, for every
 * `GET /v1/<resources>/search`. A resource names its searchable fields by kind; column names
 * come only from that spec, never from the query, and every value is a bound parameter.
 */
export interface SearchFields {
  /** The plural resource name errors use, e.g. 'customers'. */
  resource: string;
  /** `:` exact ignoring case, `~` substring; the column has the field's name. */
  text?: readonly string[];
  /** `:'true'` or `:'false'`; the column has the field's name. */
  boolean?: readonly string[];
  /** Exact with `:` only (e.g. `status`); the column has the field's name. */
  keyword?: readonly string[];
  /** Unix seconds with `:` `>` `<` `>=` `<=`: field → timestamptz column (created → created_at). */
  timestamp?: Readonly<Record<string, string>>;
  /** `metadata['key']:'value'` on a jsonb `metadata` column. */
  metadata?: boolean;
}

type Kind = 'text' | 'boolean' | 'keyword' | 'timestamp' | 'metadata';

const OPERATORS: Record<Kind, readonly SearchOperator[]> = {
  text: [':', '~'],
  boolean: [':'],
  keyword: [':'],
  timestamp: [':', '>', '<', '>=', '<='],
  metadata: [':'],
};

function invalidQuery(message: string): ApiError {
  return invalidRequest(`Invalid search query: ${message}`, 'query', 'search_query_invalid');
}

function fieldOf(fields: SearchFields, field: string): { kind: Kind; column: string } | undefined {
  if (field === 'metadata' && fields.metadata) return { kind: 'metadata', column: 'metadata' };
  if (fields.text?.includes(field)) return { kind: 'text', column: field };
  if (fields.boolean?.includes(field)) return { kind: 'boolean', column: field };
  if (fields.keyword?.includes(field)) return { kind: 'keyword', column: field };
  // hasOwn: a field named 'constructor' must not find Object.prototype's.
  const timestampColumn = fields.timestamp && Object.hasOwn(fields.timestamp, field) ? fields.timestamp[field] : undefined;
  return timestampColumn === undefined ? undefined : { kind: 'timestamp', column: timestampColumn };
}

function searchableFields(fields: SearchFields): string {
  const names = [...(fields.text ?? []), ...(fields.boolean ?? []), ...(fields.keyword ?? []), ...Object.keys(fields.timestamp ?? {})];
  if (fields.metadata) names.push('metadata');
  return names.sort().join(', ');
}

/**
 * A timestamp compared in whole unix seconds (`created` is floored, as objects show it),
 * written as a range on the column itself so that an index on it can serve the search.
 */
function timestampCondition(column: string, operator: SearchOperator, seconds: number): RawBuilder<SqlBool> {
  const col = sql.ref(column);
  const start = fromUnixSeconds(seconds);
  const next = fromUnixSeconds(seconds + 1);
  switch (operator) {
    case '>':
      return sql<SqlBool>`${col} >= ${next}`;
    case '>=':
      return sql<SqlBool>`${col} >= ${start}`;
    case '<':
      return sql<SqlBool>`${col} < ${start}`;
    case '<=':
      return sql<SqlBool>`${col} < ${next}`;
    default:
      return sql<SqlBool>`${col} >= ${start} AND ${col} < ${next}`;
  }
}

function likePattern(value: string): string {
  return `%${value.replace(/[\\%_]/g, '\\$&')}%`;
}

function clauseCondition(clause: SearchClause, fields: SearchFields): RawBuilder<SqlBool> {
  const { field, metadataKey, operator, value } = clause;
  // A [key] belongs to metadata only: `email['x']` is no field at all.
  const spec = metadataKey === undefined || field === 'metadata' ? fieldOf(fields, field) : undefined;
  if (spec?.kind === 'metadata') {
    if (metadataKey === undefined || operator !== ':') throw invalidQuery("use metadata['key']:'value'.");
    // Containment, so the GIN index on metadata serves it.
    return value === null
      ? sql<SqlBool>`NOT (${sql.ref(spec.column)} ? ${metadataKey})`
      : sql<SqlBool>`${sql.ref(spec.column)} @> ${JSON.stringify({ [metadataKey]: String(value) })}::jsonb`;
  }
  if (spec === undefined || !OPERATORS[spec.kind].includes(operator)) {
    const name = metadataKey === undefined ? field : `${field}['${metadataKey}']`;
    throw invalidQuery(
      `${fields.resource} cannot be searched by '${name}'${spec ? ` with ${operator}` : ''}. Searchable fields: ${searchableFields(fields)}.`,
    );
  }
  const column = sql.ref(spec.column);
  if (spec.kind === 'timestamp') {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_TIMESTAMP) {
      throw invalidQuery(`'${field}' takes a unix timestamp.`);
    }
    return timestampCondition(spec.column, operator, value);
  }
  if (spec.kind === 'boolean') {
    if (value !== 'true' && value !== 'false') throw invalidQuery(`'${field}' takes 'true' or 'false'.`);
    return sql<SqlBool>`${column} = ${value === 'true'}`;
  }
  if (value === null) return sql<SqlBool>`${column} IS NULL`;
  if (typeof value !== 'string') throw invalidQuery(`the value for '${field}' must be quoted.`);
  if (spec.kind === 'keyword') return sql<SqlBool>`${column} = ${value}`;
  if (operator === '~') return sql<SqlBool>`${column} ILIKE ${likePattern(value)}`;
  return sql<SqlBool>`lower(${column}) = lower(${value})`;
}

/** The whole query as one condition: clauses joined by its AND or OR, `-` negating one. */
export function searchCondition(query: SearchQuery, fields: SearchFields): RawBuilder<SqlBool> {
  const conditions = query.clauses.map((clause) => {
    const condition = clauseCondition(clause, fields);
    // A NULL column makes a clause NULL, and NOT NULL is still NULL: coalesce, so that `-`
    // finds every row the clause does not.
    return clause.negated ? sql<SqlBool>`(NOT coalesce((${condition}), false))` : sql<SqlBool>`(${condition})`;
  });
  return sql<SqlBool>`(${sql.join(conditions, query.combinator === 'AND' ? sql` AND ` : sql` OR `)})`;
}

/** `next_page`: the last id of this page, opaque to the client. */
export function nextPage(rows: readonly { id: string }[], hasMore: boolean): string | null {
  const last = rows.at(-1);
  return hasMore && last ? Buffer.from(last.id).toString('base64url') : null;
}

/** `page` back to the id to start after; anything that is not such an id is a 400. */
export function decodePage(page: string | undefined, idPattern: RegExp): string | undefined {
  if (page === undefined) return undefined;
  const id = Buffer.from(page, 'base64url').toString('utf8');
  if (!idPattern.test(id)) throw invalidRequest('Invalid page token.', 'page');
  return id;
}
