import { pino } from 'pino';
import type { DatabaseHandle } from '../../src/db/database.ts';
import { secretBox } from '../../src/lib/secret-box.ts';
import type { AppOptions } from '../../src/server/app.ts';

/** One fixed key for test servers and workers (lib/secret-box.ts). */
export const TEST_SECRETS = secretBox(Buffer.alloc(32, 1));

/** The options every test server is built with (no vitest import: child processes use it too). */
export function testAppOptions(database: DatabaseHandle, overrides: Partial<AppOptions> = {}): AppOptions {
  return {
    db: database.db,
    gatewayDb: database.gatewayDb,
    pool: database.pool,
    logger: pino({ level: process.env.LOG_LEVEL ?? 'silent' }),
    rateLimitPerSecond: 0,
    bodyLimitBytes: 1024 * 1024,
    webDir: null,
    secureCookies: false,
    secrets: TEST_SECRETS,
    ...overrides,
  };
}
