import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestAccount, startTestServer, type TestAccount, type TestServer } from '../../test/helpers/server.ts';
import { drainWork } from '../worker/runner.ts';
import { IDEMPOTENCY_RETENTION_MS, purgeIdempotencyKeys } from './idempotency.ts';

let server: TestServer;
let account: TestAccount;

beforeAll(async () => {
  server = await startTestServer();
  account = await createTestAccount(server.database);
});
afterAll(async () => server.close());

const HOUR = 3600 * 1000;

/** Stores a key the ordinary way (an idempotent POST), then backdates it. */
async function keyAged(ageMs: number): Promise<string> {
  const key = `purge-${ageMs}-${Math.random().toString(36).slice(2)}`;
  const response = await call(server.baseUrl, 'POST', '/v1/customers', { key: account.secretKey, form: 'name=Idem', headers: { 'idempotency-key': key } });
  expect(response.status).toBe(200);
  const updated = await server.database.db
    .updateTable('idempotency_keys')
    .set({ created_at: new Date(Date.now() - ageMs) })
    .where('workspace_id', '=', account.sandbox.id)
    .where('key', '=', key)
    .executeTakeFirst();
  expect(updated.numUpdatedRows).toBe(1n);
  return key;
}

async function storedKeys(): Promise<string[]> {
  const rows = await server.database.db.selectFrom('idempotency_keys').select('key').where('workspace_id', '=', account.sandbox.id).execute();
  return rows.map((r) => r.key).sort();
}

describe('idempotency key purge', () => {
  it('removes keys older than 24 hours and keeps younger ones', async () => {
    expect(IDEMPOTENCY_RETENTION_MS).toBe(24 * HOUR);
    const fresh = await keyAged(0);
    const almostDay = await keyAged(23.5 * HOUR);
    const overDay = await keyAged(24 * HOUR + 60_000);
    const week = await keyAged(7 * 24 * HOUR);
    expect(await storedKeys()).toEqual([fresh, almostDay, overDay, week].sort());

    await drainWork(server.database.db, [purgeIdempotencyKeys()]);
    expect(await storedKeys()).toEqual([fresh, almostDay].sort());

    // A purged key is free again: the same key now makes a new object instead of replaying.
    const reused = await call(server.baseUrl, 'POST', '/v1/customers', { key: account.secretKey, form: 'name=Again', headers: { 'idempotency-key': week } });
    expect(reused.status).toBe(200);
    expect(reused.headers.get('idempotent-replayed')).toBeNull();
    // A kept one still replays.
    const replayed = await call(server.baseUrl, 'POST', '/v1/customers', { key: account.secretKey, form: 'name=Idem', headers: { 'idempotency-key': almostDay } });
    expect(replayed.headers.get('idempotent-replayed')).toBe('true');
  });

  it('measures age from the clock it is given', async () => {
    const key = await keyAged(23.5 * HOUR);
    const purge = purgeIdempotencyKeys();
    // Clocks a little ahead only reach keys older than 23 h: no other test file keeps any that old.
    await purge.runBatch(server.database.db, new Date(Date.now() + 25 * 60_000));
    expect(await storedKeys()).toContain(key);
    await purge.runBatch(server.database.db, new Date(Date.now() + 35 * 60_000));
    expect(await storedKeys()).not.toContain(key);
  });
});
