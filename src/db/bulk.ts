import { sql, type RawBuilder, type SqlBool } from 'kysely';

/**
 * One UPDATE for many rows, each with its own values: the rows travel as one jsonb array
 * (`jsonb_to_recordset`), so a batch of a thousand is one statement and one round trip.
 * `columns` maps each column to its SQL type; the first `keys` columns identify the row.
 * Values must be JSON-ready: Dates as ISO strings, bigints as strings, objects as is (jsonb).
 */
export function bulkUpdate(
  table: string,
  keys: readonly string[],
  columns: Readonly<Record<string, string>>,
  rows: readonly Record<string, unknown>[],
): RawBuilder<unknown> {
  const names = Object.keys(columns);
  const definition = names.map((name) => `${name} ${columns[name]}`).join(', ');
  const assignments = names.filter((name) => !keys.includes(name)).map((name) => `${name} = u.${name}`);
  const match = keys.map((key) => `t.${key} = u.${key}`).join(' AND ');
  return sql`UPDATE ${sql.raw(table)} t SET ${sql.raw(assignments.join(', '))} FROM jsonb_to_recordset(${jsonRows(rows)}::jsonb) AS u(${sql.raw(definition)}) WHERE ${sql.raw(match)}`;
}

/** Rows as the JSON text `jsonb_to_recordset` reads: bigints as strings, Dates as ISO text. */
export function jsonRows(rows: readonly Record<string, unknown>[]): string {
  return JSON.stringify(rows, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value));
}

/** A workspace-scoped key: the workspace and an id in it. */
export interface WorkspaceKey {
  workspace_id: string;
  id: string;
}

/**
 * `(workspaceColumn, idColumn) IN (the keys)`: one condition for a batch of keys from any
 * workspaces, sent as two arrays (so the statement's text does not change with the count).
 */
export function inWorkspaceKeys(keys: readonly WorkspaceKey[], idColumn = 'id', workspaceColumn = 'workspace_id'): RawBuilder<SqlBool> {
  return sql<SqlBool>`(${sql.ref(workspaceColumn)}, ${sql.ref(idColumn)}) IN (SELECT * FROM unnest(${keys.map((k) => k.workspace_id)}::text[], ${keys.map((k) => k.id)}::text[]))`;
}
