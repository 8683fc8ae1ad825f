import { sql, type RawBuilder } from 'kysely';

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
  return sql`UPDATE ${sql.raw(table)} t SET ${sql.raw(assignments.join(', '))} FROM jsonb_to_recordset(${JSON.stringify(rows, jsonReady)}::jsonb) AS u(${sql.raw(definition)}) WHERE ${sql.raw(match)}`;
}

function jsonReady(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}
