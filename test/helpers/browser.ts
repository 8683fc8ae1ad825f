import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { call, createTestAccount, startTestServer, type TestAccount, type TestServer } from './server.ts';

/** Debian's Chromium (apt-get install -y chromium): the only browser the tests use. */
export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
const webDir = fileURLToPath(new URL('../../dist/web', import.meta.url));
// Set to a directory to keep screenshots of each step (never inside the repository).
const screenshotDir = process.env.RECUR_E2E_SCREENSHOTS;

/** A browser suite's title, saying why it is skipped when Chromium is missing. */
export function browserSuiteTitle(title: string): string {
  return hasChromium ? title : `${title} — SKIPPED: ${CHROMIUM} is not installed (apt-get install -y chromium)`;
}

/** A Recur server with the built dashboard, a fresh account, and a Chromium page on it. */
export interface DashboardSession {
  server: TestServer;
  account: TestAccount;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Errors thrown in the page (a test asserts there were none). */
  pageErrors: string[];
  /** A screenshot of this step, when RECUR_E2E_SCREENSHOTS names a directory. */
  snap(name: string): Promise<void>;
  /** The API with the account's sandbox secret key, form-encoded; throws unless `expected`. */
  api<T = Record<string, unknown>>(method: string, path: string, params?: Record<string, string>, expected?: number): Promise<T>;
  /** A link of the dashboard's main navigation. */
  nav(name: string): ReturnType<Page['getByRole']>;
  close(): Promise<void>;
}

export async function openDashboard(screenshotPrefix: string): Promise<DashboardSession> {
  if (!existsSync(join(webDir, 'index.html'))) throw new Error(`The dashboard is not built (${webDir}/index.html is missing): run \`npm run build:web\` first.`);
  const server = await startTestServer({ webDir });
  const account = await createTestAccount(server.database);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  return {
    server,
    account,
    browser,
    context,
    page,
    pageErrors,
    async snap(name) {
      if (!screenshotDir) return;
      await mkdir(screenshotDir, { recursive: true });
      await page.screenshot({ path: join(screenshotDir, `${screenshotPrefix}-${name}.png`), fullPage: true });
    },
    async api<T = Record<string, unknown>>(method: string, path: string, params?: Record<string, string>, expected = 200): Promise<T> {
      const response = await call<T>(server.baseUrl, method, path, { key: account.secretKey, ...(params ? { form: new URLSearchParams(params).toString() } : {}) });
      if (response.status !== expected) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(response.body)}`);
      return response.body;
    },
    nav: (name) => page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name, exact: true }),
    async close() {
      await context.close();
      await browser.close();
      await server.close();
    },
  };
}
