/**
 * A Recur API server in its own process, for tests about what crosses processes (e.g. key
 * revocations broadcast with NOTIFY). Started by `startServerProcess`; prints `{"port":…}`
 * on its first stdout line and stops when its stdin closes or on SIGTERM.
 * Usage: node --import tsx test/helpers/server-child.ts <databaseUrl>
 */
import { connect } from '../../src/db/database.ts';
import { buildApp } from '../../src/server/app.ts';
import { testAppOptions } from './app-options.ts';

const databaseUrl = process.argv[2];
if (!databaseUrl) throw new Error('usage: server-child.ts <databaseUrl>');

const database = connect(databaseUrl, { max: 5, applicationName: 'recur-test-child' });
const app = await buildApp(testAppOptions(database));
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
const port = typeof address === 'object' && address ? address.port : 0;
process.stdout.write(`${JSON.stringify({ port })}\n`);

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await app.close();
  await database.close();
  process.exit(0);
}
process.on('SIGTERM', () => void stop());
// The parent holds stdin open: when it goes away (even by crashing), so does this server.
process.stdin.on('end', () => void stop());
process.stdin.resume();
