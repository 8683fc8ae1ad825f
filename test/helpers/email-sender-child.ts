/**
 * One batch of the email sender in its own process, so a test can kill it at any moment
 * (SIGKILL: no cleanup, as a crashed machine). Prints `claimed <n>` when the batch is done.
 * Usage: node --import tsx test/helpers/email-sender-child.ts <databaseUrl> <smtpUrl> <now ms>
 */
import { connect } from '../../src/db/database.ts';
import { emailSender } from '../../src/modules/notifications/sender.ts';

const [databaseUrl, smtpUrl, nowMs] = process.argv.slice(2);
if (!databaseUrl || !smtpUrl || !nowMs) throw new Error('usage: email-sender-child.ts <databaseUrl> <smtpUrl> <now ms>');

const database = connect(databaseUrl, { max: 2, applicationName: 'recur-test-email-child' });
const sender = emailSender({ smtpUrl, emailFrom: 'Billing <billing@example.com>', batchSize: 1000 });
const claimed = await sender.runBatch(database.db, new Date(Number(nowMs)));
process.stdout.write(`claimed ${claimed}\n`);
await database.close();
