/**
 * A phase of the fault test: worker processes started, killed with SIGKILL at chosen
 * moments and restarted, then let finish; then, past the leases of what the killed ones had
 * claimed, one more worker finishes that (sending it again).
 */
import type { FaultDatabase } from './database.ts';
import { LEASES_OVER_MS, PHASE_TIMEOUT_MS, between, rand, sleep } from './options.ts';
import type { Life, WorkerProcesses } from './processes.ts';
import { chargesAhead, due, left, sessionsGone, unrecordedCharges, unrecordedMail, unrecordedWebhooks, workAt } from './progress.ts';
import type { Receivers } from './receivers.ts';

/**
 * Kill k is of kind KINDS[k mod 4]: at any moment (a random pause of up to KILL_PAUSE_MS,
 * about a batch, anywhere in one); just after the gateway made charges no commit has recorded
 * yet (a batch between its charges and its commit); just after the SMTP server accepted a
 * message or the endpoint received an event (a batch between its sends and their record).
 * A kind whose work is over becomes "any moment". The billing kinds come when the worker has
 * done a random part (up to KILL_SHARE) of its fair share of the billing left (what is due ÷
 * the kills still to come, plus one), so that the kills cannot use up the work.
 */
const KINDS = ['any moment', 'after a charge', 'after a mail', 'after a webhook'] as const;
export type KillKind = (typeof KINDS)[number];
const KILL_SHARE = 0.5;
const KILL_PAUSE_MS = 400;
const AFTER_CHARGE_PAUSE_MS = 100;
/**
 * A batch sends up to 20 mails (over 5 connections) or 50 webhooks at once, and records them
 * once all are answered: a few ms after the first arrives the batch is still unrecorded (the
 * endpoint takes 50 ms to answer, receivers.ts; the SMTP server answers at once).
 */
const AFTER_SEND_PAUSE_MS = { 'after a mail': 5, 'after a webhook': 10 };

export interface Kill {
  kind: KillKind;
  /** With one worker only (a second one's batch in flight would count as well): what the kill left sent but unrecorded. */
  left: { charges: number; succeeded: number; mail: number; webhooks: number } | null;
}

export interface PhaseReport {
  /** From the first worker's start to nothing due. */
  seconds: number;
  lives: number;
  kills: Kill[];
  /** What was left when the workers stopped (claimed by killed workers), sent by a worker past the leases, and its time. */
  leased: { emails: number; deliveries: number; seconds: number };
}

export interface PhaseSetup {
  label: string;
  workers: number;
  kills: number;
  offsetMs: number;
}

export async function runPhase(db: FaultDatabase, workspaceId: string, processes: WorkerProcesses, receivers: Receivers, phase: PhaseSetup): Promise<PhaseReport> {
  let lives = 0;
  const start = (offsetMs: number) => processes.start(`fault-${phase.label}-w${++lives}`, offsetMs);
  const work = (offsetMs = phase.offsetMs) => workAt(db, workspaceId, offsetMs);
  const started = performance.now();
  let deadline = Date.now() + PHASE_TIMEOUT_MS;
  /** Every wait's step: a worker that died by itself or a phase that got stuck ends the test. */
  const tick = async (ms: number) => {
    processes.assertNoneDied();
    if (Date.now() > deadline) throw new Error(`${phase.label}: not done after ${PHASE_TIMEOUT_MS / 1000} s (the workers' log says why)`);
    await sleep(ms);
  };
  const slots = Array.from({ length: phase.workers }, () => start(phase.offsetMs));
  const report: PhaseReport = { seconds: 0, lives: 0, kills: [], leased: { emails: 0, deliveries: 0, seconds: 0 } };

  /** Waits for the moment of a kill of `kind`; returns the kind it turned out to be. */
  async function moment(kind: KillKind): Promise<KillKind> {
    if (kind === 'any moment' || kind === 'after a charge') {
      const billing = (await work()).billing;
      const until = billing - Math.floor((rand() * KILL_SHARE * billing) / (phase.kills - report.kills.length + 1));
      while ((await work()).billing > until) await tick(20);
    }
    if (kind === 'after a charge') {
      while ((await chargesAhead(db, workspaceId)) === 0) {
        if ((await work()).billing === 0) return moment('any moment');
        await tick(5);
      }
      await sleep(between(0, AFTER_CHARGE_PAUSE_MS));
      return kind;
    }
    if (kind === 'after a mail' || kind === 'after a webhook') {
      const received = () => (kind === 'after a mail' ? receivers.smtp.received.length : receivers.webhooks.received.length);
      const before = received();
      let checked = performance.now();
      while (received() === before) {
        if (performance.now() - checked > 50) {
          const w = await work();
          // Nothing more of this kind will come in this phase.
          if (w.billing + w.events + (kind === 'after a mail' ? w.emailsDue : w.deliveriesDue) === 0) return moment('any moment');
          checked = performance.now();
        }
        await tick(1);
      }
      await sleep(between(0, AFTER_SEND_PAUSE_MS[kind]));
      return kind;
    }
    await sleep(between(0, KILL_PAUSE_MS));
    return kind;
  }

  try {
    await Promise.all(slots.map((life) => life.running));
    while (report.kills.length < phase.kills) {
      const kind = await moment(KINDS[report.kills.length % KINDS.length] as KillKind);
      processes.assertNoneDied();
      if (due(await work()) === 0) {
        throw new Error(`${phase.label}: the work was done after ${report.kills.length} of ${phase.kills} kills: more subscriptions (--subs) are needed`);
      }
      const slot = Math.floor(rand() * slots.length);
      const victim = slots[slot] as Life;
      await processes.end(victim, 'SIGKILL');
      await sessionsGone(db, victim.name);
      report.kills.push({ kind, left: phase.workers === 1 ? await leftBehind(db, workspaceId, receivers, report.kills) : null });
      slots[slot] = start(phase.offsetMs);
      await slots[slot].running;
    }
    while (due(await work()) > 0) await tick(50);
    report.seconds = (performance.now() - started) / 1000;
  } finally {
    await Promise.all(slots.filter((life) => !life.ending).map((life) => processes.end(life, 'SIGTERM')));
  }

  // What the killed workers had claimed is free again once their leases are over: a worker
  // with its clock past them takes it, as one would a few minutes later.
  const after = await work();
  if (left(after) > 0) {
    const leasesOver = phase.offsetMs + LEASES_OVER_MS;
    const then = await work(leasesOver);
    if (then.billing > 0) throw new Error(`${phase.label}: ${then.billing} billing steps fall due before the leases are over: the test's clocks need other offsets`);
    const settling = performance.now();
    deadline = Date.now() + PHASE_TIMEOUT_MS;
    const life = start(leasesOver);
    try {
      await life.running;
      while (left(await work(leasesOver)) > 0) await tick(50);
    } finally {
      await processes.end(life, 'SIGTERM');
    }
    report.leased = { emails: after.emailsLeft, deliveries: after.deliveriesLeft, seconds: (performance.now() - settling) / 1000 };
  }
  report.lives = lives;
  return report;
}

/**
 * What a killed (only) worker had sent without recording it. Charges: the next run of the
 * batch records them, so all that are unrecorded are this kill's. Mail and deliveries stay
 * claimed until their leases end (after the kills): this kill's are those added to the
 * earlier kills'.
 */
async function leftBehind(db: FaultDatabase, workspaceId: string, receivers: Receivers, earlier: readonly Kill[]): Promise<NonNullable<Kill['left']>> {
  const charges = await unrecordedCharges(db, workspaceId);
  const mail = await unrecordedMail(db, new Set(receivers.smtp.received.map((m) => m.headers.get('message-id') ?? '')));
  const webhooks = await unrecordedWebhooks(db, new Set(receivers.webhooks.received.map((r) => r.eventId)));
  const before = (count: (left: NonNullable<Kill['left']>) => number) => earlier.reduce((sum, k) => sum + (k.left ? count(k.left) : 0), 0);
  return {
    charges: charges.n,
    succeeded: charges.succeeded,
    mail: Math.max(0, mail - before((l) => l.mail)),
    webhooks: Math.max(0, webhooks - before((l) => l.webhooks)),
  };
}
