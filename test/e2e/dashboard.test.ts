import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestAccount, startTestServer, type TestAccount, type TestServer } from '../helpers/server.ts';

/**
 * The dashboard in a real browser (Debian's Chromium) against a real Recur server:
 * sign in, create a customer through the UI, find it with the search box, open it;
 * switch workspaces, sign out, change the password.
 */
const CHROMIUM = '/usr/bin/chromium';
const webDir = fileURLToPath(new URL('../../dist/web', import.meta.url));
const hasChromium = existsSync(CHROMIUM);
// Set to a directory to keep screenshots of each step (never inside the repository).
const screenshotDir = process.env.RECUR_E2E_SCREENSHOTS;

const title = hasChromium
  ? 'dashboard in Chromium'
  : `dashboard in Chromium — SKIPPED: ${CHROMIUM} is not installed (apt-get install -y chromium)`;

interface CustomerBody {
  id: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  address: { line1: string | null; city: string | null; country: string | null } | null;
  preferred_locales: string[];
  metadata: Record<string, string>;
}

describe.skipIf(!hasChromium)(title, () => {
  let server: TestServer;
  let account: TestAccount;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const dialogs: string[] = [];
  const pageErrors: string[] = [];
  const suffix = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

  async function snap(name: string): Promise<void> {
    if (!screenshotDir) return;
    await mkdir(screenshotDir, { recursive: true });
    await page.screenshot({ path: join(screenshotDir, `${name}.png`) });
  }

  async function createViaApi(params: Record<string, string>): Promise<CustomerBody> {
    const response = await call<CustomerBody>(server.baseUrl, 'POST', '/v1/customers', {
      key: account.secretKey,
      form: new URLSearchParams(params).toString(),
    });
    expect(response.status).toBe(200);
    return response.body;
  }

  /** Types into the (debounced) search box and waits for the search endpoint to answer for it. */
  async function search(text: string): Promise<void> {
    const answered = page.waitForResponse(
      (response) => response.url().includes('/v1/customers/search') && (new URL(response.url()).searchParams.get('query') ?? '').includes(text),
    );
    await page.getByTestId('customer-search').fill(text);
    expect((await answered).status()).toBe(200);
  }

  beforeAll(async () => {
    if (!existsSync(join(webDir, 'index.html'))) {
      throw new Error(`The dashboard is not built (${webDir}/index.html is missing): run \`npm run build:web\` first.`);
    }
    server = await startTestServer({ webDir });
    account = await createTestAccount(server.database);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    context.setDefaultTimeout(15_000);
    page = await context.newPage();
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    page.on('pageerror', (error) => pageErrors.push(error.message));
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.close();
  });

  it('sends a signed-out visitor to sign in, and rejects a wrong password', async () => {
    await page.goto(`${server.baseUrl}/admin/customers`);
    await page.waitForURL(/\/admin\/login/);
    await page.locator('input[name="email"]').fill(account.ownerEmail);
    await page.locator('input[name="password"]').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByTestId('login-error').textContent()).toContain('Incorrect email or password');
    await snap('01-login-error');
  }, 60_000);

  it('signs in, creates a customer, finds it with the search box and shows its details', async () => {
    await page.locator('input[name="password"]').fill(account.ownerPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/admin\/customers$/);
    await expect.poll(() => page.getByTestId('sandbox-banner').isVisible()).toBe(true);

    // Others in the list, so the search has something to leave out.
    await createViaApi({ name: `Someone Else ${suffix}`, email: `else-${suffix}@example.com` });
    await createViaApi({ name: 'Unrelated Person', email: `unrelated-${suffix}@example.com` });

    const name = `Ada Lovelace ${suffix}`;
    const email = `ada-${suffix}@example.com`;
    await page.getByRole('button', { name: 'New customer' }).first().click();
    const form = page.getByTestId('customer-form');
    await form.locator('input[name="name"]').fill(name);
    // An invalid email first: the API's error must land on the email field.
    await form.locator('input[name="email"]').fill('not-an-email');
    await form.getByRole('button', { name: 'Create customer' }).click();
    await expect.poll(() => form.getByText('must be a valid email address').isVisible()).toBe(true);
    await expect.poll(() => form.locator('input[name="email"]').getAttribute('aria-invalid')).toBe('true');
    await snap('02-validation-error');

    await form.locator('input[name="email"]').fill(email);
    await form.locator('input[name="phone"]').fill('+44 20 7946 0018');
    await form.locator('input[name="line1"]').fill('12 St James Square');
    await form.locator('input[name="city"]').fill('London');
    await form.locator('input[name="country"]').fill('GB');
    await form.getByLabel('Preferred locales').fill('en-GB');
    await form.getByLabel('Preferred locales').press('Enter');
    await form.getByRole('button', { name: 'Add metadata' }).click();
    await form.getByLabel('Metadata key 1').fill('plan');
    await form.getByLabel('Metadata value 1').fill('pro');
    await form.getByRole('button', { name: 'Create customer' }).click();
    await page.waitForURL(/\/admin\/customers\/cus_/);
    const createdId = page.url().split('/').pop() as string;

    // The customer really exists, with what was typed.
    const stored = await call<CustomerBody>(server.baseUrl, 'GET', `/v1/customers/${createdId}`, { key: account.secretKey });
    expect(stored.status).toBe(200);
    expect(stored.body).toMatchObject({
      name,
      email,
      phone: '+44 20 7946 0018',
      address: { line1: '12 St James Square', city: 'London', country: 'GB' },
      preferred_locales: ['en-GB'],
      metadata: { plan: 'pro' },
    });

    // Back to the list, find it with the search box, open it.
    await page.getByRole('link', { name: 'Customers' }).first().click();
    await page.waitForURL(/\/admin\/customers$/);
    await search(`Lovelace ${suffix}`);
    const rows = page.getByTestId('customer-row');
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain(name);
    expect(await rows.first().textContent()).toContain(createdId);
    await snap('03-search');

    // Searching by email uses the email clause.
    await search(`ada-${suffix}@`);
    await expect.poll(() => rows.count()).toBe(1);
    await rows.first().click();
    await page.waitForURL(new RegExp(`/admin/customers/${createdId}$`));

    await expect.poll(() => page.getByTestId('customer-name').textContent()).toBe(name);
    expect(await page.getByTestId('detail-email').textContent()).toBe(email);
    expect(await page.getByTestId('detail-phone').textContent()).toBe('+44 20 7946 0018');
    expect(await page.getByTestId('detail-address').textContent()).toContain('London');
    expect(await page.getByTestId('detail-locales').textContent()).toContain('en-GB');
    expect(await page.getByTestId('customer-metadata').textContent()).toContain('pro');
    await expect.poll(() => page.getByTestId('customer-timeline').textContent()).toContain('Customer created');
    await snap('04-customer');
  }, 90_000);

  it('shows HTML in a customer name as literal text', async () => {
    const evil = `<img src=x onerror=alert(1)> Mallory ${suffix}`;
    const customer = await createViaApi({ name: evil, email: `mallory-${suffix}@example.com` });

    await page.goto(`${server.baseUrl}/admin/customers`);
    await search(`Mallory ${suffix}`);
    const row = page.getByTestId('customer-row').first();
    await expect.poll(() => row.textContent()).toContain(evil);
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    await snap('05-xss-list');

    await row.click();
    await page.waitForURL(new RegExp(`/admin/customers/${customer.id}$`));
    await expect.poll(() => page.getByTestId('customer-name').textContent()).toBe(evil);
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(dialogs).toEqual([]);
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it('switches between sandbox and live workspaces', async () => {
    const live = await call<CustomerBody>(server.baseUrl, 'POST', '/v1/customers', {
      key: account.liveSecretKey,
      form: new URLSearchParams({ name: `Live Customer ${suffix}` }).toString(),
    });
    expect(live.status).toBe(200);

    await page.goto(`${server.baseUrl}/admin/customers`);
    await page.getByTestId('customer-row').first().waitFor();
    const answered = page.waitForResponse(
      (response) => response.url().includes('/v1/customers?') && response.request().headers()['recur-workspace'] === account.live.id,
    );
    await page.getByTestId('workspace-switch').getByText('Live', { exact: true }).click();
    expect((await answered).status()).toBe(200);
    await expect.poll(() => page.getByTestId('customer-row').count()).toBe(1);
    expect(await page.getByTestId('customer-row').first().textContent()).toContain(`Live Customer ${suffix}`);
    expect(await page.getByTestId('sandbox-banner').count()).toBe(0);
    await snap('06-live');

    await page.getByTestId('workspace-switch').getByText('Sandbox', { exact: true }).click();
    await expect.poll(() => page.getByTestId('sandbox-banner').isVisible()).toBe(true);
    await expect.poll(() => page.getByText(`Live Customer ${suffix}`).count()).toBe(0);
  }, 60_000);

  it('creates a product with a monthly USD price and an EUR amount, and a 20% coupon', async () => {
    await page.goto(`${server.baseUrl}/admin/products`);
    await page.getByRole('button', { name: 'New product' }).first().click();
    const form = page.getByTestId('product-form');
    await form.locator('input[name="name"]').fill(`Pro plan ${suffix}`);
    await form.getByRole('button', { name: 'Create product' }).click();
    await page.waitForURL(/\/admin\/products\/prod_/);
    await expect.poll(() => page.getByTestId('product-name').textContent()).toBe(`Pro plan ${suffix}`);

    await page.getByRole('button', { name: 'Add price' }).first().click();
    const price = page.getByTestId('price-form');
    await price.locator('input[name="unit_amount"]').fill('12.50');
    await price.getByRole('button', { name: 'Add currency' }).click();
    await price.getByLabel('Extra amount 1').fill('11.50');
    await price.locator('input[name="nickname"]').fill('Monthly');
    await price.getByRole('button', { name: 'Add price' }).click();
    const row = page.getByTestId('price-row').first();
    await expect.poll(() => page.getByTestId('price-amount').first().textContent()).toBe('$12.50');
    expect(await page.getByTestId('price-interval').first().textContent()).toBe('per month');
    expect(await row.textContent()).toContain('€11.50');
    await snap('07-product');

    await page.getByRole('link', { name: 'Coupons' }).first().click();
    await page.waitForURL(/\/admin\/coupons$/);
    await page.getByRole('button', { name: 'New coupon' }).first().click();
    const coupon = page.getByTestId('coupon-form');
    await coupon.locator('input[name="name"]').fill(`Launch ${suffix}`);
    await coupon.locator('input[name="percent_off"]').fill('20');
    await coupon.getByRole('button', { name: 'Create coupon' }).click();
    const coupons = page.getByTestId('coupon-row');
    await expect.poll(() => coupons.count()).toBe(1);
    expect(await coupons.first().textContent()).toContain(`Launch ${suffix}`);
    expect(await coupons.first().textContent()).toContain('20% off');
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it('signs out, after which pages send the visitor to sign in again', async () => {
    await page.getByTestId('user-menu').click();
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await page.waitForURL(/\/admin\/login/);
    await page.goto(`${server.baseUrl}/admin/settings/team`);
    await page.waitForURL(/\/admin\/login/);
    const session = await page.evaluate(async () => (await fetch('/auth/session')).status);
    expect(session).toBe(401);
  }, 60_000);

  it('changes the password from the account menu: other sessions end, the old password stops working, the new one works', async () => {
    const oldPassword = account.ownerPassword;
    const newPassword = `new password ${suffix}`;
    // Another session of the same user (say, another browser), which the change must end.
    const elsewhere = await call(server.baseUrl, 'POST', '/auth/login', { json: { email: account.ownerEmail, password: oldPassword } });
    expect(elsewhere.status).toBe(200);
    const otherCookie = (elsewhere.headers.get('set-cookie') ?? '').split(';')[0] as string;
    expect(otherCookie).toMatch(/^recur_session=./);

    await page.goto(`${server.baseUrl}/admin/login`);
    await page.locator('input[name="email"]').fill(account.ownerEmail);
    await page.locator('input[name="password"]').fill(oldPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/admin\/customers$/);

    await page.getByTestId('user-menu').click();
    await page.getByRole('menuitem', { name: 'Change password' }).click();
    const form = page.getByTestId('change-password-form');
    const current = form.locator('input[name="current_password"]');

    // A wrong current password: the API's error lands on that field, and nothing changes.
    await current.fill('not my password');
    await form.locator('input[name="new_password"]').fill(newPassword);
    await form.locator('input[name="confirm_password"]').fill(newPassword);
    await form.getByRole('button', { name: 'Change password' }).click();
    await expect.poll(() => form.getByText('The current password is not right.').isVisible()).toBe(true);
    await expect.poll(() => current.getAttribute('aria-invalid')).toBe('true');
    await snap('07-change-password-error');

    // A confirmation that does not match is caught before anything is sent.
    await current.fill(oldPassword);
    await form.locator('input[name="confirm_password"]').fill(`${newPassword}!`);
    await form.getByRole('button', { name: 'Change password' }).click();
    await expect.poll(() => form.getByText('Passwords do not match.').isVisible()).toBe(true);

    await form.locator('input[name="confirm_password"]').fill(newPassword);
    const changed = page.waitForResponse((response) => response.url().endsWith('/auth/password'));
    await form.getByRole('button', { name: 'Change password' }).click();
    expect((await changed).status()).toBe(200);
    await expect.poll(() => page.getByTestId('notification').textContent()).toContain('Password changed');
    await expect.poll(() => form.count()).toBe(0);
    await snap('08-password-changed');

    // This session carries on; the other one ended.
    expect(await page.evaluate(async () => (await fetch('/auth/session')).status)).toBe(200);
    const other = await call(server.baseUrl, 'GET', '/auth/session', { headers: { cookie: otherCookie } });
    expect(other.status).toBe(401);

    // The change is in the audit log, by this user's email, account-wide rather than in a workspace.
    await page.goto(`${server.baseUrl}/admin/settings/audit-log`);
    const entry = page.getByTestId('audit-row').filter({ hasText: 'user.password_changed' }).first();
    await expect.poll(() => entry.textContent()).toContain(account.ownerEmail);
    expect(await entry.getByTestId('account-wide').textContent()).toBe('Account');
    await snap('09-audit-password-changed');

    await page.getByTestId('user-menu').click();
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await page.waitForURL(/\/admin\/login/);

    await page.locator('input[name="email"]').fill(account.ownerEmail);
    await page.locator('input[name="password"]').fill(oldPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByTestId('login-error').textContent()).toContain('Incorrect email or password');

    await page.locator('input[name="password"]').fill(newPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/admin\/customers$/);
    await expect.poll(() => page.getByTestId('user-menu').textContent()).toContain(account.ownerEmail);
    expect(pageErrors).toEqual([]);
  }, 90_000);
});
