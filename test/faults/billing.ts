/**
 * `npm run test:faults`: the billing run, its mail and its webhooks exactly once (mail and
 * webhooks: at least once, repeated only as the same message or event) under faults, with
 * real processes, real PostgreSQL, a real SMTP server, an HTTP endpoint and real SIGKILLs.
 *
 * On a fresh database (like the benchmark) it seeds two sets of N subscriptions (default
 * 10,000 each; seed.ts), every fifth with a card whose charges fail, every seventh customer
 * with an email address (one of the team's: a sandbox mails only them), and a webhook endpoint
 * for invoice.payment_failed on the test's own receiver (receivers.ts). The worker processes
 * (worker.ts) run all of `recur worker`'s work: the billing run, the event dispatcher
 * (receipts and payment-failed mail queued, deliveries queued), the email sender and the
 * webhook deliverer.
 *
 * - Phase 1, one worker at the wall clock. Set A is due: 80 % of it two hours ago (renewed,
 *   finalized and charged in one batch), 20 % half an hour ago (a draft for its first hour).
 *   The worker is killed with SIGKILL (--kills times, at least five) and restarted each time:
 *   at any moment, just after the gateway made charges no commit has recorded, just after the
 *   SMTP server accepted a message, just after the endpoint received an event (run.ts). The
 *   last one finishes.
 * - Phase 2, two workers side by side, their clocks a day and an hour ahead: set B falls due,
 *   set A's drafts are finalized and charged, and its failed invoices get their first retry.
 *   One of the two is killed at random moments too (--kills-2).
 *
 * Each phase ends with a worker whose clock is past the leases of what killed workers had
 * claimed (mail, deliveries), which sends that again. Then it checks the billing
 * (billing-checks.ts) and the deliveries (delivery-checks.ts), prints its figures, and exits
 * non-zero on any violation, or when no kill of phase 1 left charges, mail or a webhook sent
 * but unrecorded (the run would not have tested what it is for).
 *
 *   npm run test:faults [-- --subs 10000 --kills 5 --kills-2 2 --seed <n> --keep]
 *
 * Uses DATABASE_URL's server (default: the local PostgreSQL at 127.0.0.1:5432).
 */
import { randomBytes } from 'node:crypto';
import { migrate } from '../../src/db/migrate.ts';
import { secretBox } from '../../src/lib/secret-box.ts';
import { createAccountWithWorkspaces, findWorkspace } from '../../src/modules/workspaces/service.ts';
import { checkBilling } from './billing-checks.ts';
import { createFaultDatabase } from './database.ts';
import { checkDeliveries } from './delivery-checks.ts';
import { KEEP, KILLS, KILLS_2, N, PHASE_2_OFFSET_MS, SEED, number } from './options.ts';
import { workerProcesses } from './processes.ts';
import { startReceivers } from './receivers.ts';
import { runPhase, type Kill, type PhaseReport } from './run.ts';
import { newWebhookSecret, seedSubscriptions, seedTeam, seedWebhookEndpoint } from './seed.ts';

const line = (label: string, value: string) => console.log(`  ${label.padEnd(32)}${value}`);
const seconds = (since: number) => `${((performance.now() - since) / 1000).toFixed(1)} s`;

const started = performance.now();
const db = await createFaultDatabase();
// The deployment's key, as RECUR_SECRET_KEY: the endpoint's secret is sealed under it.
const secretKey = randomBytes(32).toString('hex');
const webhookSecret = newWebhookSecret();
const receivers = await startReceivers(webhookSecret);
const processes = workerProcesses(db.url, { SMTP_URL: receivers.smtp.url, RECUR_SECRET_KEY: secretKey });
let failed = false;
try {
  await migrate(db.pool);
  const { accountId } = await createAccountWithWorkspaces(db.handle.db, 'Faults');
  const workspaceId = (await findWorkspace(db.handle.db, accountId, 'sandbox'))?.id as string;
  const seeding = performance.now();
  await seedSubscriptions(db, workspaceId);
  await seedTeam(db, accountId);
  const endpointId = await seedWebhookEndpoint(db, workspaceId, receivers.webhooks.url, webhookSecret, secretBox(Buffer.from(secretKey, 'hex')));
  console.log(`test:faults — seed ${SEED}; ${number(2 * N)} subscriptions seeded in ${seconds(seeding)} (database ${db.name})`);

  const phases = [
    { label: 'p1', phase: 1 as const, workers: 1, kills: KILLS, offsetMs: 0, title: `phase 1: ${number(N)} subscriptions due, one worker, killed ${KILLS} times` },
    {
      label: 'p2',
      phase: 2 as const,
      workers: 2,
      kills: KILLS_2,
      offsetMs: PHASE_2_OFFSET_MS,
      title: `phase 2: a day later, a fresh ${number(N)} due, set A's drafts and retries; two workers, one killed ${KILLS_2} times`,
    },
  ];
  for (const phase of phases) {
    console.log(`\n${phase.title}`);
    const report = await runPhase(db, workspaceId, processes, receivers, phase);
    const checking = performance.now();
    const billing = await checkBilling(db, workspaceId, phase.phase);
    const deliveries = await checkDeliveries(db, workspaceId, endpointId, receivers);
    const violations = [...billing.violations, ...deliveries.violations, ...untested(report)];
    const b = billing.figures;
    const d = deliveries.figures;
    const kinds = [...new Set(report.kills.map((k) => k.kind))].map((kind) => `${report.kills.filter((k) => k.kind === kind).length} ${kind}`);
    line('kills (SIGKILL)', `${report.kills.length} (${kinds.join(', ')}), ${report.lives} worker processes in all`);
    for (const [i, kill] of report.kills.entries()) {
      if (kill.left) line(i === 0 ? 'sent, unrecorded, by each kill' : '', `${kill.kind}: ${kill.left.charges} charges (${kill.left.succeeded} ok), ${kill.left.mail} mails, ${kill.left.webhooks} webhooks`);
    }
    line('subscriptions renewed', `${number(b.subscriptions)}${phase.phase === 2 ? ' (sets A and B)' : ''}`);
    line('renewal invoices', `${number(b.invoices)} (paid ${number(b.paid)}, open ${number(b.open)}, draft ${number(b.drafts)})`);
    line('gateway charges', `${number(b.charges)} (succeeded ${number(b.succeededCharges)}, failed ${number(b.failedCharges)})`);
    line('events', number(b.events));
    const templates = Object.entries(d.messages).map(([template, n]) => `${template} ${number(n)}`);
    line('emails', `${number(Object.values(d.messages).reduce((a, n) => a + n, 0))} queued (${templates.join(', ') || 'none'}), ${number(d.mailReceived)} received by SMTP`);
    line('webhooks', `${number(d.deliveries)} deliveries, ${number(d.webhooksReceived)} requests received`);
    line('duplicates found', `${b.duplicates} in billing, ${d.mailDuplicates} mails, ${d.deliveryDuplicates} deliveries`);
    line('sent again (at least once)', `${d.mailResent} mails (same Message-ID), ${d.webhooksRepeated} webhooks (same event id)`);
    const leased = report.leased;
    line('past the leases', leased.emails + leased.deliveries === 0 ? 'nothing left claimed' : `${leased.emails} mails, ${leased.deliveries} deliveries claimed by killed workers, sent in ${leased.seconds.toFixed(1)} s`);
    line('worker log', workerLog());
    line('time', `${report.seconds.toFixed(1)} s (first worker started → nothing due); checks ${seconds(checking)}`);
    processes.logged.clear();
    if (violations.length > 0) {
      failed = true;
      console.log(`\n  VIOLATIONS (${violations.length}):`);
      for (const v of violations) console.log(`  - ${v}`);
      break;
    }
    console.log('  ok');
  }
} catch (error) {
  failed = true;
  console.error(error);
  console.log(`  worker log: ${workerLog()}`);
} finally {
  await receivers.close();
  await db.close(KEEP || failed);
  if (KEEP || failed) console.log(`\nkept database ${db.name}`);
}
console.log(`\ntest:faults ${failed ? 'FAILED' : 'passed'} in ${seconds(started)}`);
process.exit(failed ? 1 : 0);

/** What the workers logged since the last phase, shortened: the count says more than the text. */
function workerLog(): string {
  if (processes.logged.size === 0) return 'nothing';
  return [...processes.logged].map(([message, n]) => `${n}× ${message.length > 100 ? `${message.slice(0, 100)}…` : message}`).join('; ');
}

/** With one worker, each kind of kill must have left something sent but unrecorded at least once. */
function untested(report: PhaseReport): string[] {
  const found: string[] = [];
  const check = (kind: Kill['kind'], what: string, leftSome: (left: NonNullable<Kill['left']>) => boolean) => {
    const kills = report.kills.filter((k) => k.kind === kind && k.left);
    if (kills.length > 0 && !kills.some((k) => k.left && leftSome(k.left))) found.push(`no kill landed between ${what} and its record: the run did not test what it is for`);
  };
  check('after a charge', "a batch's charges", (left) => left.charges > 0);
  check('after a mail', 'an SMTP send', (left) => left.mail > 0);
  check('after a webhook', 'a webhook request', (left) => left.webhooks > 0);
  return found;
}
