import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBase62 } from '../../../lib/ids.ts';
import { createTestAccount, startTestServer, type TestAccount, type TestServer } from '../../../../test/helpers/server.ts';
import { TestGateway } from './test-gateway.ts';

let server: TestServer;
let account: TestAccount;

beforeAll(async () => {
  server = await startTestServer();
  account = await createTestAccount(server.database);
});
afterAll(async () => server.close());

const ledgerRows = async (key: string) =>
  (
    await server.database.db
      .selectFrom('test_gateway_charges')
      .selectAll()
      .where('workspace_id', '=', account.sandbox.id)
      .where('idempotency_key', '=', key)
      .execute()
  ).length;

describe('the test gateway', () => {
  it('saves cards without their numbers and charges by behaviour', async () => {
    const gateway = new TestGateway(server.database.gatewayDb, account.sandbox.id);
    const visa = await gateway.savePaymentMethod('pm_card_visa');
    expect(visa.card).toMatchObject({ brand: 'visa', last4: '4242' });
    const byNumber = await gateway.savePaymentMethod('4000000000000341');
    expect(byNumber.gatewayRef).not.toContain('4000000000000341');
    expect(byNumber.card.last4).toBe('0341');
    await expect(gateway.savePaymentMethod('pm_card_chargeDeclined')).rejects.toMatchObject({ status: 402, code: 'card_declined', declineCode: 'generic_decline' });

    expect(await gateway.charge({ gatewayRef: visa.gatewayRef, amount: 1000n, currency: 'usd', idempotencyKey: randomBase62(12) })).toMatchObject({ status: 'succeeded', paymentRef: expect.stringMatching(/^test_py_/) });
    expect(await gateway.charge({ gatewayRef: byNumber.gatewayRef, amount: 1000n, currency: 'usd', idempotencyKey: randomBase62(12) })).toMatchObject({
      status: 'failed',
      code: 'card_declined',
    });
    const poor = await gateway.savePaymentMethod('pm_card_chargeDeclinedInsufficientFunds');
    expect(await gateway.charge({ gatewayRef: poor.gatewayRef, amount: 1n, currency: 'usd', idempotencyKey: randomBase62(12) })).toMatchObject({
      status: 'failed',
      declineCode: 'insufficient_funds',
    });
  });

  it('charges at most once per idempotency key and returns the first result', async () => {
    const gateway = new TestGateway(server.database.gatewayDb, account.sandbox.id);
    const visa = await gateway.savePaymentMethod('pm_card_visa');
    const failing = await gateway.savePaymentMethod('pm_card_chargeCustomerFail');
    const key = `charge-${randomBase62(12)}`;
    const first = await gateway.charge({ gatewayRef: failing.gatewayRef, amount: 500n, currency: 'usd', idempotencyKey: key });
    // The same key, even with another card, returns the recorded result.
    const again = await gateway.charge({ gatewayRef: visa.gatewayRef, amount: 500n, currency: 'usd', idempotencyKey: key });
    expect(again).toEqual(first);
    expect(first.status).toBe('failed');
    expect(await ledgerRows(key)).toBe(1);

    const concurrentKey = `charge-${randomBase62(12)}`;
    const results = await Promise.all(
      [1, 2, 3].map(() => gateway.charge({ gatewayRef: visa.gatewayRef, amount: 700n, currency: 'usd', idempotencyKey: concurrentKey })),
    );
    // One payment, the same reference for each caller.
    expect(results.map((r) => r.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    expect(new Set(results.map((r) => r.paymentRef)).size).toBe(1);
    expect(await ledgerRows(concurrentKey)).toBe(1);
  });

  it('keeps its ledger outside the caller\'s transaction, as an external gateway would', async () => {
    const gateway = new TestGateway(server.database.gatewayDb, account.sandbox.id);
    const visa = await gateway.savePaymentMethod('pm_card_visa');
    const key = `charge-${randomBase62(12)}`;
    // The caller charges inside its transaction, which then fails: the charge stays made. It
    // holds its workspace's row meanwhile: with a foreign key from the ledger to workspaces,
    // the gateway would wait for this transaction, which waits for the gateway, for ever.
    const rolledBack = server.database.db.transaction().execute(async (tx) => {
      await tx.selectFrom('workspaces').select('id').where('id', '=', account.sandbox.id).forUpdate().execute();
      await gateway.charge({ gatewayRef: visa.gatewayRef, amount: 900n, currency: 'usd', idempotencyKey: key });
      throw new Error('the caller crashed after the charge');
    });
    await expect(rolledBack).rejects.toThrow('the caller crashed');
    expect(await ledgerRows(key)).toBe(1);
    // Its retry, with the same key, learns of the charge and makes no second one.
    const failing = await gateway.savePaymentMethod('pm_card_chargeCustomerFail');
    expect(await gateway.charge({ gatewayRef: failing.gatewayRef, amount: 900n, currency: 'usd', idempotencyKey: key })).toMatchObject({ status: 'succeeded' });
    expect(await ledgerRows(key)).toBe(1);
    // Handing it a transaction is a mistake it refuses.
    await server.database.db.transaction().execute(async (tx) => {
      expect(() => new TestGateway(tx, account.sandbox.id)).toThrow(/outside the caller's transaction/);
    });
  });

  it('refunds in full or in part, once per key, never more than was paid', async () => {
    const gateway = new TestGateway(server.database.gatewayDb, account.sandbox.id);
    const visa = await gateway.savePaymentMethod('pm_card_visa');
    const paid = await gateway.charge({ gatewayRef: visa.gatewayRef, amount: 1000n, currency: 'eur', idempotencyKey: randomBase62(12) });
    if (paid.status !== 'succeeded') throw new Error('expected a payment');
    const refundKey = randomBase62(12);
    const first = await gateway.refund({ paymentRef: paid.paymentRef, amount: 400n, currency: 'eur', idempotencyKey: refundKey });
    expect(first).toMatchObject({ status: 'succeeded', refundRef: expect.stringMatching(/^test_re_/) });
    // The same key again returns the same refund and moves nothing.
    expect(await gateway.refund({ paymentRef: paid.paymentRef, amount: 400n, currency: 'eur', idempotencyKey: refundKey })).toEqual(first);
    expect(await gateway.retrievePayment(paid.paymentRef)).toEqual({ paymentRef: paid.paymentRef, status: 'succeeded', amount: 1000n, amountRefunded: 400n, currency: 'eur' });
    expect(await gateway.refund({ paymentRef: paid.paymentRef, amount: 601n, currency: 'eur', idempotencyKey: randomBase62(12) })).toMatchObject({
      status: 'failed',
      code: 'amount_too_large',
    });
    expect(await gateway.refund({ paymentRef: paid.paymentRef, amount: 600n, currency: 'eur', idempotencyKey: randomBase62(12) })).toMatchObject({ status: 'succeeded' });
    expect((await gateway.retrievePayment(paid.paymentRef)).amountRefunded).toBe(1000n);
    // A failed payment has nothing to refund.
    const failing = await gateway.savePaymentMethod('pm_card_chargeCustomerFail');
    const declined = await gateway.charge({ gatewayRef: failing.gatewayRef, amount: 1000n, currency: 'eur', idempotencyKey: randomBase62(12) });
    expect(await gateway.refund({ paymentRef: declined.paymentRef as string, amount: 1n, currency: 'eur', idempotencyKey: randomBase62(12) })).toMatchObject({
      status: 'failed',
      code: 'charge_not_refundable',
    });
  });
});
