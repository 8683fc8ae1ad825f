/**
 * Bulk seeds of due subscriptions, as the benchmark (test/bench/billing.ts) and the fault
 * test (test/faults/) need them: thousands of customers, each with a card, a monthly
 * subscription of one price and its first invoice (paid), falling due when the plan says.
 */
import type pg from 'pg';
import { newId } from '../../src/lib/ids.ts';

/** Seeded ids are a prefix and n zero-padded to the length of a real id's body. */
export const SEED_ID_WIDTH = 24;
const CARD = (last4: string) => `{"brand":"visa","last4":"${last4}","exp_month":12,"exp_year":2030,"funding":"credit","country":"US"}`;

export interface DueSubscriptionsSeed {
  workspaceId: string;
  /** 'Bench': the product is "Bench plan", the first invoices are numbered BENCH-0001 …. */
  name: string;
  /**
   * A query with one row per subscription: `n` (1 … count: its ids are sub_<n>, cus_<n>, pm_<n>,
   * si_<n>, in_<n>, il_<n>, padded), `anchor` (the billing cycle anchor, start of the current
   * period and of the first invoice's), `due` (end of the current period: it falls due then),
   * `failing` (its card's charges fail: test_chargeCustomerFail_…) and `email` (or null).
   */
  plan: { text: string; values?: unknown[] };
}

/** Seeds `seed.plan`'s subscriptions in one transaction, then analyzes (decisions.md §21). */
export async function seedDueSubscriptions(pool: pg.Pool, seed: DueSubscriptionsSeed): Promise<void> {
  const productId = newId('product');
  const priceId = newId('price');
  await pool.query(`INSERT INTO products (workspace_id, id, name) VALUES ($1, $2, $3)`, [seed.workspaceId, productId, `${seed.name} plan`]);
  await pool.query(
    `INSERT INTO prices (workspace_id, id, product_id, currency, unit_amount, type, recurring_interval, recurring_interval_count, billing_scheme)
     VALUES ($1, $2, $3, 'usd', 2000, 'recurring', 'month', 1, 'per_unit')`,
    [seed.workspaceId, priceId, productId],
  );
  await seedTransaction(pool, async (seeder, replica) => {
    await seeder.query(`CREATE TEMP TABLE seed_plan (n int PRIMARY KEY, anchor timestamptz NOT NULL, due timestamptz NOT NULL, failing boolean NOT NULL, email text) ON COMMIT DROP`);
    await seeder.query(`INSERT INTO seed_plan (n, anchor, due, failing, email) ${seed.plan.text}`, seed.plan.values);
    const id = (prefix: string) => `'${prefix}_' || lpad(p.n::text, ${SEED_ID_WIDTH}, '0')`;
    const from = 'FROM seed_plan p';
    const ws = [seed.workspaceId];
    await seeder.query(
      `INSERT INTO customers (workspace_id, id, email, name, default_payment_method_id, created_at, updated_at)
       SELECT $1, ${id('cus')}, p.email, '${seed.name} Customer ' || p.n, ${replica ? id('pm') : 'NULL'}, p.anchor, p.anchor ${from}`,
      ws,
    );
    await seeder.query(
      `INSERT INTO payment_methods (workspace_id, id, customer_id, gateway, gateway_ref, card, created_at)
       SELECT $1, ${id('pm')}, ${id('cus')}, 'test',
              CASE WHEN p.failing THEN 'test_chargeCustomerFail_' ELSE 'test_visa_' END || lpad(p.n::text, 16, '0'),
              CASE WHEN p.failing THEN '${CARD('0341')}' ELSE '${CARD('4242')}' END::jsonb, p.anchor ${from}`,
      ws,
    );
    // Without the replica role customers cannot name their card before it exists.
    if (!replica) await seeder.query(`UPDATE customers SET default_payment_method_id = 'pm_' || substr(id, 5) WHERE workspace_id = $1`, ws);
    await seeder.query(
      `INSERT INTO subscriptions (workspace_id, id, customer_id, status, currency, interval, interval_count, collection_method,
         billing_cycle_anchor, current_period_start, current_period_end, start_date, next_action_at, created_at, updated_at)
       SELECT $1, ${id('sub')}, ${id('cus')}, 'active', 'usd', 'month', 1, 'charge_automatically',
              p.anchor, p.anchor, p.due, p.anchor, p.due, p.anchor, p.anchor ${from}`,
      ws,
    );
    await seeder.query(
      `INSERT INTO subscription_items (workspace_id, id, subscription_id, price_id, quantity, created_at)
       SELECT $1, ${id('si')}, ${id('sub')}, $2, 1, p.anchor ${from}`,
      [seed.workspaceId, priceId],
    );
    // Each subscription's first invoice, paid, with its line: a billing database is never
    // without its history, and the tables the engine writes to then have statistics.
    const prefix = seed.name.toUpperCase();
    await seeder.query(
      `INSERT INTO invoices (workspace_id, id, customer_id, subscription_id, status, number, currency, billing_reason,
         collection_method, period_start, period_end, subtotal, total_excluding_tax, tax, total, amount_due, amount_paid,
         amount_remaining, attempt_count, attempted, finalized_at, paid_at, created_at, updated_at)
       SELECT $1, ${id('in')}, ${id('cus')}, ${id('sub')}, 'paid', '${prefix}-' || lpad(p.n::text, greatest(4, length(p.n::text)), '0'), 'usd',
              'subscription_create', 'charge_automatically', p.anchor, p.anchor, 2000, 2000, 0, 2000, 2000, 2000, 0, 1, true,
              p.anchor, p.anchor, p.anchor, p.anchor ${from}`,
      ws,
    );
    await seeder.query(
      `INSERT INTO invoice_lines (workspace_id, invoice_id, position, id, amount, currency, description, quantity, price_id,
         product_id, unit_amount_decimal, subscription_id, subscription_item_id, period_start, period_end)
       SELECT $1, ${id('in')}, 0, ${id('il')}, 2000, 'usd', '1 × ${seed.name} plan', 1, $2, $3, '2000', ${id('sub')}, ${id('si')}, p.anchor, p.due ${from}`,
      [seed.workspaceId, priceId, productId],
    );
    await seeder.query(`UPDATE subscriptions SET latest_invoice_id = 'in_' || substr(id, 5) WHERE workspace_id = $1`, ws);
    await seeder.query(`INSERT INTO invoice_numbering (workspace_id, prefix, next_number) SELECT $1, $2, max(n) + 1 FROM seed_plan`, [seed.workspaceId, prefix]);
  });
  await pool.query('VACUUM ANALYZE');
}

/**
 * One transaction. Its rows are consistent by construction, so the foreign-key triggers are
 * skipped where that is allowed (superuser): several million lookups saved, and customers may
 * name their payment method before it exists. Without the privilege the seed is slower, not
 * wrong; `replica` says which.
 */
async function seedTransaction(pool: pg.Pool, seed: (client: pg.PoolClient, replica: boolean) => Promise<void>): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SAVEPOINT replica');
    const replica = await client.query('SET LOCAL session_replication_role = replica').then(
      () => true,
      () => client.query('ROLLBACK TO SAVEPOINT replica').then(() => false),
    );
    await seed(client, replica);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}
