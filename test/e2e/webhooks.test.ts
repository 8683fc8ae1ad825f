import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventDispatcher } from '../../src/modules/events/dispatcher.ts';
import { webhookConsumer } from '../../src/modules/webhooks/consumer.ts';
import { webhookDeliverer } from '../../src/modules/webhooks/deliverer.ts';
import { drainWork } from '../../src/worker/runner.ts';
import { TEST_SECRETS } from '../helpers/app-options.ts';
import { holdDispatchLock } from '../helpers/dispatch-lock.ts';
import { call, createTestAccount, startTestServer, type TestAccount, type TestServer } from '../helpers/server.ts';

/**
 * Developers → Webhooks in a real browser against a real Recur server and a real receiver:
 * add an endpoint (its secret shown once, and it signs what is sent), see a failed delivery
 * in the log, retry it by hand, disable and enable the endpoint, delete it.
 */
const CHROMIUM = '/usr/bin/chromium';
const webDir = fileURLToPath(new URL('../../dist/web', import.meta.url));
const hasChromium = existsSync(CHROMIUM);
// Set to a directory to keep screenshots of each step (never inside the repository).
const screenshotDir = process.env.RECUR_E2E_SCREENSHOTS;
const title = hasChromium ? 'webhooks in the dashboard' : `webhooks in the dashboard — SKIPPED: ${CHROMIUM} is not installed (apt-get install -y chromium)`;

describe.skipIf(!hasChromium)(title, () => {
  let server: TestServer;
  let account: TestAccount;
  let browser: Browser;
  let page: Page;
  let receiver: Server;
  let receiverUrl = '';
  let answer = 500;
  const received: Array<{ body: string; signature: string }> = [];
  const pageErrors: string[] = [];
  let releaseDispatchLock: () => Promise<void> = async () => {};

  async function snap(name: string): Promise<void> {
    if (!screenshotDir) return;
    await mkdir(screenshotDir, { recursive: true });
    await page.screenshot({ path: join(screenshotDir, `webhooks-${name}.png`), fullPage: true });
  }

  beforeAll(async () => {
    if (!existsSync(`${webDir}/index.html`)) throw new Error(`The dashboard is not built (${webDir}): run \`npm run build:web\` first.`);
    server = await startTestServer({ webDir });
    account = await createTestAccount(server.database);
    releaseDispatchLock = await holdDispatchLock(server.database.url);
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        received.push({ body: Buffer.concat(chunks).toString('utf8'), signature: String(req.headers['stripe-signature']) });
        res.writeHead(answer).end(answer === 200 ? 'thanks' : 'try later');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    context.setDefaultTimeout(15_000);
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => (receiver ? receiver.close(() => resolve()) : resolve()));
    await releaseDispatchLock();
    await server?.close();
  });

  it('adds an endpoint, shows its secret once, logs a failed delivery, retries it, disables, enables and deletes it', async () => {
    await page.goto(`${server.baseUrl}/admin/login`);
    await page.locator('input[name="email"]').fill(account.ownerEmail);
    await page.locator('input[name="password"]').fill(account.ownerPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/admin\/customers$/);
    await page.getByRole('link', { name: 'Webhooks' }).click();
    await page.waitForURL(/\/admin\/developers\/webhooks$/);
    await expect.poll(() => page.getByText('No webhook endpoints yet').isVisible()).toBe(true);

    await page.getByRole('button', { name: 'Add endpoint' }).first().click();
    const form = page.getByTestId('webhook-form');
    await form.locator('input[name="url"]').fill('ftp://example.com/hooks');
    await form.getByRole('button', { name: 'Add endpoint' }).click();
    await expect.poll(() => form.getByText('must be an http:// or https:// URL').isVisible()).toBe(true);
    await form.locator('input[name="url"]').fill(receiverUrl);
    await form.locator('input[name="description"]').fill('Order system');
    await form.getByRole('button', { name: 'Add endpoint' }).click();
    const secret = (await page.getByTestId('copy-field-value').textContent()) ?? '';
    expect(secret).toMatch(/^whsec_/);
    await snap('01-secret');
    await page.getByRole('button', { name: 'I have copied the secret' }).click();

    await page.getByTestId('webhook-row').first().click();
    await page.waitForURL(/\/admin\/developers\/webhooks\/we_/);
    await expect.poll(() => page.getByTestId('webhook-url').textContent()).toBe(receiverUrl);
    expect(await page.getByTestId('webhook-events').textContent()).toBe('All events');
    expect(await page.locator('body').textContent()).not.toContain(secret);

    // An event, delivered by the worker to a receiver that fails.
    const customer = await call<{ id: string }>(server.baseUrl, 'POST', '/v1/customers', { key: account.secretKey, form: 'name=Webhook%20UI' });
    expect(customer.status).toBe(200);
    await drainWork(server.database.db, [eventDispatcher([webhookConsumer()]), webhookDeliverer({ secrets: TEST_SECRETS })]);
    expect(received).toHaveLength(1);
    await page.reload();
    const row = page.getByTestId('delivery-row').first();
    await expect.poll(() => row.getByTestId('delivery-status').getAttribute('data-status')).toBe('pending');
    expect(await row.getByTestId('delivery-status-code').textContent()).toBe('500');
    expect(await row.textContent()).toContain('customer.created');
    await snap('02-failed-delivery');

    // Retry by hand once the receiver works again.
    answer = 200;
    await row.getByRole('button', { name: 'Retry' }).click();
    await expect.poll(() => row.getByTestId('delivery-status').getAttribute('data-status')).toBe('succeeded');
    expect(received).toHaveLength(2);
    await snap('03-retried');
    // The secret the dashboard showed is the one that signs.
    const event = Stripe.webhooks.constructEvent(received[1]?.body ?? '', received[1]?.signature ?? '', secret);
    expect((event.data.object as { id: string }).id).toBe(customer.body.id);

    await page.getByTestId('webhook-toggle').click();
    await expect.poll(() => page.getByTestId('webhook-status').getAttribute('data-status')).toBe('disabled');
    await page.getByTestId('webhook-toggle').click();
    await expect.poll(() => page.getByTestId('webhook-status').getAttribute('data-status')).toBe('enabled');

    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Webhooks' }).click();
    await expect.poll(() => page.getByTestId('webhook-row').count()).toBe(1);
    await snap('04-list');
    await page.getByTestId('webhook-row').first().click();
    await page.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('button', { name: 'Delete endpoint' }).click();
    await page.waitForURL(/\/admin\/developers\/webhooks$/);
    await expect.poll(() => page.getByText('No webhook endpoints yet').isVisible()).toBe(true);
    expect(pageErrors).toEqual([]);
  }, 90_000);
});
