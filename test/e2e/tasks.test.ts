import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserSuiteTitle, hasChromium, openDashboard, type DashboardSession } from '../helpers/browser.ts';
import { call, type TestAccount, type TestServer } from '../helpers/server.ts';

/**
 * CRM tasks in the dashboard, in a real browser against a real Recur server: a renewal whose
 * payment fails with no retries left opens a task, listed on the Tasks page (filtered by kind)
 * and on the customer's page, where a task is added by hand and the failed-payment one is
 * completed, then reopened.
 */
const title = browserSuiteTitle('tasks in the dashboard (Chromium)');

interface Task {
  id: string;
  kind: string;
  description: string | null;
  status: string;
  title: string;
  completed_at: number | null;
  related: { invoice: string | null; subscription: string | null };
}

const utc = (year: number, month: number, day: number, hour = 0) => Date.UTC(year, month - 1, day, hour) / 1000;

describe.skipIf(!hasChromium)(title, () => {
  let session: DashboardSession;
  let server: TestServer;
  let account: TestAccount;
  let page: Page;
  let pageErrors: string[] = [];
  const suffix = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  // Filled in as the steps go (each step needs the one before).
  let customerId = '';
  let dunningTask: Task | undefined;

  const snap = (name: string) => session.snap(name);
  const api = <T = Record<string, unknown>>(method: string, path: string, params?: Record<string, string>, expected = 200) => session.api<T>(method, path, params, expected);

  const nav = (name: string) => session.nav(name);

  beforeAll(async () => {
    session = await openDashboard('tasks');
    ({ server, account, page, pageErrors } = session);
  });

  afterAll(async () => session?.close());

  it('a renewal that fails with no retries left opens a task for the customer', async () => {
    // No retries: the first failed renewal is the end of dunning (the subscription stays past_due).
    const settings = await call(server.baseUrl, 'POST', '/v1/dunning_settings', { key: account.secretKey, json: { retry_days: [], final_action: 'past_due' } });
    expect(settings.status).toBe(200);
    const clock = await api<{ id: string }>('POST', '/v1/test_helpers/test_clocks', { frozen_time: String(utc(2029, 1, 10, 9)) });
    const customer = await api<{ id: string }>('POST', '/v1/customers', { name: 'Tessa Tasks', email: `tessa-${suffix}@example.com`, test_clock: clock.id });
    customerId = customer.id;
    const visa = await api<{ id: string }>('POST', '/v1/payment_methods/pm_card_visa/attach', { customer: customerId });
    await api('POST', `/v1/customers/${customerId}`, { 'invoice_settings[default_payment_method]': visa.id });
    const price = await api<{ id: string }>('POST', '/v1/prices', { currency: 'usd', unit_amount: '4500', 'recurring[interval]': 'month', 'product_data[name]': `Team plan ${suffix}` });
    const subscription = await api<{ id: string; status: string }>('POST', '/v1/subscriptions', { customer: customerId, 'items[0][price]': price.id });
    expect(subscription.status).toBe('active');
    const failing = await api<{ id: string }>('POST', '/v1/payment_methods/pm_card_chargeCustomerFail/attach', { customer: customerId });
    await api('POST', `/v1/customers/${customerId}`, { 'invoice_settings[default_payment_method]': failing.id });
    await api('POST', `/v1/test_helpers/test_clocks/${clock.id}/advance`, { frozen_time: String(utc(2029, 2, 10, 12)) });

    const tasks = await api<{ data: Task[] }>('GET', `/v1/tasks?customer=${customerId}`);
    expect(tasks.data).toHaveLength(1);
    dunningTask = tasks.data[0];
    const renewal = await api<{ id: string; number: string }>('GET', `/v1/invoices/${dunningTask?.related.invoice}`);
    expect(dunningTask).toMatchObject({ kind: 'dunning_exhausted', status: 'open', title: `Payment failed: retries exhausted for invoice ${renewal.number}` });
    expect(dunningTask?.related.subscription).toBe(subscription.id);
    expect(dunningTask?.description).toContain(`$45.00 is still due on invoice ${renewal.number} after 1 failed payment attempt (last: `);
    expect(dunningTask?.description).toMatch(/Final action: the subscription was left past due\.$/);
  }, 60_000);

  it('lists it on the Tasks page, filtered by kind', async () => {
    await page.goto(`${server.baseUrl}/admin/login`);
    await page.locator('input[name="email"]').fill(account.ownerEmail);
    await page.locator('input[name="password"]').fill(account.ownerPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/admin\/customers$/);

    await nav('Tasks').click();
    await page.waitForURL(/\/admin\/tasks$/);
    const row = page.locator(`[data-testid="task-row"][data-id="${dunningTask?.id}"]`);
    await row.waitFor();
    expect(await row.getByTestId('task-title').textContent()).toBe(dunningTask?.title);
    expect(await row.getByTestId('customer-link').textContent()).toBe('Tessa Tasks');
    expect(await row.getByTestId('task-kind').getAttribute('data-kind')).toBe('dunning_exhausted');

    const filter = page.getByTestId('task-kind-filter');
    await filter.getByRole('tab', { name: 'Manual' }).click();
    await page.waitForURL(/\/admin\/tasks\?kind=manual$/);
    await expect.poll(() => page.getByText('No open manual tasks').isVisible()).toBe(true);
    await filter.getByRole('tab', { name: 'Failed payment' }).click();
    await page.waitForURL(/\/admin\/tasks\?kind=dunning_exhausted$/);
    await row.waitFor();
    await snap('01-tasks-page');
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it("adds a task on the customer's page, completes the failed-payment one and reopens it", async () => {
    await page.locator(`[data-testid="task-row"][data-id="${dunningTask?.id}"]`).getByTestId('customer-link').click();
    await page.waitForURL(new RegExp(`/admin/customers/${customerId}$`));
    const section = page.getByTestId('customer-tasks');
    const openRow = (id: string) => section.locator(`[data-testid="open-task-row"][data-id="${id}"]`);
    const completedRow = (id: string) => section.locator(`[data-testid="completed-task-row"][data-id="${id}"]`);
    const dunningId = dunningTask?.id ?? '';
    await openRow(dunningId).waitFor();

    // A manual task: a missing title is the API's complaint under the field; then it is added.
    await section.getByTestId('add-task-button').click();
    const form = page.getByTestId('task-form');
    await form.getByTestId('task-submit').click();
    await expect.poll(() => form.getByText('Invalid title: must not be empty.', { exact: false }).isVisible()).toBe(true);
    await form.locator('input[name="title"]').fill('Call Tessa about the new card');
    await form.locator('input[name="due"]').fill('2031-05-01');
    await form.getByTestId('task-submit').click();
    await expect.poll(() => section.getByTestId('open-task-row').count()).toBe(2);
    const manual = (await api<{ data: Task[] }>('GET', `/v1/tasks?customer=${customerId}&kind=manual`)).data[0];
    expect(manual).toMatchObject({ title: 'Call Tessa about the new card', status: 'open' });
    // Newest first: the manual task is above the failed payment's.
    expect(await section.getByTestId('open-task-row').first().getAttribute('data-id')).toBe(manual?.id);

    // Complete: it moves to the completed tasks, struck through.
    await openRow(dunningId).getByTestId('task-complete').click();
    await completedRow(dunningId).waitFor();
    expect(await openRow(dunningId).count()).toBe(0);
    const completed = await api<Task>('GET', `/v1/tasks/${dunningId}`);
    expect(completed.status).toBe('completed');
    expect(completed.completed_at).not.toBeNull();
    await snap('02-completed');

    // Reopen: back among the open ones.
    await completedRow(dunningId).getByTestId('task-reopen').click();
    await openRow(dunningId).waitFor();
    expect(await api<Task>('GET', `/v1/tasks/${dunningId}`)).toMatchObject({ status: 'open', completed_at: null });
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
