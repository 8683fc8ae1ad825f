import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { consumeEvents, emailMessage, testEmailConsumer } from '../../../test/helpers/email.ts';
import { call, createTestAccount, startTestServer, type TestAccount, type TestServer } from '../../../test/helpers/server.ts';
import { decodeHeader, partsOfType, startSmtpServer, type ReceivedMail, type TestSmtpServer } from '../../../test/helpers/smtp.ts';
import { connect } from '../../db/database.ts';
import { randomBase62 } from '../../lib/ids.ts';
import type { WorkspaceRef } from '../../server/context.ts';
import { drainWork, type DueWork } from '../../worker/runner.ts';
import { customerRecipient, enqueueEmail } from './outbox.ts';
import { emailSender, MAX_ATTEMPTS, retryDelayMs, SANDBOX_REFUSAL } from './sender.ts';

const FROM = 'Acme Billing <billing@example.com>';
const LEASE_MS = 10 * 60_000;

let server: TestServer;
let account: TestAccount;
let smtp: TestSmtpServer;

beforeAll(async () => {
  [server, smtp] = await Promise.all([startTestServer(), startSmtpServer()]);
  account = await createTestAccount(server.database);
});
afterAll(async () => {
  await server.close();
  await smtp.close();
});

const db = () => server.database.db;
const sender = (smtpUrl: string | null = smtp.url, batchSize?: number): DueWork => emailSender({ smtpUrl, emailFrom: FROM, ...(batchSize ? { batchSize } : {}) });
const send = (at: Date, work: DueWork = sender()) => drainWork(db(), [work], () => at);
const after = (at: Date, ms: number) => new Date(at.getTime() + ms);
const address = (tag: string) => `${tag}-${randomBase62(8).toLowerCase()}@example.com`;

async function api<T = { id: string }>(key: string, path: string, form: Record<string, string>): Promise<T> {
  const response = await call<T>(server.baseUrl, 'POST', path, { key, form: new URLSearchParams(form).toString() });
  if (response.status !== 200) throw new Error(`${path}: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

/** A receipt queued for a new customer of `workspace` at `to`. */
async function queueReceipt(to: string, now: Date, workspace: WorkspaceRef = account.live): Promise<string> {
  const key = workspace.mode === 'live' ? account.liveSecretKey : account.secretKey;
  const customer = await api(key, '/v1/customers', { email: to, name: 'Jane', 'preferred_locales[0]': 'da' });
  const recipient = await customerRecipient(db(), workspace.id, customer.id);
  if (!recipient) throw new Error('the customer has no address');
  const id = await enqueueEmail(db(), {
    workspaceId: workspace.id,
    dedupeKey: `test-receipt:${customer.id}`,
    ...recipient,
    template: 'receipt',
    data: { invoiceNumber: null, amountPaid: 2500n, currency: 'dkk', paidAt: now, lines: [] },
    now,
  });
  if (!id) throw new Error('not queued');
  return id;
}

const copiesOf = (messageId: string): ReceivedMail[] => smtp.received.filter((m) => m.headers.get('message-id') === messageId);

describe('email sender', () => {
  it("sends a send_invoice invoice in the customer's language with its PDF, through a real SMTP server", async () => {
    const key = account.liveSecretKey;
    const to = address('jeanne');
    const customer = await api(key, '/v1/customers', { email: to, name: 'Jeanne Dupont', 'preferred_locales[0]': 'fr-FR' });
    await api(key, '/v1/invoiceitems', { customer: customer.id, amount: '4200', currency: 'eur', description: 'Conseil' });
    const draft = await api(key, '/v1/invoices', { customer: customer.id, currency: 'eur', collection_method: 'send_invoice', days_until_due: '30', pending_invoice_items_behavior: 'include' });
    const invoice = await api<{ id: string; number: string }>(key, `/v1/invoices/${draft.id}/finalize`, {});

    const now = new Date();
    await consumeEvents(db(), account.live.id, testEmailConsumer({ clock: () => now }));
    const queued = await db().selectFrom('email_messages').selectAll().where('workspace_id', '=', account.live.id).where('customer_id', '=', customer.id).execute();
    expect(queued.map((m) => [m.template, m.status, m.locale, m.dedupe_key])).toEqual([['invoice', 'queued', 'fr-FR', `invoice:${invoice.id}`]]);
    const message = queued[0]!;
    expect(message.attachments).toEqual([{ kind: 'invoice_pdf', invoice: invoice.id }]);

    await send(now);
    const [mail, ...more] = copiesOf(message.message_id);
    expect(more).toHaveLength(0);
    expect(mail?.envelopeTo).toEqual([to]);
    expect(mail?.headers.get('to')).toContain(to);
    expect(mail?.headers.get('from')).toBe(FROM);
    const accountName = (await db().selectFrom('accounts').select('name').where('id', '=', account.accountId).executeTakeFirstOrThrow()).name;
    expect(decodeHeader(mail?.headers.get('subject') ?? '')).toBe(`Nouvelle facture ${invoice.number} de la part de ${accountName}`);
    const [pdf] = partsOfType(mail?.raw ?? '', 'application/pdf');
    expect(pdf?.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const fromApi = await fetch(`${server.baseUrl}/v1/invoices/${invoice.id}/pdf`, { headers: { authorization: `Bearer ${key}` } });
    expect(pdf?.equals(Buffer.from(await fromApi.arrayBuffer()))).toBe(true);

    expect(await emailMessage(db(), account.live.id, message.id)).toMatchObject({ status: 'sent', attempts: 1, sent_at: now, next_attempt_at: null, last_error: null });
    await send(after(now, 3600_000));
    expect(copiesOf(message.message_id)).toHaveLength(1);
  });

  it('keeps messages queued when there is no SMTP_URL', async () => {
    const now = new Date();
    const id = await queueReceipt(address('nosmtp'), now);
    expect(await sender(null).runBatch(db(), after(now, 3600_000))).toBe(0);
    expect(await emailMessage(db(), account.live.id, id)).toMatchObject({ status: 'queued', attempts: 0, next_attempt_at: now, sent_at: null });
  });

  it('tries again later when the server refuses for now (4xx), and then sends once', async () => {
    const to = address('later');
    const now = new Date();
    const id = await queueReceipt(to, now);
    smtp.refuse(to, 1, 451, 'Mailbox busy, try again later');
    await send(now);
    const first = await emailMessage(db(), account.live.id, id);
    expect(first).toMatchObject({ status: 'queued', attempts: 1, next_attempt_at: after(now, 60_000), sent_at: null });
    expect(first.last_error).toContain('Mailbox busy');
    expect(copiesOf(first.message_id)).toHaveLength(0);

    await send(after(now, 30_000)); // not due yet
    expect(await emailMessage(db(), account.live.id, id)).toMatchObject({ status: 'queued', attempts: 1 });

    await send(after(now, 60_000));
    expect(await emailMessage(db(), account.live.id, id)).toMatchObject({ status: 'sent', attempts: 2, last_error: null, sent_at: after(now, 60_000) });
    expect(copiesOf(first.message_id)).toHaveLength(1);
  });

  it(`backs off exponentially and gives up after ${MAX_ATTEMPTS} attempts, keeping the last error`, async () => {
    const to = address('never');
    let at = new Date();
    const id = await queueReceipt(to, at);
    smtp.refuse(to, MAX_ATTEMPTS, 452, 'Over quota');
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      await send(at);
      const row = await emailMessage(db(), account.live.id, id);
      expect(row.attempts).toBe(attempt);
      if (attempt < MAX_ATTEMPTS) {
        expect(row.status).toBe('queued');
        expect(row.next_attempt_at).toEqual(after(at, 60_000 * 2 ** (attempt - 1)));
        at = row.next_attempt_at ?? at;
      } else {
        expect(row).toMatchObject({ status: 'failed', next_attempt_at: null, sent_at: null });
        expect(row.last_error).toContain('Over quota');
        expect(copiesOf(row.message_id)).toHaveLength(0);
      }
    }
    expect(retryDelayMs(9)).toBe(256 * 60_000);
  });

  it('fails at once when the server refuses the recipient for good (5xx)', async () => {
    const to = address('gone');
    const now = new Date();
    const id = await queueReceipt(to, now);
    smtp.refuse(to, 1, 550, 'No such user here');
    await send(now);
    const row = await emailMessage(db(), account.live.id, id);
    expect(row).toMatchObject({ status: 'failed', attempts: 1, next_attempt_at: null });
    expect(row.last_error).toContain('No such user here');
  });

  it('sends sandbox mail to the team only, never to customers', async () => {
    const now = new Date();
    const customer = await queueReceipt(address('sandbox'), now, account.sandbox);
    const owner = await queueReceipt(account.ownerEmail.toUpperCase(), now, account.sandbox);
    await send(now);
    const refused = await emailMessage(db(), account.sandbox.id, customer);
    expect(refused).toMatchObject({ status: 'failed', attempts: 1, last_error: SANDBOX_REFUSAL });
    expect(copiesOf(refused.message_id)).toHaveLength(0);
    const sent = await emailMessage(db(), account.sandbox.id, owner);
    expect(sent.status).toBe('sent');
    expect(copiesOf(sent.message_id)).toHaveLength(1);
  });

  it('has two workers racing over one queue send each message once', async () => {
    const now = new Date();
    const ids = await Promise.all(Array.from({ length: 30 }, (_, i) => queueReceipt(address(`race${i}`), now)));
    const handles = [connect(inject('databaseUrl'), { max: 2 }), connect(inject('databaseUrl'), { max: 2 })];
    try {
      const handled = [0, 0];
      await Promise.all(
        handles.map(async (handle, n) => {
          const work = sender(smtp.url, 4);
          const counted: DueWork = {
            ...work,
            async runBatch(d, at) {
              const count = await work.runBatch(d, at);
              handled[n] = (handled[n] ?? 0) + count;
              return count;
            },
          };
          await drainWork(handle.db, [counted], () => now);
        }),
      );
      expect(handled[0]).toBeGreaterThan(0);
      expect(handled[1]).toBeGreaterThan(0);
    } finally {
      await Promise.all(handles.map((h) => h.close()));
    }
    for (const id of ids) {
      const row = await emailMessage(db(), account.live.id, id);
      expect(row).toMatchObject({ status: 'sent', attempts: 1 });
      expect(copiesOf(row.message_id)).toHaveLength(1);
    }
  });

  it('does not lose a message whose worker died between sending it and recording it: sent again after the lease, with the same Message-ID', async () => {
    const to = address('crash');
    const now = new Date(Date.now() + 86_400_000); // after every other test's messages
    const id = await queueReceipt(to, now);
    const { message_id: messageId } = await emailMessage(db(), account.live.id, id);

    // The worker runs in its own process; the SMTP server kills it (SIGKILL) the moment the
    // message has arrived, before the worker can hear the answer or touch the database.
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('../../../test/helpers/email-sender-child.ts', import.meta.url)), inject('databaseUrl'), smtp.url, String(now.getTime())], {
      cwd: fileURLToPath(new URL('../../../', import.meta.url)),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    smtp.onMessage(to, () => child.kill('SIGKILL'));
    expect(await exited).toBe('SIGKILL');

    expect(copiesOf(messageId)).toHaveLength(1);
    expect(await emailMessage(db(), account.live.id, id)).toMatchObject({ status: 'sending', attempts: 1, next_attempt_at: after(now, LEASE_MS), sent_at: null });

    // While the dead worker's lease lasts, no one else takes the message.
    await send(after(now, LEASE_MS - 1000));
    expect(copiesOf(messageId)).toHaveLength(1);

    await send(after(now, LEASE_MS));
    expect(await emailMessage(db(), account.live.id, id)).toMatchObject({ status: 'sent', attempts: 2 });
    const copies = copiesOf(messageId);
    expect(copies).toHaveLength(2);
    expect(copies[1]?.headers.get('date')).toBe(copies[0]?.headers.get('date'));
  }, 60_000);
});
