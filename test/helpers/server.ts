import type { FastifyInstance } from 'fastify';
import { inject } from 'vitest';
import { connect, type DatabaseHandle } from '../../src/db/database.ts';
import { randomBase62 } from '../../src/lib/ids.ts';
import { createApiKey } from '../../src/modules/auth/api-keys.ts';
import { createOwner } from '../../src/modules/auth/users.ts';
import { createAccountWithWorkspaces, findWorkspace } from '../../src/modules/workspaces/service.ts';
import { buildApp, type AppOptions } from '../../src/server/app.ts';
import type { WorkspaceRef } from '../../src/server/context.ts';
import { testAppOptions } from './app-options.ts';

export interface TestServer {
  baseUrl: string;
  port: number;
  app: FastifyInstance;
  database: DatabaseHandle;
  close(): Promise<void>;
}

/** A real Recur HTTP server on a free port, on this test run's database. */
export async function startTestServer(options: Partial<AppOptions> = {}): Promise<TestServer> {
  const database = connect(inject('databaseUrl'), { max: 10 });
  const app = await buildApp(testAppOptions(database, options));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    port,
    app,
    database,
    async close() {
      await app.close();
      await database.close();
    },
  };
}

export interface TestAccount {
  accountId: string;
  sandbox: WorkspaceRef;
  live: WorkspaceRef;
  ownerEmail: string;
  ownerPassword: string;
  /** sk_test_… of the sandbox workspace. */
  secretKey: string;
  /** sk_live_… of the live workspace. */
  liveSecretKey: string;
  /** pk_test_… of the sandbox workspace. */
  publishableKey: string;
}

/** A fresh account (tenant) with both workspaces, an owner and keys: each test file makes its own. */
export async function createTestAccount(database: DatabaseHandle): Promise<TestAccount> {
  const { db } = database;
  const { accountId } = await createAccountWithWorkspaces(db, `Test ${randomBase62(6)}`);
  const ownerEmail = `owner-${randomBase62(10).toLowerCase()}@example.com`;
  const ownerPassword = 'correct horse battery staple';
  await createOwner(db, { accountId, email: ownerEmail, password: ownerPassword });
  const sandbox = (await findWorkspace(db, accountId, 'sandbox')) as WorkspaceRef;
  const live = (await findWorkspace(db, accountId, 'live')) as WorkspaceRef;
  return {
    accountId,
    sandbox,
    live,
    ownerEmail,
    ownerPassword,
    secretKey: (await createApiKey(db, sandbox, { type: 'secret' })).secret,
    liveSecretKey: (await createApiKey(db, live, { type: 'secret' })).secret,
    publishableKey: (await createApiKey(db, sandbox, { type: 'publishable' })).secret,
  };
}

export interface ApiResponse<T = Record<string, unknown>> {
  status: number;
  body: T;
  headers: Headers;
}

/** Raw HTTP calls, for what the SDK will not send (malformed bodies, odd headers). */
export async function call<T = Record<string, unknown>>(
  baseUrl: string,
  method: string,
  path: string,
  options: { key?: string; form?: string; json?: unknown; body?: string; headers?: Record<string, string> } = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.key) headers.authorization = `Bearer ${options.key}`;
  let body: string | undefined = options.body;
  if (options.form !== undefined) {
    headers['content-type'] ??= 'application/x-www-form-urlencoded';
    body = options.form;
  } else if (options.json !== undefined) {
    headers['content-type'] ??= 'application/json';
    body = JSON.stringify(options.json);
  }
  const response = await fetch(baseUrl + path, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, body: parsed as T, headers: response.headers };
}
