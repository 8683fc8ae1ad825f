import { createHash } from 'node:crypto';
import { sql, type Generated } from 'kysely';
import type { Executor } from '../db/database.ts';
import { idempotencyMismatch, invalidRequest } from '../lib/errors.ts';
import type { DueWork } from '../worker/runner.ts';

/**
 * `Idempotency-Key` on POST: the first response to a key is stored in the same
 * transaction as the change it made (by server/unit-of-work.ts), so a retry either finds both or neither. The same
 * key with other parameters is a 400 `idempotency_error`. Requests that fail validation
 * store nothing (as Stripe), so the caller can correct them and retry with the same key.
 */
export interface IdempotencyKeysTable {
  workspace_id: string;
  key: string;
  request_hash: string;
  method: string;
  path: string;
  response_status: number | null;
  response_body: string | null;
  created_at: Generated<Date>;
}

export const IDEMPOTENCY_RETENTION_MS = 24 * 3600 * 1000;
const MAX_KEY_LENGTH = 255;

export interface StoredResponse {
  status: number;
  body: string;
}

export function checkIdempotencyKey(key: string): void {
  if (key.length === 0 || key.length > MAX_KEY_LENGTH) {
    throw invalidRequest(`Idempotency-Key must be 1 to ${MAX_KEY_LENGTH} characters long.`, 'Idempotency-Key', 'idempotency_key_invalid');
  }
}

export function requestHash(method: string, path: string, params: unknown): string {
  return createHash('sha256').update(`${method} ${path}\n${JSON.stringify(params)}`).digest('hex');
}

/** The response stored for this key, or null; throws when the key was used for other parameters. */
export async function findStoredResponse(db: Executor, workspaceId: string, key: string, hash: string): Promise<StoredResponse | null> {
  const row = await db
    .selectFrom('idempotency_keys')
    .select(['request_hash', 'response_status', 'response_body'])
    .where('workspace_id', '=', workspaceId)
    .where('key', '=', key)
    .executeTakeFirst();
  if (!row) return null;
  if (row.request_hash !== hash) throw idempotencyMismatch(key);
  return { status: row.response_status ?? 200, body: row.response_body ?? 'null' };
}

export function purgeIdempotencyKeys(): DueWork {
  return {
    name: 'idempotency.purge',
    batchSize: 5000,
    idleMs: 60_000,
    async runBatch(db, now) {
      const cutoff = new Date(now.getTime() - IDEMPOTENCY_RETENTION_MS);
      // Bounded batches keep each delete short; ctid avoids needing the key's workspace.
      const result = await sql`
        DELETE FROM idempotency_keys WHERE ctid IN (
          SELECT ctid FROM idempotency_keys WHERE created_at < ${cutoff} LIMIT 5000
        )`.execute(db);
      return Number(result.numAffectedRows ?? 0n);
    },
  };
}
