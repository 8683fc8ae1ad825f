import { parseArgs } from 'node:util';
import { billCommand } from './commands/bill.ts';
import { usage } from './commands/help.ts';
import { createKeyCommand, migrateCommand, resetPasswordCommand } from './commands/admin.ts';
import { UserError } from './commands/errors.ts';
import { startCommand } from './commands/start.ts';
import { workerCommand } from './commands/worker.ts';
import { ConfigError, loadConfig } from './config.ts';
import { AlreadyServedError } from './db/serve-lock.ts';
import { createLogger } from './lib/logger.ts';

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  const config = loadConfig();
  const logger = createLogger();
  switch (command) {
    case 'start':
      return startCommand(config, logger, { worker: !rest.includes('--no-worker') });
    case 'worker':
      return workerCommand(config, logger);
    case 'migrate':
      return migrateCommand(config, logger);
    case 'bill':
      return billCommand(config, logger);
    case 'keys': {
      const { positionals, values } = parseArgs({
        args: rest,
        allowPositionals: true,
        options: {
          workspace: { type: 'string', default: 'sandbox' },
          type: { type: 'string', default: 'secret' },
          name: { type: 'string' },
        },
      });
      if (positionals[0] !== 'create') throw new UserError('Usage: recur keys create --workspace sandbox|live [--type secret|publishable] [--name NAME]');
      if (values.type !== 'secret' && values.type !== 'publishable') throw new UserError('--type must be secret or publishable.');
      return createKeyCommand(config, logger, { workspace: values.workspace, type: values.type, name: values.name ?? null });
    }
    case 'users': {
      const { positionals, values } = parseArgs({ args: rest, allowPositionals: true, options: { email: { type: 'string' } } });
      if (positionals[0] !== 'reset-password' || !values.email) throw new UserError('Usage: recur users reset-password --email EMAIL');
      return resetPasswordCommand(config, logger, values.email);
    }
    case undefined:
    case 'help':
    case '--help':
      process.stdout.write(usage());
      return;
    default:
      throw new UserError(`Unknown command '${command}'. Run recur help.`);
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UserError || error instanceof ConfigError || error instanceof AlreadyServedError) {
    process.stderr.write(`recur: ${error.message}\n`);
  } else {
    process.stderr.write(`recur: ${(error as Error).stack ?? String(error)}\n`);
  }
  process.exit(1);
});
