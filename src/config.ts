import { resolve } from 'node:path';

/** Settings from the environment; every one has a default that works on a laptop. */
export interface Config {
  port: number;
  host: string;
  /** PostgreSQL to use; null means the embedded one under dataDir. */
  databaseUrl: string | null;
  dataDir: string;
  rateLimitPerSecond: number;
  /** Connections each process keeps to PostgreSQL. */
  databasePoolSize: number;
  bodyLimitBytes: number;
  adminEmail: string | null;
  adminPassword: string | null;
  secureCookies: boolean;
  /** Where the built dashboard is. */
  webDir: string;
  /** Outgoing mail server (smtp://user:pass@host:port); null keeps mail in the outbox. */
  smtpUrl: string | null;
  /** The From address of mail Recur sends. */
  emailFrom: string;
  /** Where customers reach this deployment (no trailing slash): links in emails point here. */
  publicUrl: string;
}

export class ConfigError extends Error {}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max} (got '${raw}').`);
  }
  return value;
}

/** RECUR_PUBLIC_URL: an http(s) origin, perhaps with a path prefix, never a query. */
function publicUrl(raw: string | undefined, port: number): string {
  if (!raw) return `http://localhost:${port}`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`RECUR_PUBLIC_URL must be an absolute http(s) URL such as https://billing.example.com (got '${raw}').`);
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.search || url.hash || url.username) {
    throw new ConfigError(`RECUR_PUBLIC_URL must be an http(s) URL without a query, fragment or credentials (got '${raw}').`);
  }
  return url.href.replace(/\/+$/, '');
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = integer(env, 'PORT', 4100, 0, 65535);
  return {
    port,
    host: env.HOST || '127.0.0.1',
    databaseUrl: env.DATABASE_URL || null,
    dataDir: resolve(env.RECUR_DATA_DIR || '.recur'),
    rateLimitPerSecond: integer(env, 'RECUR_RATE_LIMIT', 1000, 0, 10_000_000),
    databasePoolSize: integer(env, 'RECUR_DB_POOL_SIZE', 10, 2, 1000),
    bodyLimitBytes: integer(env, 'RECUR_BODY_LIMIT', 1024 * 1024, 1024, 100 * 1024 * 1024),
    adminEmail: env.RECUR_ADMIN_EMAIL || null,
    adminPassword: env.RECUR_ADMIN_PASSWORD || null,
    secureCookies: env.RECUR_SECURE_COOKIES === 'true',
    webDir: resolve(env.RECUR_WEB_DIR || new URL('../dist/web', import.meta.url).pathname),
    smtpUrl: env.SMTP_URL || null,
    emailFrom: env.RECUR_EMAIL_FROM || 'Recur <billing@localhost>',
    publicUrl: publicUrl(env.RECUR_PUBLIC_URL, port),
  };
}
