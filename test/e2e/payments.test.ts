import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserSuiteTitle, hasChromium, openDashboard, type DashboardSession } from '../helpers/browser.ts';
import { call, type TestAccount, type TestServer } from '../helpers/server.ts';

/**
 * The payment pages of the dashboard, in a real browser against a real Recur server: a Stripe
 * gateway account connected (fake credentials: the API only checks their shape), made
 * default, given new credentials and deleted; the dunning schedule saved and shown again; a
 * failed payment in the queue and on its invoice; a customer's new default card paying it;
 * and a refund of that payment, in part and then in full.
 */
const title = browserSuiteTitle('payments in the dashboard (Chromium)');

interface Invoice {
  id: string;
  status: string;
  attempt_count: number;
  attempted: boolean;
  amount_paid: number;
  next_payment_attempt: number | null;
}

interface GatewayAccount {
  id: string;
  default: boolean;
  credentials_set: string[];
  webhook_path: string;
}

const STRIPE_KEY = 'sk_test_fakeDashboardKey123';
const STRIPE_WHSEC = 'whsec_fakeDashboardSecret456';

describe.skipIf(!hasChromium)(title, () => {
  let session: DashboardSession;
  let server: TestServer;
  let account: TestAccount;
  let page: Page;
  let pageErrors: string[] = [];
  const suffix = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  // Filled in as the steps go (each step needs the one before).
  let customerId = '';
  let failedInvoice = '';

  const snap = (name: string) => session.snap(name);
  const api = <T = Record<string, unknown>>(method: string, path: string, params?: Record<string, string>, expected = 200) => session.api<T>(method, path, params, expected);

  /** A customer with a card, and an open invoice of `amount` cents charged to it once. */
  async function chargedInvoice(name: string, card: string, amount: number, expected: number): Promise<{ customer: string; invoice: string }> {
    const customer = await api<{ id: string }>('POST', '/v1/customers', { name, email: `${name.split(' ')[0]?.toLowerCase()}-${suffix}@example.com` });
    const pm = await api<{ id: string }>('POST', `/v1/payment_methods/${card}/attach`, { customer: customer.id });
    await api('POST', `/v1/customers/${customer.id}`, { 'invoice_settings[default_payment_method]': pm.id });
    await api('POST', '/v1/invoiceitems', { customer: customer.id, amount: String(amount), currency: 'usd', description: 'Consulting' });
    const invoice = await api<Invoice>('POST', '/v1/invoices', { customer: customer.id, pending_invoice_items_behavior: 'include' });
    await api('POST', `/v1/invoices/${invoice.id}/finalize`);
    await api('POST', `/v1/invoices/${invoice.id}/pay`, undefined, expected);
    return { customer: customer.id, invoice: invoice.id };
  }

  const nav = (name: string) => session.nav(name);

  beforeAll(async () => {
    session = await openDashboard('payments');
    ({ server, account, page, pageErrors } = session);
  });

  afterAll(async () => session?.close());

  it('signs in', async () => {
    await page.goto(`${server.baseUrl}/admin/login`);
    await page.locator('input[name="email"]').fill(account.ownerEmail);
    await page.locator('input[name="password"]').fill(account.ownerPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/admin\/customers$/);
  }, 60_000);

  it('connects Stripe accounts, shows each webhook URL and never a credential, moves the default, replaces credentials and deletes them', async () => {
    await nav('Payment gateways').click();
    await page.waitForURL(/\/admin\/settings\/gateways$/);
    await expect.poll(() => page.getByText('No payment gateway connected').isVisible()).toBe(true);

    await page.getByRole('button', { name: 'Connect gateway' }).first().click();
    const form = page.getByTestId('gateway-form');
    // Each gateway asks for its own credentials.
    await form.getByText('PayPal', { exact: true }).click();
    await expect.poll(() => form.locator('input[name="credentials[client_id]"]').isVisible()).toBe(true);
    expect(await form.locator('input[name="credentials[webhook_id]"]').count()).toBe(1);
    await form.getByText('Braintree', { exact: true }).click();
    await expect.poll(() => form.locator('input[name="credentials[merchant_id]"]').isVisible()).toBe(true);
    await form.getByText('Stripe', { exact: true }).click();
    await expect.poll(() => form.locator('input[name="credentials[secret_key]"]').isVisible()).toBe(true);
    expect(await form.locator('input[name="credentials[client_id]"]').count()).toBe(0);

    // The API's complaint lands under the field it is about.
    await form.locator('input[name="credentials[secret_key]"]').fill('not-a-key');
    await form.locator('input[name="credentials[webhook_secret]"]').fill(STRIPE_WHSEC);
    await form.getByRole('button', { name: 'Connect Stripe' }).click();
    await expect.poll(() => form.getByText('must be a Stripe secret key', { exact: false }).isVisible()).toBe(true);
    await form.locator('input[name="credentials[secret_key]"]').fill(` ${STRIPE_KEY} `);
    await form.locator('input[name="display_name"]').fill('Stripe EU');
    await form.getByRole('button', { name: 'Connect Stripe' }).click();

    // Connected: the webhook URL to give Stripe, which names the new account.
    const shown = page.getByRole('dialog', { name: /^Connected/ }).getByTestId('copy-field-value');
    await shown.waitFor();
    const [first] = (await api<{ data: GatewayAccount[] }>('GET', '/v1/gateway_accounts')).data;
    expect(first).toMatchObject({ default: true, credentials_set: ['secret_key', 'webhook_secret'] });
    expect(first?.webhook_path).toContain(first?.id);
    expect(await shown.textContent()).toBe(`${server.baseUrl}${first?.webhook_path}`);
    await snap('01-connected');
    await page.getByRole('button', { name: 'Done' }).click();

    const card = (id: string) => page.locator(`[data-testid="gateway-account"][data-id="${id}"]`);
    const firstCard = card(first?.id ?? '');
    await expect.poll(() => firstCard.getAttribute('data-default')).toBe('true');
    expect(await firstCard.getByTestId('gateway-account-name').textContent()).toBe('Stripe EU');
    expect(await firstCard.getByTestId('gateway-credentials-set').textContent()).toBe('secret_keywebhook_secret');
    expect(await firstCard.getByTestId('gateway-webhook-url').textContent()).toBe(`${server.baseUrl}${first?.webhook_path}`);

    // A second account, not the default until it is made so.
    await page.getByRole('button', { name: 'Connect gateway' }).click();
    await form.locator('input[name="credentials[secret_key]"]').fill('sk_test_secondKey789');
    await form.locator('input[name="credentials[webhook_secret]"]').fill('whsec_second');
    await form.getByRole('button', { name: 'Connect Stripe' }).click();
    await page.getByRole('button', { name: 'Done' }).click();
    await expect.poll(() => page.getByTestId('gateway-account').count()).toBe(2);
    const second = (await api<{ data: GatewayAccount[] }>('GET', '/v1/gateway_accounts')).data.find((a) => a.id !== first?.id);
    expect(second?.default).toBe(false);
    await card(second?.id ?? '').getByTestId('gateway-make-default').click();
    await expect.poll(() => card(second?.id ?? '').getAttribute('data-default')).toBe('true');
    await expect.poll(() => firstCard.getAttribute('data-default')).toBe('false');
    await snap('02-two-accounts');

    // New credentials: accepted, and still never shown.
    await firstCard.getByRole('button', { name: 'Replace credentials' }).click();
    const replace = page.getByTestId('gateway-credentials-form');
    await replace.locator('input[name="credentials[secret_key]"]').fill('rk_test_restrictedKey1');
    await replace.locator('input[name="credentials[webhook_secret]"]').fill('whsec_rotated');
    await replace.getByRole('button', { name: 'Replace credentials' }).click();
    await expect.poll(() => replace.count()).toBe(0);
    const body = (await page.locator('body').textContent()) ?? '';
    for (const secret of [STRIPE_KEY, STRIPE_WHSEC, 'sk_test_secondKey789', 'rk_test_restrictedKey1', 'whsec_rotated']) expect(body).not.toContain(secret);

    // Deleted, both: the sandbox's cards go back to the test gateway for the steps below.
    for (const id of [first?.id ?? '', second?.id ?? '']) {
      await card(id).getByRole('button', { name: 'Delete' }).click();
      await page.getByRole('button', { name: 'Delete account' }).click();
      await expect.poll(() => card(id).count()).toBe(0);
    }
    await expect.poll(() => page.getByText('No payment gateway connected').isVisible()).toBe(true);
    expect((await api<{ data: GatewayAccount[] }>('GET', '/v1/gateway_accounts')).data).toEqual([]);
  }, 90_000);

  it('saves the dunning schedule and shows it again, explained in words', async () => {
    await nav('Dunning').click();
    await page.waitForURL(/\/admin\/settings\/dunning$/);
    const schedule = page.getByTestId('dunning-schedule');
    await expect.poll(() => schedule.textContent()).toBe('Retries 1, 2, 3, 5, 7, 9, 11 and 14 days after the first failure: 8 retries within 2 weeks.');

    const days = page.locator('input[name="retry_days"]');
    await days.fill('3, 2');
    await expect.poll(() => page.getByText('Retry days must increase.').isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Save' }).isDisabled()).toBe(true);
    await days.fill('2, 4, 7');
    await expect.poll(() => schedule.textContent()).toBe('Retries 2, 4 and 7 days after the first failure: 3 retries within 1 week.');
    await page.getByText('Mark the subscription unpaid').click();
    expect(await page.getByTestId('dunning-final-summary').textContent()).toContain('the subscription is marked unpaid');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.getByTestId('notification').textContent()).toContain('Dunning settings saved');
    expect(await api('GET', '/v1/dunning_settings')).toMatchObject({ retry_days: [2, 4, 7], final_action: 'unpaid' });

    await page.reload();
    await expect.poll(() => days.inputValue()).toBe('2, 4, 7');
    expect(await schedule.textContent()).toBe('Retries 2, 4 and 7 days after the first failure: 3 retries within 1 week.');
    expect(await page.getByRole('radio', { name: 'Mark the subscription unpaid' }).isChecked()).toBe(true);
    await snap('03-dunning');
  }, 60_000);

  it('lists a failed payment in the queue (GET /v1/invoices?status=open&attempted=true) and on its invoice', async () => {
    const failed = await chargedInvoice(`Failing Customer ${suffix}`, 'pm_card_chargeDeclinedInsufficientFunds', 2500, 402);
    customerId = failed.customer;
    failedInvoice = failed.invoice;
    // Neither a paid invoice nor an open one never charged is in the queue.
    const paid = await chargedInvoice(`Paying Customer ${suffix}`, 'pm_card_visa', 1200, 200);
    await api('POST', '/v1/invoiceitems', { customer: paid.customer, amount: '700', currency: 'usd' });
    const unattempted = await api<Invoice>('POST', '/v1/invoices', { customer: paid.customer, pending_invoice_items_behavior: 'include', collection_method: 'send_invoice', days_until_due: '30' });
    await api('POST', `/v1/invoices/${unattempted.id}/finalize`);

    const queue = await api<{ data: Invoice[] }>('GET', '/v1/invoices?status=open&attempted=true');
    expect(queue.data.map((i) => i.id)).toEqual([failedInvoice]);
    expect(queue.data[0]).toMatchObject({ attempt_count: 1, attempted: true });
    // The dunning schedule just saved: the first retry is 2 days after the failure.
    expect(queue.data[0]?.next_payment_attempt).toBeGreaterThan(Date.now() / 1000 + 86_400);
    const notAttempted = await api<{ data: Invoice[] }>('GET', '/v1/invoices?status=open&attempted=false');
    expect(notAttempted.data.map((i) => i.id)).toEqual([unattempted.id]);
    expect((await call(server.baseUrl, 'GET', '/v1/invoices?attempted=maybe', { key: account.secretKey })).status).toBe(400);

    await nav('Failed payments').click();
    await page.waitForURL(/\/admin\/failed-payments$/);
    await expect.poll(() => page.getByTestId('failed-payment-row').count()).toBe(1);
    const row = page.locator(`[data-testid="failed-payment-row"][data-id="${failedInvoice}"]`);
    expect(await row.getByTestId('failed-customer').textContent()).toBe(`Failing Customer ${suffix}`);
    expect(await row.getByTestId('failed-amount').textContent()).toBe('$25.00');
    expect(await row.getByTestId('failed-attempts').textContent()).toBe('1');
    expect(await row.getByTestId('decline-code').textContent()).toBe('insufficient_funds');
    expect(await row.getByTestId('failed-next-retry').getAttribute('data-scheduled')).toBe('true');
    await snap('04-failed-queue');

    await row.getByRole('link').last().click();
    await page.waitForURL(new RegExp(`/admin/invoices/${failedInvoice}$`));
    await expect.poll(() => page.getByTestId('invoice-payment-failure').isVisible()).toBe(true);
    expect(await page.getByTestId('invoice-payment-failure').textContent()).toContain('1 attempt');
    await expect.poll(() => page.getByTestId('charge-row').count()).toBe(1);
    const charge = page.getByTestId('charge-row').first();
    expect(await charge.getByTestId('charge-status').getAttribute('data-status')).toBe('failed');
    expect(await charge.getByTestId('charge-amount').textContent()).toBe('$25.00');
    expect(await charge.textContent()).toContain('Visa •••• 9995');
    expect(await charge.textContent()).toContain('Test gateway');
    expect(await charge.getByTestId('charge-refund').count()).toBe(0);
    await snap('05-failed-invoice');
  }, 90_000);

  it("shows the customer's cards; a new default pays the failed invoice at once; the old card is detached", async () => {
    await api('POST', '/v1/payment_methods/pm_card_visa/attach', { customer: customerId });
    await page.goto(`${server.baseUrl}/admin/customers/${customerId}`);
    const cards = page.getByTestId('customer-payment-methods');
    await expect.poll(() => cards.getByTestId('payment-method-row').count()).toBe(2);
    const failing = cards.getByTestId('payment-method-row').filter({ hasText: 'Visa •••• 9995' });
    const visa = cards.getByTestId('payment-method-row').filter({ hasText: 'Visa •••• 4242' });
    expect(await failing.getByTestId('payment-method-default').count()).toBe(1);
    expect(await visa.getByTestId('payment-method-default').count()).toBe(0);

    await visa.getByTestId('payment-method-make-default').click();
    await expect.poll(() => visa.getByTestId('payment-method-default').count()).toBe(1);
    expect(await failing.getByTestId('payment-method-default').count()).toBe(0);
    // The new default was charged for the failed invoice in that same request.
    expect(await api<Invoice>('GET', `/v1/invoices/${failedInvoice}`)).toMatchObject({ status: 'paid', attempt_count: 2, amount_paid: 2500 });
    const invoiceRow = page.getByTestId('customer-invoices').locator(`[data-testid="invoice-row"][data-id="${failedInvoice}"]`);
    await expect.poll(() => invoiceRow.getByTestId('invoice-row-status').getAttribute('data-status')).toBe('paid');

    await failing.getByTestId('payment-method-detach').click();
    await page.getByRole('button', { name: 'Detach card' }).click();
    await expect.poll(() => cards.getByTestId('payment-method-row').count()).toBe(1);
    expect(await api<{ data: unknown[] }>('GET', `/v1/customers/${customerId}/payment_methods`)).toMatchObject({ data: [{ card: { last4: '4242' } }] });
    await snap('06-payment-methods');

    await nav('Failed payments').click();
    await expect.poll(() => page.getByText('No failed payments').isVisible()).toBe(true);
  }, 60_000);

  it("shows the invoice's payment attempts, and refunds the payment in part, then the rest", async (ctx) => {
    // /v1/refunds is built alongside this page; until it is there, there is nothing to refund through.
    const refunds = await call(server.baseUrl, 'GET', '/v1/refunds', { key: account.secretKey });
    if (refunds.status === 404) ctx.skip();

    await page.goto(`${server.baseUrl}/admin/invoices/${failedInvoice}`);
    await expect.poll(() => page.getByTestId('charge-row').count()).toBe(2);
    expect(await page.getByTestId('invoice-payment-failure').count()).toBe(0);
    const succeeded = page.locator('[data-testid="charge-row"]:has([data-testid="charge-status"][data-status="succeeded"])');
    expect(await succeeded.textContent()).toContain('Visa •••• 4242');
    await expect.poll(() => page.getByText('No refunds.').isVisible()).toBe(true);

    // In part: the amount is checked, then confirmed.
    await succeeded.getByTestId('charge-refund').click();
    const form = page.getByTestId('refund-form');
    await form.getByText('Partial', { exact: true }).click();
    await form.locator('input[name="amount"]').fill('30');
    await expect.poll(() => form.getByText('At most $25.00 is left to refund.').isVisible()).toBe(true);
    await form.locator('input[name="amount"]').fill('5');
    await form.getByRole('button', { name: 'Review refund' }).click();
    const confirm = page.getByTestId('refund-confirm');
    expect(await confirm.textContent()).toContain('Refund $5.00 of the $25.00 payment to Visa •••• 4242');
    await confirm.getByRole('button', { name: 'Refund $5.00' }).click();
    await expect.poll(() => page.getByTestId('refund-row').count()).toBe(1);
    expect(await page.getByTestId('refund-amount').first().textContent()).toBe('$5.00');
    await expect.poll(() => succeeded.getByTestId('charge-refunded').textContent()).toBe('$5.00 refunded');
    await snap('07-partly-refunded');

    // The rest: what is left, by default.
    await succeeded.getByTestId('charge-refund').click();
    await page.getByTestId('refund-form').getByRole('button', { name: 'Review refund' }).click();
    await page.getByTestId('refund-confirm').getByRole('button', { name: 'Refund $20.00' }).click();
    await expect.poll(() => page.getByTestId('refund-row').count()).toBe(2);
    await expect.poll(() => succeeded.getByTestId('charge-status').textContent()).toBe('Refunded');
    expect(await succeeded.getByTestId('charge-refund').count()).toBe(0);
    const listed = await api<{ data: Array<{ amount: number; status: string }> }>('GET', `/v1/refunds?payment_intent=pi_${failedInvoice.replace(/^in_/, '')}`);
    expect(listed.data.map((r) => r.amount).sort((a, b) => a - b)).toEqual([500, 2000]);
    await snap('08-refunded');
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it('raised no errors in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
