import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The zero-setup path, as a user meets it: `recur start` with no DATABASE_URL runs an
 * embedded PostgreSQL under RECUR_DATA_DIR, and the other commands share it.
 */
const BIN = fileURLToPath(new URL('../../bin/recur.js', import.meta.url));
let dataDir: string;

function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const { DATABASE_URL: _ignored, ...rest } = process.env;
  return { ...rest, RECUR_DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'warn', ...extra };
}

function run(args: string[], extra: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: env(extra) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

interface Running {
  child: ChildProcess;
  banner: string;
  baseUrl: string;
  exited: Promise<number | null>;
}

function start(extra: Record<string, string> = {}): Promise<Running> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'start'], { env: env(extra) });
    const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
    let banner = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      banner += d.toString();
      const match = /Dashboard:\s+(http:\/\/[\d.]+:\d+)\/admin/.exec(banner);
      if (match && banner.includes('Stop with Ctrl+C')) resolve({ child, banner, baseUrl: match[1] as string, exited });
    });
    void exited.then((code) => reject(new Error(`recur start exited with ${code}: ${stderr}`)));
  });
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'recur-smoke-'));
  await chmod(dataDir, 0o711);
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('embedded PostgreSQL (no DATABASE_URL)', () => {
  it('starts, shares its database with other commands, refuses a second server, stops cleanly and keeps the data', async () => {
    const first = await start({ RECUR_ADMIN_EMAIL: 'smoke@example.com' });
    expect(first.banner).toContain('embedded PostgreSQL');
    const password = /smoke@example\.com \/ (\S+)/.exec(first.banner)?.[1];
    expect(password).toBeTruthy();
    expect((await fetch(`${first.baseUrl}/health`)).status).toBe(200);
    expect((await fetch(`${first.baseUrl}/ready`)).status).toBe(200);

    // Another command on the same directory uses the running server's PostgreSQL.
    const key = await run(['keys', 'create', '--workspace', 'sandbox']);
    expect(key.code).toBe(0);
    expect(key.stdout).toMatch(/^sk_test_[0-9A-Za-z]{40}\n$/);
    const secret = key.stdout.trim();
    const created = await fetch(`${first.baseUrl}/v1/customers`, {
      method: 'POST',
      headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'name=Smoke+Test',
    });
    expect(created.status).toBe(200);
    const customer = (await created.json()) as { id: string };

    const login = await fetch(`${first.baseUrl}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'smoke@example.com', password }),
    });
    expect(login.status).toBe(200);

    const second = await run(['start']);
    expect(second.code).toBe(1);
    expect(second.stderr.trim().split('\n')).toHaveLength(1);
    expect(second.stderr).toContain('already serving');

    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(existsSync(join(dataDir, 'pg', 'postmaster.pid'))).toBe(false);
    expect(existsSync(join(dataDir, 'server.pid'))).toBe(false);

    // With no server running, a command starts PostgreSQL for itself and stops it after.
    const liveKey = await run(['keys', 'create', '--workspace', 'live']);
    expect(liveKey.code).toBe(0);
    expect(liveKey.stdout).toMatch(/^sk_live_/);
    expect(existsSync(join(dataDir, 'pg', 'postmaster.pid'))).toBe(false);

    const again = await start();
    expect(again.banner).not.toContain('generated on first start');
    const found = await fetch(`${again.baseUrl}/v1/customers/${customer.id}`, { headers: { authorization: `Bearer ${secret}` } });
    expect(((await found.json()) as { name: string }).name).toBe('Smoke Test');
    again.child.kill('SIGINT');
    expect(await again.exited).toBe(0);
  }, 120_000);

  it('gives a one-line error when the port is busy', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as { port: number }).port;
    const result = await run(['start'], { PORT: String(port) });
    blocker.close();
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(`recur: Port ${port} on 127.0.0.1 is already in use. Stop what is using it, or set PORT to another port.`);
  });

  it('gives a one-line error for a bad PORT', async () => {
    const result = await run(['start'], { PORT: 'eighty' });
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe("recur: PORT must be a whole number from 0 to 65535 (got 'eighty').");
  });
});
