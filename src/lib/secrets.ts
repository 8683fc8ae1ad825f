import { createHash } from 'node:crypto';
import { randomBase62 } from './ids.ts';

/** sha256 hex of a high-entropy token (API key, session, invite): safe to store and index. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function newToken(length = 40): string {
  return randomBase62(length);
}
