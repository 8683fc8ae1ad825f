import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestAccount, startTestServer, type TestAccount, type TestServer } from '../../../../test/helpers/server.ts';
import { newPendingWrites } from '../../../server/unit-of-work.ts';
import { dunningTaskRow, type ExhaustedInvoice } from './dunning.ts';

function exhausted(overrides: Partial<ExhaustedInvoice['invoice']> = {}, finalAction: ExhaustedInvoice['finalAction'] = 'cancel'): ExhaustedInvoice {
  return {
    ctx: { workspace: { id: 'ws_1', accountId: 'acct_1', mode: 'sandbox' }, requestId: null, idempotencyKey: null, pending: newPendingWrites() },
    invoice: {
      id: 'in_1',
      number: 'ABC-0007',
      customer_id: 'cus_1',
      amount_remaining: 123_456n,
      currency: 'usd',
      attempt_count: 9,
      last_payment_error: { code: 'card_declined', decline_code: 'insufficient_funds', message: 'Your card has insufficient funds.', payment_method: 'pm_1', type: 'card_error' },
      ...overrides,
    },
    subscriptionId: 'sub_1',
    finalAction,
    at: new Date('2030-01-02T03:04:05Z'),
  };
}

describe('the dunning task', () => {
  it('names the invoice, the amount still due, the attempts, the last decline and the final action', () => {
    const row = dunningTaskRow(exhausted());
    expect(row).toMatchObject({
      workspace_id: 'ws_1',
      customer_id: 'cus_1',
      kind: 'dunning_exhausted',
      status: 'open',
      title: 'Payment failed: retries exhausted for invoice ABC-0007',
      related_invoice_id: 'in_1',
      related_subscription_id: 'sub_1',
      due_at: null,
      completed_at: null,
      metadata: {},
      created_at: new Date('2030-01-02T03:04:05Z'),
    });
    expect(row.id).toMatch(/^task_/);
    expect(row.description).toBe(
      '$1,234.56 is still due on invoice ABC-0007 after 9 failed payment attempts (last: Your card has insufficient funds.). Final action: the subscription was canceled.',
    );
  });

  it('says each final action, one attempt in the singular, and amounts in the currency\'s own decimals', () => {
    expect(dunningTaskRow(exhausted({}, 'unpaid')).description).toMatch(/Final action: the subscription was marked unpaid\.$/);
    expect(dunningTaskRow(exhausted({}, 'past_due')).description).toMatch(/Final action: the subscription was left past due\.$/);
    const once = dunningTaskRow(exhausted({ attempt_count: 1, last_payment_error: null, currency: 'jpy', amount_remaining: 5000n }));
    expect(once.description).toBe('¥5,000 is still due on invoice ABC-0007 after 1 failed payment attempt. Final action: the subscription was canceled.');
  });
});

describe('tasks over HTTP', () => {
  let server: TestServer;
  let account: TestAccount;
  beforeAll(async () => {
    server = await startTestServer();
    account = await createTestAccount(server.database);
  });
  afterAll(async () => server?.close());

  const post = (path: string, form: string, headers: Record<string, string> = {}, key = account.secretKey) => call(server.baseUrl, 'POST', path, { key, form, headers });

  it('replays a create with the same Idempotency-Key, audits it, and keeps workspaces apart', async () => {
    const customer = await post('/v1/customers', 'name=Ida');
    const form = `customer=${customer.body.id as string}&title=Send+the+contract`;
    const first = await post('/v1/tasks', form, { 'idempotency-key': 'task-once' });
    expect(first.status).toBe(200);
    const again = await post('/v1/tasks', form, { 'idempotency-key': 'task-once' });
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    const listed = await call(server.baseUrl, 'GET', `/v1/tasks?customer=${customer.body.id as string}`, { key: account.secretKey });
    expect((listed.body.data as unknown[]).length).toBe(1);

    const audit = await server.database.db.selectFrom('audit_log').select('action').where('workspace_id', '=', account.sandbox.id).where('object_id', '=', first.body.id as string).execute();
    expect(audit.map((a) => a.action)).toEqual(['task.created']);

    const id = first.body.id as string;
    expect((await call(server.baseUrl, 'GET', `/v1/tasks/${id}`, { key: account.liveSecretKey })).status).toBe(404);
    expect((await post(`/v1/tasks/${id}`, 'status=completed', {}, account.liveSecretKey)).status).toBe(404);
    // A live task cannot be opened on a sandbox customer either.
    const crossed = await post('/v1/tasks', form, {}, account.liveSecretKey);
    expect(crossed.status).toBe(400);
    expect(crossed.body).toMatchObject({ error: { param: 'customer', code: 'resource_missing' } });
  });
});
