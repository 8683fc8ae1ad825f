import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type pg from 'pg';
import type { Database } from '../db/database.ts';
import { authenticationRequired, invalidApiKey, permissionDenied, ApiError } from '../lib/errors.ts';
import type { Logger } from '../lib/logger.ts';
import { tokenHash } from '../lib/secrets.ts';
import { findKeyBySecret, touchApiKey, type ResolvedKey } from '../modules/auth/api-keys.ts';
import { findSession } from '../modules/auth/sessions.ts';
import { findWorkspace } from '../modules/workspaces/service.ts';
import type { Actor, WorkspaceRef } from './context.ts';
import type { Access } from './route.ts';

export const SESSION_COOKIE = 'recur_session';
export const WORKSPACE_HEADER = 'recur-workspace';
export const CSRF_HEADER = 'x-csrf-token';
const KEY_CHANNEL = 'recur_api_keys';
const KEY_CACHE_TTL_MS = 30_000;
const TOUCH_INTERVAL_MS = 60_000;

export interface Principal {
  workspace: WorkspaceRef;
  actor: Actor;
  via: 'key' | 'session';
  csrfToken?: string;
}

function redact(secret: string): string {
  return secret.length > 12 ? `${secret.slice(0, 8)}${'*'.repeat(Math.min(secret.length - 12, 20))}${secret.slice(-4)}` : '***';
}

/** The secret from `Authorization: Bearer sk_…` or HTTP Basic with the key as user name. */
function secretFromHeader(header: string | undefined): string | null {
  if (!header) return null;
  const [scheme, value] = header.split(' ', 2);
  if (!scheme || !value) return null;
  if (scheme.toLowerCase() === 'bearer') return value.trim();
  if (scheme.toLowerCase() === 'basic') return Buffer.from(value, 'base64').toString('utf8').split(':')[0] ?? null;
  return null;
}

// One cache per process, shared by every Authenticator in it.
const keys = new Map<string, { resolved: ResolvedKey; expiresAt: number }>();
// Bumped by every revocation: a lookup that overlapped one may have read the key before it.
let keyGeneration = 0;

/** Drops cached keys in this process; a revocation calls it once its transaction commits. */
export function forgetCachedKeys(): void {
  keyGeneration += 1;
  keys.clear();
}

/** Statement that tells every other process to drop its cached keys; delivered at commit. */
export const KEY_CHANGE_NOTIFY = `NOTIFY ${KEY_CHANNEL}`;

/**
 * Resolves who a request comes from. Keys are cached briefly in memory (one indexed
 * lookup per key per 30 s instead of per request); a revocation anywhere is broadcast
 * with NOTIFY so every process drops the key at once.
 */
export class Authenticator {
  private readonly touched = new Map<string, number>();
  private listener: pg.PoolClient | null = null;
  private closed = false;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly logger: Logger,
  ) {}

  async listen(pool: pg.Pool): Promise<void> {
    const client = await pool.connect();
    // A lost connection (database restart, failover) hears no more revocations: forget what
    // is cached, cache nothing until listening again, and reconnect.
    const lost = (error: unknown) => {
      if (this.listener !== client) return;
      this.listener = null;
      forgetCachedKeys();
      client.release(true);
      this.logger.warn({ err: error }, 'key revocation listener failed; reconnecting');
      const retry = () => {
        if (!this.closed) this.listen(pool).catch(() => setTimeout(retry, 1000).unref());
      };
      setTimeout(retry, 100).unref();
    };
    client.on('notification', (message) => {
      if (message.channel === KEY_CHANNEL) forgetCachedKeys();
    });
    client.on('error', lost);
    client.on('end', () => lost(new Error('the listening connection ended')));
    try {
      await client.query(`LISTEN ${KEY_CHANNEL}`);
    } catch (error) {
      client.release(true);
      throw error;
    }
    if (this.closed) return void client.release(true);
    this.listener = client;
  }

  async close(): Promise<void> {
    this.closed = true;
    const listener = this.listener;
    this.listener = null;
    listener?.release(true);
  }

  async authenticate(request: FastifyRequest): Promise<Principal> {
    const secret = secretFromHeader(request.headers.authorization);
    if (secret) return this.fromKey(secret);
    const session = request.cookies[SESSION_COOKIE];
    if (session) return this.fromSession(request, session);
    if (request.headers.authorization) {
      throw invalidApiKey('Invalid Authorization header: use "Bearer <your secret key>".');
    }
    throw authenticationRequired(
      'You did not provide an API key. Provide it in the Authorization header, using Bearer auth (e.g. "Authorization: Bearer YOUR_SECRET_KEY").',
    );
  }

  private async fromKey(secret: string): Promise<Principal> {
    const hash = tokenHash(secret);
    const now = Date.now();
    let cached = keys.get(hash);
    if (!cached || cached.expiresAt < now) {
      const generation = keyGeneration;
      const resolved = await findKeyBySecret(this.db, secret);
      if (!resolved) throw invalidApiKey(`Invalid API Key provided: ${redact(secret)}`);
      cached = { resolved, expiresAt: now + KEY_CACHE_TTL_MS };
      // Not cached when a revocation was heard meanwhile (what was read may predate it), nor
      // while no revocation can be heard.
      if (generation === keyGeneration && this.listener) keys.set(hash, cached);
    }
    const { key, workspace } = cached.resolved;
    if (key.revoked_at) throw invalidApiKey(`This API key has been revoked: ${key.redacted}`);
    if ((this.touched.get(key.id) ?? 0) + TOUCH_INTERVAL_MS < now) {
      this.touched.set(key.id, now);
      touchApiKey(this.db, key.workspace_id, key.id).catch((error: unknown) =>
        this.logger.warn({ err: error, key: key.id }, 'could not record key use'),
      );
    }
    return {
      workspace,
      via: 'key',
      actor: { type: 'api_key', id: key.id, label: key.redacted, role: key.type === 'secret' ? 'secret_key' : 'publishable_key' },
    };
  }

  private async fromSession(request: FastifyRequest, token: string): Promise<Principal> {
    const session = await findSession(this.db, token);
    if (!session) {
      throw new ApiError(401, 'authentication_error', 'Your session has expired. Sign in again.', { code: 'session_expired' });
    }
    const wanted = request.headers[WORKSPACE_HEADER];
    const workspace = await findWorkspace(this.db, session.accountId, typeof wanted === 'string' && wanted ? wanted : 'sandbox');
    if (!workspace) throw new ApiError(400, 'invalid_request_error', `No such workspace: '${String(wanted)}'`, { param: WORKSPACE_HEADER, code: 'resource_missing' });
    return {
      workspace,
      via: 'session',
      csrfToken: session.csrfToken,
      actor: { type: 'user', id: session.userId, label: session.email, role: session.role },
    };
  }
}

/** Checks the role against the route's access level, and CSRF for cookie-authenticated writes. */
export function authorize(principal: Principal, access: Access, request: FastifyRequest): void {
  const { role } = principal.actor;
  if (role === 'publishable_key') {
    throw permissionDenied('This API call cannot be made with a publishable API key. Please use a secret API key.');
  }
  if (principal.via === 'session' && request.method !== 'GET' && request.method !== 'HEAD') {
    if (request.headers[CSRF_HEADER] !== principal.csrfToken) {
      throw new ApiError(403, 'permission_error', 'Missing or invalid CSRF token.', { code: 'csrf_token_invalid' });
    }
  }
  if (access === 'read') return;
  if (access === 'write' && (role === 'secret_key' || role === 'owner' || role === 'admin')) return;
  if (access === 'team' && (role === 'owner' || role === 'admin')) return;
  if (access === 'team' && role === 'secret_key') {
    throw permissionDenied('Team and API key management needs a dashboard sign-in by an owner or admin; API keys cannot do it.');
  }
  throw permissionDenied(`Your role (${role}) does not allow this action.`);
}
