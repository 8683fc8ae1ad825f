/**
 * What the fault test seeds: two sets of N due subscriptions (the seeding shared with the
 * benchmark, test/helpers/seed.ts) and its own table of what each should come to; the
 * account's team, whose addresses every EMAIL_EVERY-th customer has; and a webhook endpoint
 * on the test's receiver.
 */
import { randomBytes } from 'node:crypto';
import { API_VERSION } from '../../src/lib/api-version.ts';
import { newId } from '../../src/lib/ids.ts';
import type { SecretBox } from '../../src/lib/secret-box.ts';
import { periodStart } from '../../src/modules/subscriptions/periods.ts';
import { seedDueSubscriptions, SEED_ID_WIDTH } from '../helpers/seed.ts';
import type { FaultDatabase } from './database.ts';
import { EMAIL_EVERY, HOUR, N, PHASE_2_OFFSET_MS, SEED_NAME, TEAM, WEBHOOK_EVENTS } from './options.ts';

/** A row of `fault_plan`: what was seeded for one subscription, and so what it should come to. */
export interface PlanRow {
  subscription_id: string;
  batch: 'A' | 'B';
  failing: boolean;
  draft: boolean;
  /** The period its renewal invoices (it falls due at its start). */
  period_start: Date;
  period_end: Date;
}

const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

/** Set A's groups fall due two hours and half an hour ago; set B two hours before phase 2's clock. */
function schedule(now: number) {
  const group = (end: number) => {
    const anchor = periodStart(end, 'month', 1, -1);
    return { anchor, start: periodStart(anchor, 'month', 1, 1), end: periodStart(anchor, 'month', 1, 2) };
  };
  return { a: group(now - 2 * HOUR), drafts: group(now - HOUR / 2), b: group(now + PHASE_2_OFFSET_MS / 1000 - 2 * HOUR) };
}

export async function seedSubscriptions(db: FaultDatabase, workspaceId: string): Promise<void> {
  const times = schedule(Math.floor(Date.now() / 1000));
  // n in 1..N is set A, N+1..2N set B; every fifth card fails; set A's n ≡ 3, 5 (mod 10) are
  // drafts; every EMAIL_EVERY-th customer has one of the team's addresses, in turn.
  const pick = (column: number) => `CASE WHEN n > $1 THEN $${8 + column}::timestamptz WHEN n % 10 IN (3, 5) THEN $${5 + column}::timestamptz ELSE $${2 + column}::timestamptz END`;
  await db.pool.query(`CREATE TABLE fault_plan (subscription_id text COLLATE "C" PRIMARY KEY, n int NOT NULL, batch text NOT NULL, failing boolean NOT NULL,
    draft boolean NOT NULL, email text, anchor timestamptz NOT NULL, period_start timestamptz NOT NULL, period_end timestamptz NOT NULL)`);
  await db.pool.query(
    `INSERT INTO fault_plan
     SELECT 'sub_' || lpad(n::text, ${SEED_ID_WIDTH}, '0'), n, CASE WHEN n <= $1 THEN 'A' ELSE 'B' END, n % 5 = 0, n <= $1 AND n % 10 IN (3, 5),
            CASE WHEN n % ${EMAIL_EVERY} = 0 THEN ($11::text[])[n / ${EMAIL_EVERY} % $12 + 1] END, ${pick(0)}, ${pick(1)}, ${pick(2)}
     FROM generate_series(1, 2 * $1::int) n`,
    [N, ...[times.a, times.drafts, times.b].flatMap((t) => [iso(t.anchor), iso(t.start), iso(t.end)]), TEAM, TEAM.length],
  );
  await seedDueSubscriptions(db.pool, {
    workspaceId,
    name: SEED_NAME,
    plan: { text: 'SELECT n, anchor, period_start, failing, email FROM fault_plan' },
  });
}

/** The account's team: a sandbox workspace mails them, and only them (decisions.md §24). */
export async function seedTeam(db: FaultDatabase, accountId: string): Promise<void> {
  const roles = ['owner', 'admin', 'support'];
  for (const [i, email] of TEAM.entries()) {
    await db.pool.query(`INSERT INTO users (account_id, id, email, role) VALUES ($1, $2, $3, $4)`, [accountId, newId('user'), email, roles[i % roles.length]]);
  }
}

/** A signing secret of the form POST /v1/webhook_endpoints gives. */
export const newWebhookSecret = () => `whsec_${randomBytes(24).toString('base64url')}`;

/** An endpoint for WEBHOOK_EVENTS at `url` signing with `secret`, as POST /v1/webhook_endpoints makes one; returns its id. */
export async function seedWebhookEndpoint(db: FaultDatabase, workspaceId: string, url: string, secret: string, secrets: SecretBox): Promise<string> {
  const id = newId('webhookEndpoint');
  await db.pool.query(
    `INSERT INTO webhook_endpoints (workspace_id, id, url, enabled_events, metadata, status, secret_sealed, api_version)
     VALUES ($1, $2, $3, $4, '{}', 'enabled', $5, $6)`,
    [workspaceId, id, url, WEBHOOK_EVENTS, secrets.seal(secret), API_VERSION],
  );
  return id;
}
