import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Secrets Recur must keep but never show again (gateway credentials, webhook signing
 * secrets) are sealed with AES-256-GCM under one key: `RECUR_SECRET_KEY` (32 bytes, hex or
 * base64), or else a key generated on first use and kept in the data directory (mode 0600).
 * Every process of one deployment must use the same key (docs/deployment.md).
 */
export interface SecretBox {
  seal(plain: string): string;
  open(sealed: string): string;
}

const VERSION = 'v1';
const KEY_FILE = 'secret.key';

export class SecretKeyError extends Error {}

function decodeKey(raw: string, source: string): Buffer {
  const text = raw.trim();
  const key = /^[0-9a-f]{64}$/i.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
  if (key.length !== 32) throw new SecretKeyError(`${source} must be 32 bytes, as 64 hex digits or base64 (e.g. \`openssl rand -hex 32\`).`);
  return key;
}

/** The deployment's key: RECUR_SECRET_KEY, else the data directory's (made on first use). */
export function loadSecretKey(env: NodeJS.ProcessEnv, dataDir: string): Buffer {
  if (env.RECUR_SECRET_KEY) return decodeKey(env.RECUR_SECRET_KEY, 'RECUR_SECRET_KEY');
  const file = join(dataDir, KEY_FILE);
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    // 'wx': of two processes starting at once, one writes and the other reads its key.
    try {
      writeFileSync(file, `${randomBytes(32).toString('hex')}\n`, { flag: 'wx', mode: 0o600 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    chmodSync(file, 0o600);
  }
  return decodeKey(readFileSync(file, 'utf8'), file);
}

export function secretBox(key: Buffer): SecretBox {
  if (key.length !== 32) throw new SecretKeyError('a secret box key is 32 bytes');
  return {
    seal(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const sealed = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return [VERSION, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), sealed.toString('base64url')].join('.');
    },
    open(sealed) {
      const [version, iv, tag, body] = sealed.split('.');
      if (version !== VERSION || !iv || !tag || body === undefined) throw new SecretKeyError('not a sealed secret');
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      try {
        return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
      } catch {
        // GCM's check failed: another key (a changed RECUR_SECRET_KEY) or altered data.
        throw new SecretKeyError('a sealed secret cannot be opened with this key (was RECUR_SECRET_KEY changed?)');
      }
    },
  };
}
