/**
 * The fault test's command line, its constants, and the kills' random choices (repeatable
 * with --seed; their moments follow the workers' progress too).
 */
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    subs: { type: 'string', default: '10000' },
    kills: { type: 'string', default: '5' },
    'kills-2': { type: 'string', default: '2' },
    seed: { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
});

/** Subscriptions per set (A, due in phase 1; B, due in phase 2). */
export const N = Number(values.subs);
export const KILLS = Number(values.kills);
export const KILLS_2 = Number(values['kills-2']);
export const SEED = values.seed !== undefined ? Number(values.seed) : Math.floor(Math.random() * 2 ** 31);
export const KEEP = values.keep === true;
if (!Number.isSafeInteger(N) || N < 10 || !Number.isSafeInteger(KILLS) || KILLS < 5 || !Number.isSafeInteger(KILLS_2) || KILLS_2 < 0 || !Number.isSafeInteger(SEED)) {
  throw new Error('--subs takes an integer ≥ 10, --kills one ≥ 5; --kills-2 and --seed integers ≥ 0');
}

export const HOUR = 3600;
export const DAY = 86_400;
/** Phase 2's clocks: a day and an hour ahead, past set A's first retries and drafts. */
export const PHASE_2_OFFSET_MS = (DAY + HOUR) * 1000;
/**
 * How far a phase's clock moves once its workers are done, so that what killed workers had
 * claimed is free again: past the email sender's 10-minute lease and the deliverer's minute
 * (decisions.md §23, §24). Short of anything else falling due (the drafts' hour, the retries'
 * day); the phase checks that.
 */
export const LEASES_OVER_MS = 11 * 60_000;
/** How long a phase (and then its end past the leases) may take before the test gives up: a stuck worker. */
export const PHASE_TIMEOUT_MS = 120_000;
/** What the seed is called: its product is "Fault plan", its invoices FAULT-0001 … FAULT-2N, the renewals' after them. */
export const SEED_NAME = 'Fault';
export const NUMBER_PREFIX = SEED_NAME.toUpperCase();

/**
 * Every EMAIL_EVERY-th customer has an email address, one of the team's (a sandbox mails only
 * its team, decisions.md §24): enough mail for the kills to land in its sending, at a rate the
 * sender (20 messages a batch) keeps up with inside the test's time. 7 is prime to the 5 and
 * 10 of the failing cards and drafts, so every kind of subscription gets mail.
 */
export const EMAIL_EVERY = 7;
export const TEAM = ['billing@faults.example', 'owner@faults.example', 'support@faults.example'];
/**
 * What the test's webhook endpoint asks for: one delivery per failed attempt (6,000 with the
 * default N). Enough for the kills to land in the deliverer's batches; invoice.paid as well
 * (16,000 more) would take the test past a minute on two cores.
 */
export const WEBHOOK_EVENTS = ['invoice.payment_failed'];

/** mulberry32. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
export const rand = random(SEED);
export const between = (min: number, max: number) => min + Math.floor(rand() * (max - min + 1));
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
export const number = (n: number) => Math.round(n).toLocaleString('en-US');
