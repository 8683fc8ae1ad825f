import type pg from 'pg';

/**
 * Runs a bulk seed (the benchmark's, the fault test's) in one transaction. Its rows are
 * consistent by construction, so the foreign-key triggers are skipped where that is allowed
 * (superuser): several million lookups saved, and customers may name their payment method
 * before it exists. Without the privilege the seed is slower, not wrong; `replica` says which.
 */
export async function seedTransaction(pool: pg.Pool, seed: (client: pg.PoolClient, replica: boolean) => Promise<void>): Promise<void> {
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
