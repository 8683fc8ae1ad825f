import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserSuiteTitle, hasChromium, openDashboard, type DashboardSession } from '../helpers/browser.ts';
import type { TestAccount, TestServer } from '../helpers/server.ts';

/**
 * Billing in the dashboard, in a real browser against a real Recur server: a customer on a
 * test clock with a test card subscribes through the UI, upgrades with a proration preview
 * (credit for the unused time, charge for the remaining time) and, when the clock is advanced
 * a month through the UI, gets a paid renewal invoice.
 */

const title = browserSuiteTitle('billing in the dashboard (Chromium)');

/** Advancing a clock runs every renewal, finalization and charge that falls due: give it time. */
const CLOCK_TIMEOUT = 60_000;
const DAY = 86_400;

interface Subscription {
  id: string;
  status: string;
  latest_invoice: string | null;
  items: { data: Array<{ id: string; price: { id: string }; quantity: number }> };
}

describe.skipIf(!hasChromium)(title, () => {
  let session: DashboardSession;
  let server: TestServer;
  let account: TestAccount;
  let page: Page;
  let pageErrors: string[] = [];
  const suffix = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  // Filled in as the steps go (each step needs the one before).
  let basicPrice = '';
  let premiumPrice = '';
  let customerId = '';
  let subscriptionId = '';
  let firstInvoice = '';

  const snap = (name: string) => session.snap(name);
  const api = <T = Record<string, unknown>>(method: string, path: string, params?: Record<string, string>, expected = 200) => session.api<T>(method, path, params, expected);

  async function monthlyPrice(productName: string, unitAmount: number, nickname: string): Promise<string> {
    const product = await api<{ id: string }>('POST', '/v1/products', { name: productName });
    const price = await api<{ id: string }>('POST', '/v1/prices', {
      product: product.id,
      currency: 'usd',
      unit_amount: String(unitAmount),
      'recurring[interval]': 'month',
      nickname,
    });
    return price.id;
  }

  /** Picks an option of a Mantine Select (its input carries the test id; options render in a portal). */
  async function choose(testId: string, option: string): Promise<void> {
    await page.getByTestId(testId).click();
    await page.getByRole('option', { name: option }).click();
  }

  beforeAll(async () => {
    session = await openDashboard('billing');
    ({ server, account, page, pageErrors } = session);
  });

  afterAll(async () => session?.close());

  it('signs in; the catalog has a monthly price and a pricier one', async () => {
    // The catalog UI has its own browser test (dashboard.test.ts): here the prices come from the API.
    basicPrice = await monthlyPrice(`Basic ${suffix}`, 1000, 'Basic monthly');
    premiumPrice = await monthlyPrice(`Premium ${suffix}`, 3000, 'Premium monthly');

    await page.goto(`${server.baseUrl}/admin/login`);
    await page.locator('input[name="email"]').fill(account.ownerEmail);
    await page.locator('input[name="password"]').fill(account.ownerPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/admin\/customers$/);
    await expect.poll(() => page.getByTestId('sandbox-banner').isVisible()).toBe(true);
  }, 60_000);

  it('creates a customer on a new test clock, with a test card as its default payment method', async () => {
    await page.getByRole('button', { name: 'New customer' }).first().click();
    const form = page.getByTestId('customer-form');
    await form.locator('input[name="name"]').fill(`Grace Hopper ${suffix}`);
    await form.locator('input[name="email"]').fill(`grace-${suffix}@example.com`);
    await form.getByTestId('customer-test-clock-toggle').check();
    await expect.poll(() => form.getByTestId('customer-test-clock-start').isVisible()).toBe(true);
    await form.getByRole('button', { name: 'Create customer' }).click();
    await page.waitForURL(/\/admin\/customers\/cus_/);
    customerId = page.url().split('/').pop() as string;

    const customer = await api<{ test_clock: string | null }>('GET', `/v1/customers/${customerId}`);
    expect(customer.test_clock).toMatch(/^clock_/);
    await expect.poll(() => page.getByTestId('test-clock-status').getAttribute('data-status'), { timeout: 15_000 }).toBe('ready');

    const card = await api<{ id: string }>('POST', '/v1/payment_methods/pm_card_visa/attach', { customer: customerId });
    await api('POST', `/v1/customers/${customerId}`, { 'invoice_settings[default_payment_method]': card.id });
    await page.reload();
    await snap('01-customer');
  }, 60_000);

  it('subscribes the customer to the monthly price through the UI', async () => {
    await page.getByTestId('subscribe-button').click();
    const form = page.getByTestId('subscribe-form');
    await form.waitFor();
    // The customer has a default card: no warning about an incomplete start.
    expect(await form.getByTestId('subscribe-no-payment-method').count()).toBe(0);
    await choose('subscribe-price', '$10.00 per month · Basic monthly');
    await form.getByRole('button', { name: 'Start subscription' }).click();
    await page.waitForURL(/\/admin\/subscriptions\/sub_/);
    subscriptionId = page.url().split('/').pop() as string;

    await expect.poll(() => page.getByTestId('subscription-status').getAttribute('data-status'), { timeout: 15_000 }).toBe('active');
    expect(await page.getByTestId('subscription-item-price').first().textContent()).toBe('$10.00 per month · Basic monthly');
    const stored = await api<Subscription>('GET', `/v1/subscriptions/${subscriptionId}`);
    expect(stored).toMatchObject({ status: 'active', items: { data: [{ price: { id: basicPrice }, quantity: 1 }] } });
    firstInvoice = stored.latest_invoice ?? '';
    expect(firstInvoice).toMatch(/^in_/);
    // The first invoice was charged to the card.
    const invoiceRow = page.getByTestId('subscription-invoices').locator(`[data-testid="invoice-row"][data-id="${firstInvoice}"]`);
    await expect.poll(() => invoiceRow.getByTestId('invoice-row-status').getAttribute('data-status'), { timeout: 15_000 }).toBe('paid');
    await expect.poll(() => page.getByTestId('subscription-timeline').textContent()).toContain('Customer subscription created');
    await snap('02-subscription');
  }, 60_000);

  it('upgrades to the pricier price after previewing the proration: credit for unused time, charge for remaining time', async () => {
    await page.getByTestId('subscription-change-plan').click();
    const form = page.getByTestId('change-plan-form');
    await form.waitFor();
    // Nothing is previewed (or confirmable) until something changes.
    expect(await page.getByTestId('change-plan-confirm').isDisabled()).toBe(true);
    const previewed = page.waitForResponse((r) => r.url().endsWith('/v1/invoices/create_preview') && r.request().method() === 'POST');
    await choose('change-plan-price', '$30.00 per month · Premium monthly');
    expect((await previewed).status()).toBe(200);

    const preview = page.getByTestId('proration-preview');
    await preview.waitFor();
    const prorations = preview.locator('[data-testid="preview-line"][data-proration="true"]');
    const unused = prorations.filter({ hasText: 'Unused time' });
    const remaining = prorations.filter({ hasText: 'Remaining time' });
    await expect.poll(() => unused.count()).toBe(1);
    expect(await remaining.count()).toBe(1);
    expect(Number(await unused.getAttribute('data-amount'))).toBeLessThan(0);
    expect(Number(await remaining.getAttribute('data-amount'))).toBeGreaterThan(0);
    expect(await unused.getByTestId('line-amount').textContent()).toMatch(/^-\$/);
    await snap('03-proration-preview');

    await expect.poll(() => page.getByTestId('change-plan-confirm').isEnabled()).toBe(true);
    await page.getByTestId('change-plan-confirm').click();
    await expect.poll(() => form.count()).toBe(0);
    await expect.poll(() => page.getByTestId('subscription-item-price').first().textContent()).toBe('$30.00 per month · Premium monthly');
    const stored = await api<Subscription>('GET', `/v1/subscriptions/${subscriptionId}`);
    expect(stored.items.data.map((i) => i.price.id)).toEqual([premiumPrice]);
    await snap('04-upgraded');
  }, 60_000);

  it('advances the test clock a month through the UI, after which a paid renewal invoice is there', async () => {
    await page.getByTestId('customer-link').first().click();
    await page.waitForURL(new RegExp(`/admin/customers/${customerId}$`));
    const clockTime = page.getByTestId('test-clock-time');
    const frozen = Number(await clockTime.getAttribute('data-frozen-time'));
    expect(frozen).toBeGreaterThan(0);

    // A month and a day on: past the period end, and past the hour a renewal draft waits before it is finalized and charged.
    const target = frozen + 32 * DAY;
    const local = await page.evaluate((seconds) => {
      const d = new Date(seconds * 1000);
      const pad = (n: number) => String(n).padStart(2, '0');
      return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
    }, target);
    await page.getByTestId('test-clock-advance-input').fill(local);
    await page.getByTestId('test-clock-advance').click();
    await expect.poll(() => clockTime.getAttribute('data-frozen-time'), { timeout: CLOCK_TIMEOUT }).toBe(String(target));
    await expect.poll(() => page.getByTestId('test-clock-status').getAttribute('data-status'), { timeout: CLOCK_TIMEOUT }).toBe('ready');

    // The page refreshed on its own: the renewal invoice is in the customer's invoices, paid.
    const renewal = page.getByTestId('customer-invoices').locator(`[data-testid="invoice-row"]:not([data-id="${firstInvoice}"])`).first();
    await expect.poll(() => renewal.getByTestId('invoice-row-status').getAttribute('data-status'), { timeout: CLOCK_TIMEOUT }).toBe('paid');
    await snap('05-renewed');

    const renewalId = (await renewal.getAttribute('data-id')) as string;
    const subscription = await api<Subscription>('GET', `/v1/subscriptions/${subscriptionId}`);
    expect(subscription.status).toBe('active');
    expect(subscription.latest_invoice).toBe(renewalId);

    // Its page: paid, with the new price and the upgrade's prorations carried onto it; its PDF downloads.
    await renewal.getByRole('link').first().click();
    await page.waitForURL(new RegExp(`/admin/invoices/${renewalId}$`));
    await expect.poll(() => page.getByTestId('invoice-status').getAttribute('data-status')).toBe('paid');
    await expect.poll(() => page.locator('[data-testid="invoice-line"][data-proration="true"]').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('invoice-lines').textContent()).toContain('Premium');
    expect(await page.getByTestId('invoice-pay').count()).toBe(0);
    const download = page.waitForEvent('download');
    await page.getByTestId('invoice-pdf').click();
    expect((await download).suggestedFilename()).toMatch(/\.pdf$/);
    await snap('06-invoice');
    expect(pageErrors).toEqual([]);
  }, 180_000);
});
