import type { Config } from '../config.ts';
import { openDatabase, type OpenDatabase } from '../db/open.ts';
import { newId, randomBase62 } from '../lib/ids.ts';
import type { Logger } from '../lib/logger.ts';
import { recordAudit } from '../modules/audit/service.ts';
import { createApiKey } from '../modules/auth/api-keys.ts';
import { setPassword } from '../modules/auth/users.ts';
import type { ApiKeyType } from '../modules/auth/models.ts';
import { ensureBootstrapped } from '../modules/workspaces/bootstrap.ts';
import { findWorkspace, firstAccountId } from '../modules/workspaces/service.ts';
import { UserError } from './errors.ts';

/** Runs `task` on the data directory's database, whether or not a server is running on it. */
async function withDatabase<T>(config: Config, logger: Logger, task: (database: OpenDatabase) => Promise<T>): Promise<T> {
  const database = await openDatabase(config, logger, { poolSize: 2 });
  try {
    return await task(database);
  } finally {
    await database.shutdown({ stopEmbedded: 'if-started-here' });
  }
}

export async function migrateCommand(config: Config, logger: Logger): Promise<void> {
  await withDatabase(config, logger, async () => undefined);
  process.stdout.write('Database is up to date.\n');
}

/** `recur keys create`: prints the new key on stdout and nothing else, for scripts. */
export async function createKeyCommand(
  config: Config,
  logger: Logger,
  options: { workspace: string; type: ApiKeyType; name: string | null },
): Promise<void> {
  const secret = await withDatabase(config, logger, async ({ db }) => {
    await ensureBootstrapped(db, config);
    const accountId = await firstAccountId(db);
    const workspace = accountId ? await findWorkspace(db, accountId, options.workspace) : null;
    if (!workspace) throw new UserError(`No workspace '${options.workspace}': use sandbox or live.`);
    return db.transaction().execute(async (tx) => {
      const { row, secret } = await createApiKey(tx, workspace, { type: options.type, name: options.name ?? 'Created with recur keys create' });
      await recordAudit(tx, {
        account_id: workspace.accountId,
        workspace_id: workspace.id,
        actor_type: 'system',
        actor_id: null,
        actor_label: 'recur keys create',
        action: 'api_key.created',
        method: null,
        path: null,
        object_id: row.id,
        status_code: null,
        ip: null,
        request_id: newId('request'),
      });
      return secret;
    });
  });
  process.stdout.write(`${secret}\n`);
}

/** `recur users reset-password`: a new generated password for a user, printed once. */
export async function resetPasswordCommand(config: Config, logger: Logger, email: string): Promise<void> {
  const password = randomBase62(20);
  await withDatabase(config, logger, async ({ db }) => {
    const user = await db
      .selectFrom('users')
      .select(['account_id', 'id'])
      .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
      .executeTakeFirst();
    if (!user) throw new UserError(`No user with email ${email}.`);
    await setPassword(db, user.account_id, user.id, password);
  });
  process.stdout.write(`New password for ${email}: ${password}\n`);
}
