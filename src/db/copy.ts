import { createRequire } from 'node:module';
import { sql, type RawBuilder } from 'kysely';

/**
 * Bulk inserts by COPY … FROM STDIN, PostgreSQL's fastest way in, for the billing run's
 * thousands of rows per batch: one text payload instead of one bound parameter per value,
 * which costs less on both sides (the engine's benchmark, docs/operations.md).
 *
 * Kysely has no COPY, so a COPY travels as a marked raw statement whose one parameter is
 * the payload; the pg client wrapper (db/client.ts) recognises the mark and streams the
 * payload on the same connection, inside the caller's transaction.
 */
export const COPY_MARK = '/* recur:copy */ ';

const pgUtils = createRequire(import.meta.url)('pg/lib/utils.js') as { prepareValue(value: unknown): unknown };

/** COPY's text format: backslash escapes for the four characters that would break a row. */
function field(value: unknown): string {
  const prepared = pgUtils.prepareValue(value);
  if (prepared === null) return '\\N';
  if (Buffer.isBuffer(prepared)) return `\\\\x${prepared.toString('hex')}`;
  const text = String(prepared);
  // Four indexOf scans are an order of magnitude faster than one regex test on long JSON.
  const plain = text.indexOf('\\') === -1 && text.indexOf('\n') === -1 && text.indexOf('\t') === -1 && text.indexOf('\r') === -1;
  return plain ? text : text.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

/** The rows in COPY text format, one line each, values in `columns` order. */
export function copyPayload(columns: readonly string[], rows: readonly Record<string, unknown>[]): string {
  let out = '';
  for (const row of rows) {
    for (let i = 0; i < columns.length; i++) {
      if (i > 0) out += '\t';
      out += field(row[columns[i] as string]);
    }
    out += '\n';
  }
  return out;
}

/**
 * A COPY of `rows` into `table`, or null when the rows do not all have the same columns
 * (a missing key means the column's default, which COPY cannot say per row): the caller
 * then inserts them with INSERT. Values are converted as pg converts parameters, so a row
 * that INSERT accepts is copied the same.
 */
export function copyInto(table: string, rows: readonly Record<string, unknown>[]): RawBuilder<unknown> | null {
  const first = rows[0];
  if (!first) return null;
  const columns = Object.keys(first).filter((c) => first[c] !== undefined);
  const sameColumns = rows.every((row) => columns.every((c) => row[c] !== undefined) && Object.keys(row).filter((c) => row[c] !== undefined).length === columns.length);
  if (!sameColumns) return null;
  const statement = `${COPY_MARK}COPY ${quoteIdentifier(table)} (${columns.map(quoteIdentifier).join(', ')}) FROM STDIN`;
  // The payload is the statement's only parameter; db/client.ts streams it.
  return sql`${sql.raw(statement)} -- ${copyPayload(columns, rows)}`;
}

function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** The COPY statement of a marked text (without the mark and the payload's placeholder). */
export function copyStatement(text: string): string | null {
  if (!text.startsWith(COPY_MARK)) return null;
  return text.slice(COPY_MARK.length).replace(/ -- \$1$/, '');
}
