import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { copyInto, copyPayload } from './copy.ts';
import { connect, type DatabaseHandle } from './database.ts';

const table = `copy_probe_${process.pid}`;
let database: DatabaseHandle;

const COLUMNS = `(id int PRIMARY KEY, label text, amount bigint, ok boolean, at timestamptz, tags text[], doc jsonb, raw bytea, note text DEFAULT 'default')`;

beforeAll(async () => {
  database = connect(inject('databaseUrl'), { max: 2 });
  await database.pool.query(`CREATE TABLE ${table} ${COLUMNS}`);
  await database.pool.query(`CREATE TABLE ${table}_insert ${COLUMNS}`);
});
afterAll(async () => {
  await database.pool.query(`DROP TABLE IF EXISTS ${table}, ${table}_insert`);
  await database.close();
});

type Row = { id: number; label: string | null; amount: bigint; ok: boolean; at: Date; tags: string[]; doc: string; raw: Buffer };

const rowArb = (id: number) =>
  fc.record({
    id: fc.constant(id),
    // Any text PostgreSQL can hold (no NUL), including tabs, newlines, backslashes and \N.
    label: fc.option(fc.oneof(fc.string({ unit: 'binary' }), fc.constantFrom('\\N', '\t', '\\', '\r\n', 'a\\tb')).map((s) => s.replace(/\0/g, '')), { nil: null }),
    amount: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
    ok: fc.boolean(),
    at: fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2200-01-01T00:00:00Z'), noInvalidDate: true }),
    tags: fc.array(fc.string().map((s) => s.replace(/\0/g, '')), { maxLength: 3 }),
    doc: fc.jsonValue().map((v) => JSON.stringify(v).replace(/\\u0000/g, '')),
    raw: fc.uint8Array({ maxLength: 8 }).map((a) => Buffer.from(a)),
  });

async function readBack(name: string) {
  const { rows } = await database.pool.query(`SELECT * FROM ${name} ORDER BY id`);
  return rows;
}

describe('COPY … FROM STDIN (db/copy.ts)', () => {
  it('writes exactly what the same rows inserted with INSERT write, whatever the text holds', async () => {
    await fc.assert(
      fc.asyncProperty(fc.tuple(...Array.from({ length: 60 }, (_, i) => rowArb(i + 1))), async (rows: Row[]) => {
        await database.pool.query(`TRUNCATE ${table}, ${table}_insert`);
        const copy = copyInto(table, rows);
        expect(copy).not.toBeNull();
        await database.db.transaction().execute(async (trx) => {
          await copy?.execute(trx);
        });
        await database.db.insertInto(`${table}_insert` as never).values(rows as never).execute();
        const [copied, inserted] = [await readBack(table), await readBack(`${table}_insert`)];
        expect(copied).toEqual(inserted);
        expect(copied.map((r) => r.note)).toEqual(rows.map(() => 'default'));
      }),
      { numRuns: 15 },
    );
  });

  it('rolls back with its transaction, and fails the statement on a bad row', async () => {
    await database.pool.query(`TRUNCATE ${table}`);
    const rows = [{ id: 1, label: 'a' }, { id: 1, label: 'duplicate' }];
    const failed = await database.db
      .transaction()
      .execute(async (trx) => {
        await sql`INSERT INTO ${sql.table(table)} (id, label) VALUES (99, 'before')`.execute(trx);
        await copyInto(table, rows)?.execute(trx);
      })
      .then(
        () => null,
        (error: unknown) => error as { code?: string },
      );
    expect(failed?.code).toBe('23505');
    expect(await readBack(table)).toEqual([]);
  });

  it('refuses rows whose columns differ (a missing key is a default COPY cannot express)', () => {
    expect(copyInto(table, [{ id: 1, label: 'a' }, { id: 2 }])).toBeNull();
    expect(copyInto(table, [{ id: 1, label: undefined }, { id: 2 }])).not.toBeNull();
    expect(copyInto(table, [])).toBeNull();
  });

  it('escapes the characters that end a field or a row, and writes NULL as \\N', () => {
    expect(copyPayload(['a', 'b'], [{ a: 'x\ty\nz\\', b: null }, { a: '\\N', b: 'r\r' }])).toBe('x\\ty\\nz\\\\\t\\N\n\\\\N\tr\\r\n');
  });
});
