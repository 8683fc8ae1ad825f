/**
 * Shared setup for the Stripe SDK compatibility suite (test/stripe): Recur driven through
 * the official `stripe` npm package, exactly as a customer's code would drive it.
 *
 * By default every test file starts its own in-process Recur server on this run's test
 * database (see test/global-setup.ts) and makes a fresh account with its own keys.
 *
 * The same suite runs against an already-running Recur (e.g. `npm start`) when
 * RECUR_TEST_SERVER_URL and RECUR_TEST_SECRET_KEY (a sandbox secret key) are set:
 *
 *   # terminal 1
 *   RECUR_ADMIN_EMAIL=owner@example.com RECUR_ADMIN_PASSWORD='a long test password' npm start
 *   # terminal 2 (same DATABASE_URL / RECUR_DATA_DIR as the server)
 *   RECUR_TEST_SERVER_URL=http://127.0.0.1:4100 \
 *   RECUR_TEST_SECRET_KEY=$(node bin/recur.js keys create --workspace sandbox --type secret) \
 *   RECUR_TEST_OWNER_EMAIL=owner@example.com RECUR_TEST_OWNER_PASSWORD='a long test password' \
 *   npx vitest run test/stripe
 *
 * RECUR_TEST_OWNER_EMAIL / RECUR_TEST_OWNER_PASSWORD are optional: with them the suite signs
 * in to the dashboard API as the owner to make (and afterwards revoke) the extra keys some
 * tests need (live, publishable, revoked); without them those tests are skipped. Tests that
 * need a server started with special options (the rate-limit test) only run in-process.
 * The server's rate limit (RECUR_RATE_LIMIT, default 1000/s) must not be set very low.
 * Everything the suite creates is tagged with a random run id, so it tolerates the data of
 * earlier runs and of other users in the workspace.
 */
import { randomUUID } from 'node:crypto';
import Stripe from 'stripe';
import { call, createTestAccount, startTestServer, type TestServer } from './server.ts';

/** True when the suite runs against an already-running server (see above). */
export const externalServer = Boolean(process.env.RECUR_TEST_SERVER_URL && process.env.RECUR_TEST_SECRET_KEY);
/** True when the suite can sign in as the owner to make and revoke keys. */
export const ownerAvailable = !externalServer || Boolean(process.env.RECUR_TEST_OWNER_EMAIL && process.env.RECUR_TEST_OWNER_PASSWORD);

export type StripeError = InstanceType<typeof Stripe.errors.StripeError>;

export interface OwnerSession {
  /** Makes an API key in the sandbox or live workspace; revoked again by `close()`. */
  createKey(options: { type: 'secret' | 'publishable'; workspace: 'sandbox' | 'live' }): Promise<{ id: string; secret: string }>;
  revokeKey(id: string): Promise<void>;
}

export interface SignedInOwner extends OwnerSession {
  /** Revokes every key this session made. */
  cleanup(): Promise<void>;
}

export interface StripeSuite {
  mode: 'in-process' | 'external';
  baseUrl: string;
  /** A sandbox secret key. */
  secretKey: string;
  /** An SDK client with `secretKey`. */
  stripe: Stripe;
  /** An SDK client for this server with another key. */
  client(key: string): Stripe;
  /** The in-process server, or null when running against an external one. */
  server: TestServer | null;
  /** Signed in as the account owner, or null when no owner credentials are available. */
  owner: OwnerSession | null;
  /** A random tag unique to this run of this file, for names, emails and metadata. */
  runId: string;
  close(): Promise<void>;
}

export function stripeClient(baseUrl: string, key: string): Stripe {
  const url = new URL(baseUrl);
  const protocol = url.protocol === 'https:' ? 'https' : 'http';
  return new Stripe(key, {
    host: url.hostname,
    port: url.port === '' ? (protocol === 'https' ? 443 : 80) : Number(url.port),
    protocol,
    maxNetworkRetries: 0,
  });
}

/** Signs in to the dashboard API (cookie + CSRF token), as the dashboard does. */
export async function signInAsOwner(baseUrl: string, email: string, password: string): Promise<SignedInOwner> {
  const login = await call<{ csrf_token?: string }>(baseUrl, 'POST', '/auth/login', { json: { email, password } });
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0] ?? '')
    .find((c) => c.startsWith('recur_session='));
  if (login.status !== 200 || !cookie || !login.body.csrf_token) {
    throw new Error(`Could not sign in as ${email}: HTTP ${login.status} ${JSON.stringify(login.body)}`);
  }
  const headers = (workspace: string) => ({ cookie, 'x-csrf-token': login.body.csrf_token as string, 'recur-workspace': workspace });
  const created: Array<{ id: string; workspace: string }> = [];

  const session: SignedInOwner = {
    async createKey({ type, workspace }) {
      const response = await call<{ id: string; secret: string }>(baseUrl, 'POST', '/v1/api_keys', {
        json: { type, name: 'stripe compatibility suite' },
        headers: headers(workspace),
      });
      if (response.status !== 200) throw new Error(`Could not create a key: HTTP ${response.status} ${JSON.stringify(response.body)}`);
      created.push({ id: response.body.id, workspace });
      return { id: response.body.id, secret: response.body.secret };
    },
    async revokeKey(id) {
      const workspace = created.find((k) => k.id === id)?.workspace ?? 'sandbox';
      const response = await call(baseUrl, 'POST', `/v1/api_keys/${id}/revoke`, { headers: headers(workspace) });
      if (response.status !== 200) throw new Error(`Could not revoke ${id}: HTTP ${response.status} ${JSON.stringify(response.body)}`);
    },
    async cleanup() {
      for (const key of created) await call(baseUrl, 'POST', `/v1/api_keys/${key.id}/revoke`, { headers: headers(key.workspace) });
    },
  };
  return session;
}

export async function setupStripeSuite(): Promise<StripeSuite> {
  const runId = randomUUID().replace(/-/g, '').slice(0, 12);
  const externalUrl = process.env.RECUR_TEST_SERVER_URL;
  const externalKey = process.env.RECUR_TEST_SECRET_KEY;

  if (externalServer && externalUrl && externalKey) {
    const baseUrl = externalUrl.replace(/\/+$/, '');
    const email = process.env.RECUR_TEST_OWNER_EMAIL;
    const password = process.env.RECUR_TEST_OWNER_PASSWORD;
    const owner = email && password ? await signInAsOwner(baseUrl, email, password) : null;
    return {
      mode: 'external',
      baseUrl,
      secretKey: externalKey,
      stripe: stripeClient(baseUrl, externalKey),
      client: (key) => stripeClient(baseUrl, key),
      server: null,
      owner,
      runId,
      async close() {
        await owner?.cleanup();
      },
    };
  }

  const server = await startTestServer();
  const account = await createTestAccount(server.database);
  const owner = await signInAsOwner(server.baseUrl, account.ownerEmail, account.ownerPassword);
  return {
    mode: 'in-process',
    baseUrl: server.baseUrl,
    secretKey: account.secretKey,
    stripe: stripeClient(server.baseUrl, account.secretKey),
    client: (key) => stripeClient(server.baseUrl, key),
    server,
    owner,
    runId,
    async close() {
      await owner.cleanup();
      await server.close();
    },
  };
}

/** The owner session; tests that need it are skipped unless `ownerAvailable`. */
/** For a suite file's beforeAll: `({ suite, stripe } = await startStripeSuite())`. */
export async function startStripeSuite(): Promise<{ suite: StripeSuite; stripe: Stripe }> {
  const suite = await setupStripeSuite();
  return { suite, stripe: suite.stripe };
}

export function requireOwner(suite: StripeSuite): OwnerSession {
  if (!suite.owner) throw new Error('This test needs RECUR_TEST_OWNER_EMAIL and RECUR_TEST_OWNER_PASSWORD.');
  return suite.owner;
}

/** The error a rejected SDK call threw; fails when the call succeeded or threw something else. */
export async function stripeError(promise: Promise<unknown>): Promise<StripeError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Stripe.errors.StripeError) return error;
    throw error;
  }
  throw new Error('Expected the call to fail with a StripeError, but it succeeded.');
}
