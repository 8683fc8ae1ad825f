import pg from 'pg';

// Any constant, the same in every test file (the migration lock is 7_310_452_001).
const DISPATCH_LOCK = 7_310_452_002;

/**
 * Test files share one database and keep apart by workspace, but an event dispatcher takes
 * every workspace's undispatched events. A test file that runs one and counts on seeing its
 * own events holds this lock from its first write to its end (beforeAll to afterAll), so no
 * other such file's dispatcher takes them. Returns the release.
 */
export async function holdDispatchLock(databaseUrl: string): Promise<() => Promise<void>> {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'recur-test-dispatch-lock' });
  await client.connect();
  await client.query('SELECT pg_advisory_lock($1)', [DISPATCH_LOCK]);
  // Ending the session releases the lock.
  return () => client.end();
}

