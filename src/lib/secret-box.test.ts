import fc from 'fast-check';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSecretKey, secretBox, SecretKeyError } from './secret-box.ts';

const dir = mkdtempSync(join(tmpdir(), 'recur-secret-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('secret box', () => {
  const box = secretBox(Buffer.alloc(32, 7));

  it('opens what it sealed, and seals the same text differently each time', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (plain) => {
        expect(box.open(box.seal(plain))).toBe(plain);
      }),
    );
    expect(box.seal('whsec_x')).not.toBe(box.seal('whsec_x'));
    expect(box.seal('whsec_x')).not.toContain('whsec_x');
  });

  it('refuses another key and altered data', () => {
    const sealed = box.seal('sk_live_123');
    expect(() => secretBox(Buffer.alloc(32, 8)).open(sealed)).toThrow(SecretKeyError);
    const [v, iv, tag, body] = sealed.split('.') as [string, string, string, string];
    const flipped = Buffer.from(body, 'base64url');
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    expect(() => box.open([v, iv, tag, flipped.toString('base64url')].join('.'))).toThrow(SecretKeyError);
    expect(() => box.open('plain text')).toThrow(SecretKeyError);
  });

  it('takes RECUR_SECRET_KEY in hex or base64, else makes one in the data directory, once, readable by its owner only', () => {
    const hex = 'ab'.repeat(32);
    expect(loadSecretKey({ RECUR_SECRET_KEY: hex }, dir).toString('hex')).toBe(hex);
    expect(loadSecretKey({ RECUR_SECRET_KEY: Buffer.from(hex, 'hex').toString('base64') }, dir).toString('hex')).toBe(hex);
    expect(() => loadSecretKey({ RECUR_SECRET_KEY: 'short' }, dir)).toThrow(/RECUR_SECRET_KEY must be 32 bytes/);
    const made = loadSecretKey({}, join(dir, 'data'));
    expect(loadSecretKey({}, join(dir, 'data')).equals(made)).toBe(true);
    expect(readFileSync(join(dir, 'data', 'secret.key'), 'utf8').trim()).toBe(made.toString('hex'));
    expect(statSync(join(dir, 'data', 'secret.key')).mode & 0o777).toBe(0o600);
  });
});
