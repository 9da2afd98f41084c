import { ConfigError, loadConfig, type Config } from '../config.ts';
import { serve } from '../server.ts';
import { openDatabase, targetFor } from '../platform/db/database.ts';
import { migrateToLatest } from '../platform/db/migrator.ts';
import { noArguments } from './args.ts';
import { auditVerify } from './commands/auditVerify.ts';
import { keysRotate } from './commands/keysRotate.ts';
import { orgCreate } from './commands/orgCreate.ts';
import { tokenCreate } from './commands/tokenCreate.ts';
import { userInvite } from './commands/userInvite.ts';
import { USAGE, UsageError } from './usage.ts';

export { USAGE, UsageError };

type Command = (config: Config, args: string[], print: (line: string) => void) => Promise<number>;

const COMMANDS: Record<string, Command> = {
  'serve': async (config, args) => {
    noArguments(args);
    await serve(config);
    return 0;
  },
  'migrate': async (config, args) => {
    noArguments(args);
    const database = openDatabase(targetFor(config.dataDir, config.databaseUrl));
    try {
      const applied = await migrateToLatest(database.db);
      console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Database is up to date.');
      return 0;
    } finally {
      await database.close();
    }
  },
  'org create': orgCreate,
  'user invite': userInvite,
  'token create': tokenCreate,
  'audit verify': auditVerify,
  'keys rotate': keysRotate,
};

function findCommand(argv: string[]): { command: Command; args: string[] } {
  for (const words of [2, 1]) {
    const command = COMMANDS[argv.slice(0, words).join(' ')];
    if (command) return { command, args: argv.slice(words) };
  }
  throw new UsageError(argv.length ? `Unknown command: ${argv.slice(0, 2).join(' ')}` : 'No command given');
}

/** Runs one command and returns the process exit code: 0 ok, 1 failed, 2 bad arguments. */
export async function runCli(argv: string[], env: Record<string, string | undefined> = process.env): Promise<number> {
  const print = (line: string) => console.log(line);
  if (argv[0] === 'help' || argv[0] === '--help' || argv[0] === '-h') {
    print(USAGE);
    return 0;
  }
  try {
    const { command, args } = findCommand(argv);
    return await command(loadConfig(env), args, print);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`liaison: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    if (error instanceof ConfigError) {
      console.error(error.message);
      return 2;
    }
    console.error(`liaison: ${(error as Error).message}`);
    return 1;
  }
}
