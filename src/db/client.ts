import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { copyStatement } from './copy.ts';

/**
 * How Recur talks to PostgreSQL, below Kysely: every pg client the pool hands out is
 * wrapped once, to save round trips, which are the dearest part of a request here.
 *
 * 1. Prepared statements. A parameterised query is named by a hash of its text, so
 *    PostgreSQL parses and plans it once per connection (about 1.5× the throughput of
 *    unnamed queries on small lookups). At most MAX_PREPARED names per connection; past
 *    that, queries run unnamed, so varying query shapes cannot grow server memory.
 * 2. BEGIN travels with the transaction's first statement ("BEGIN; <statement>" in one
 *    message), instead of costing a round trip of its own.
 * 3. COMMIT travels with the statement marked COMMIT_MARK, the transaction's last one
 *    ("<statement>; COMMIT"); the COMMIT that Kysely then sends is answered locally.
 *
 * 4. COPY … FROM STDIN, for a statement marked by db/copy.ts: its one parameter is the
 *    payload, streamed on this connection (pg-copy-streams).
 *
 * 2 and 3 use PostgreSQL's simple protocol, which takes no parameters, so those two
 * statements carry their values as literals, quoted by pg's own escapeLiteral. Only SQL
 * without quotes of its own is inlined (all values of Kysely-built SQL are parameters);
 * anything else falls back to a separate BEGIN.
 *
 * After a migration changes a table under a live connection, PostgreSQL refuses the old
 * plan once ("cached plan must not change result type"); the connection then moves to
 * fresh names and the failed request is answered as retryable (server/errors.ts).
 */
export const COMMIT_MARK = '/* recur:commit */ ';

const MAX_PREPARED = 1000;
const names = new Map<string, string>();
const STATE = Symbol('recur.client');

const pgUtils = createRequire(import.meta.url)('pg/lib/utils.js') as {
  prepareValue(value: unknown): unknown;
  escapeLiteral(value: string): string;
};

interface ClientState {
  generation: number;
  prepared: Set<string>;
  /** A BEGIN was asked for and not yet sent. */
  beginPending: boolean;
  /** The transaction was committed by a COMMIT_MARK statement. */
  committed: boolean;
}

type Result = pg.QueryResult;
type Wrapped = pg.PoolClient & { [STATE]?: ClientState };

function statementName(text: string): string {
  let name = names.get(text);
  if (!name) {
    name = createHash('sha1').update(text).digest('base64url').slice(0, 22);
    if (names.size < 20_000) names.set(text, name);
  }
  return name;
}

function literal(value: unknown): string {
  const prepared = pgUtils.prepareValue(value);
  if (prepared === null) return 'NULL';
  if (Buffer.isBuffer(prepared)) return `'\\x${prepared.toString('hex')}'::bytea`;
  const text = String(prepared);
  // Most values have nothing to escape; pg's escapeLiteral walks every character.
  return text.includes("'") || text.includes('\\') ? pgUtils.escapeLiteral(text) : `'${text}'`;
}

/** The statement with its $n placeholders replaced by quoted literals, or null if unsafe to do. */
export function inlineValues(text: string, values: readonly unknown[]): string | null {
  if (text.includes("'") || text.includes('$$') || text.includes('"$')) return null;
  return text.replace(/\$(\d+)/g, (_match, n: string) => literal(values[Number(n) - 1]));
}

function done(command: string): Promise<Result> {
  return Promise.resolve({ command, rowCount: null, oid: 0, rows: [], fields: [] } as Result);
}

export function isStalePlanError(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  return e.code === '0A000' && /cached plan must not change result type/.test(e.message ?? '');
}

/** Runs a COPY … FROM STDIN with its whole payload (db/copy.ts). */
function copyFromText(plain: (...args: unknown[]) => unknown, statement: string, payload: string): Promise<Result> {
  return new Promise((resolve, reject) => {
    const stream = plain(copyFrom(statement)) as ReturnType<typeof copyFrom>;
    stream.on('error', reject);
    stream.on('finish', () => resolve({ command: 'COPY', rowCount: stream.rowCount, oid: 0, rows: [], fields: [] } as Result));
    stream.end(payload);
  });
}

export function wrapClient(client: pg.PoolClient): pg.PoolClient {
  const target = client as Wrapped;
  if (target[STATE]) return client;
  const state: ClientState = { generation: 0, prepared: new Set(), beginPending: false, committed: false };
  target[STATE] = state;
  const plain = client.query.bind(client) as (...args: unknown[]) => Promise<Result | Result[]>;
  const single = (...args: unknown[]) => plain(...args) as Promise<Result>;
  const last = (results: Result | Result[], index: number) => (Array.isArray(results) ? (results[index] as Result) : results);

  function prepared(text: string, values: unknown[]): Promise<Result> {
    const name = `r${state.generation}_${statementName(text)}`;
    if (!state.prepared.has(name)) {
      if (state.prepared.size >= MAX_PREPARED) return single(text, values);
      state.prepared.add(name);
    }
    return single({ name, text, values }).catch((error: unknown) => {
      if (isStalePlanError(error)) {
        state.generation += 1;
        state.prepared.clear();
      }
      throw error;
    });
  }

  const query = (...args: unknown[]): Promise<Result> => {
    const [text, rawValues] = args;
    // Callbacks, config objects and streams (pg.Pool.query, cursors) pass through untouched.
    if (args.length > 2 || typeof text !== 'string' || (rawValues !== undefined && !Array.isArray(rawValues))) {
      return plain(...args) as Promise<Result>;
    }
    const values = (rawValues ?? []) as unknown[];
    const keyword = values.length === 0 ? text.trim().toLowerCase() : '';
    if (keyword === 'begin') {
      state.beginPending = true;
      state.committed = false;
      return done('BEGIN');
    }
    if (keyword === 'commit' || keyword === 'rollback') {
      const wasPending = state.beginPending;
      const wasCommitted = state.committed;
      state.beginPending = false;
      state.committed = false;
      // Nothing was sent since BEGIN, or a marked statement already committed.
      if (wasPending || (wasCommitted && keyword === 'commit')) return done(keyword.toUpperCase());
      return single(text);
    }
    const copy = copyStatement(text);
    if (copy !== null) {
      if (state.beginPending) {
        state.beginPending = false;
        return single('BEGIN').then(() => query(text, values));
      }
      return copyFromText(plain, copy, String(values[0] ?? ''));
    }
    const commits = text.startsWith(COMMIT_MARK);
    const inlined = state.beginPending || commits ? inlineValues(text, values) : null;
    if (inlined !== null) {
      const begin = state.beginPending;
      state.beginPending = false;
      const sql = `${begin ? 'BEGIN; ' : ''}${inlined}${commits ? '; COMMIT' : ''}`;
      return plain(sql).then((results) => {
        if (commits) state.committed = true;
        return last(results, begin ? 1 : 0);
      });
    }
    if (state.beginPending) {
      state.beginPending = false;
      return single('BEGIN').then(() => query(text, values));
    }
    return values.length > 0 ? prepared(text, values) : single(text);
  };
  client.query = query as typeof client.query;
  return client;
}
