import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { holdDispatchLock } from '../../../test/helpers/dispatch-lock.ts';
import { call, createTestAccount, startTestServer, type TestAccount, type TestServer } from '../../../test/helpers/server.ts';
import { connect, type DatabaseHandle } from '../../db/database.ts';
import { API_VERSION } from '../../lib/api-version.ts';
import { newId } from '../../lib/ids.ts';
import type { WorkspaceRef } from '../../server/context.ts';
import { drainWork } from '../../worker/runner.ts';
import { eventDispatcher, type EventConsumer, type EventRow } from './dispatcher.ts';

let server: TestServer;
let account: TestAccount;

let releaseDispatchLock: () => Promise<void> = async () => {};

beforeAll(async () => {
  server = await startTestServer();
  account = await createTestAccount(server.database);
  // These tests count what their own dispatchers see: no other test file's may run meanwhile.
  releaseDispatchLock = await holdDispatchLock(server.database.url);
});
afterAll(async () => {
  await releaseDispatchLock();
  await server.close();
});

/** A consumer that notes the events of one workspace (the dispatcher also hands it other test files' events). */
function recorder(workspaceId: string, name = 'recorder'): EventConsumer & { seen: EventRow[] } {
  const seen: EventRow[] = [];
  return {
    name,
    seen,
    async handle(_tx, event) {
      if (event.workspace_id === workspaceId) seen.push(event);
    },
  };
}

/** Undispatched events in one workspace, written in one statement as a write would leave them. */
async function insertEvents(handle: DatabaseHandle, workspaceId: string, count: number, type = 'test.bulk'): Promise<string[]> {
  const rows = Array.from({ length: count }, (_, i) => ({
    workspace_id: workspaceId,
    id: newId('event'),
    type,
    api_version: API_VERSION,
    object_id: `obj_${i}`,
    data: JSON.stringify({ object: { id: `obj_${i}`, object: 'test' } }),
    request_id: null,
    idempotency_key: null,
  }));
  for (let i = 0; i < rows.length; i += 1000) {
    await handle.db.insertInto('events').values(rows.slice(i, i + 1000)).execute();
  }
  return rows.map((r) => r.id);
}

async function undispatchedIds(workspaceId: string): Promise<string[]> {
  const rows = await server.database.db
    .selectFrom('events')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('dispatched_at', 'is', null)
    .execute();
  return rows.map((r) => r.id);
}

/** Resolves once `parties` callers have arrived; rejects if they do not within the timeout (instead of hanging). */
function barrier(parties: number, timeoutMs = 10_000): () => Promise<void> {
  let arrived = 0;
  let open = () => {};
  const opened = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the other dispatcher never got a batch')), timeoutMs);
    open = () => {
      clearTimeout(timer);
      resolve();
    };
  });
  return () => {
    arrived += 1;
    if (arrived === parties) open();
    return opened;
  };
}

describe('event dispatcher', () => {
  it('picks up the events written by API requests', async () => {
    const created = await call<{ id: string }>(server.baseUrl, 'POST', '/v1/customers', { key: account.secretKey, form: 'name=Dispatched' });
    expect(created.status).toBe(200);
    const consumer = recorder(account.sandbox.id);
    const now = new Date();
    await drainWork(server.database.db, [eventDispatcher([consumer])], () => now);

    const mine = consumer.seen.filter((e) => (JSON.parse(e.data) as { object: { id?: string } }).object.id === created.body.id);
    expect(mine.map((e) => e.type)).toEqual(['customer.created']);
    const [event] = mine;
    const stored = await server.database.db
      .selectFrom('events')
      .select(['dispatched_at', 'request_id'])
      .where('workspace_id', '=', account.sandbox.id)
      .where('id', '=', event?.id ?? '')
      .executeTakeFirstOrThrow();
    expect(stored.dispatched_at?.getTime()).toBe(now.getTime());
    expect(stored.request_id).toBe(created.headers.get('request-id'));
    expect(await undispatchedIds(account.sandbox.id)).toEqual([]);
  });

  it('hands each event to exactly one of two concurrent dispatchers', async () => {
    const { sandbox } = await createTestAccount(server.database);
    const ids = await insertEvents(server.database, sandbox.id, 2000);
    const handles = [connect(inject('databaseUrl'), { max: 2 }), connect(inject('databaseUrl'), { max: 2 })];
    try {
      // Each dispatcher, at the first of our events it gets, waits (holding its batch's row
      // locks) until the other has got one of ours too: both work on them at the same time.
      const bothRunning = barrier(2);
      const dispatchers = handles.map((handle, n) => {
        const consumer = recorder(sandbox.id, `recorder-${n}`);
        let first = true;
        const gate: EventConsumer = {
          name: `gate-${n}`,
          async handle(_tx, event) {
            if (first && event.workspace_id === sandbox.id) {
              first = false;
              await bothRunning();
            }
          },
        };
        return { handle, consumer, work: eventDispatcher([gate, consumer], 200) };
      });
      const now = new Date();
      await Promise.all(dispatchers.map(({ handle, work }) => drainWork(handle.db, [work], () => now)));

      const seen = dispatchers.flatMap((d) => d.consumer.seen.map((e) => e.id));
      expect(seen).toHaveLength(ids.length);
      expect(new Set(seen).size).toBe(ids.length);
      expect([...seen].sort()).toEqual([...ids].sort());
      for (const d of dispatchers) expect(d.consumer.seen.length, d.consumer.name).toBeGreaterThan(0);
      expect(await undispatchedIds(sandbox.id)).toEqual([]);
    } finally {
      await Promise.all(handles.map((h) => h.close()));
    }
  });

  it('rolls a batch back when a consumer throws, and delivers it on the next run', async () => {
    const other = await createTestAccount(server.database);
    const workspace: WorkspaceRef = other.sandbox;
    const ids = await insertEvents(server.database, workspace.id, 10, 'test.rollback');

    // The first consumer does its part (a row of its own) for each event; the second then fails.
    const writer: EventConsumer = {
      name: 'writer',
      async handle(tx, event) {
        if (event.workspace_id !== workspace.id) return;
        await tx
          .insertInto('audit_log')
          .values({
            account_id: workspace.accountId,
            id: newId('auditEntry'),
            workspace_id: workspace.id,
            actor_type: 'system',
            actor_id: null,
            actor_label: 'dispatcher test',
            action: 'test.consumed',
            method: null,
            path: null,
            object_id: event.id,
            status_code: null,
            ip: null,
            request_id: null,
          })
          .execute();
      },
    };
    let failing = true;
    const failer: EventConsumer = {
      name: 'failer',
      async handle(_tx, event) {
        if (failing && event.workspace_id === workspace.id) throw new Error('consumer failed');
      },
    };
    const work = eventDispatcher([writer, failer]);
    const consumed = () =>
      server.database.db.selectFrom('audit_log').select('object_id').where('account_id', '=', workspace.accountId).where('action', '=', 'test.consumed').execute();

    // Earlier batches may hold other test files' events; run until the batch with ours fails.
    let failure: unknown = null;
    for (let i = 0; i < 100 && failure === null; i++) {
      try {
        if ((await work.runBatch(server.database.db, new Date())) === 0) break;
      } catch (error) {
        failure = error;
      }
    }
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toBe('consumer failed');
    expect((await undispatchedIds(workspace.id)).sort()).toEqual([...ids].sort());
    expect(await consumed()).toEqual([]);

    failing = false;
    expect(await work.runBatch(server.database.db, new Date())).toBeGreaterThan(0);
    await drainWork(server.database.db, [work]);
    expect(await undispatchedIds(workspace.id)).toEqual([]);
    expect((await consumed()).map((r) => r.object_id).sort()).toEqual([...ids].sort());
  });
});
