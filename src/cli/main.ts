import { ConfigError, loadConfig } from '../config.ts';
import type { Command, Output } from './command.ts';
import { auditCheckpoint } from './commands/auditCheckpoint.ts';
import { auditVerify } from './commands/auditVerify.ts';
import { backup } from './commands/backup.ts';
import { derivedRebuild } from './commands/derivedRebuild.ts';
import { keysReencrypt } from './commands/keysReencrypt.ts';
import { keysRetire } from './commands/keysRetire.ts';
import { keysRotate } from './commands/keysRotate.ts';
import { migrate } from './commands/migrate.ts';
import { orgCreate } from './commands/orgCreate.ts';
import { partnershipAdd } from './commands/partnershipAdd.ts';
import { restore } from './commands/restore.ts';
import { serve } from './commands/serve.ts';
import { setupLink } from './commands/setupLink.ts';
import { tokenCreate } from './commands/tokenCreate.ts';
import { tokenList } from './commands/tokenList.ts';
import { tokenRevoke } from './commands/tokenRevoke.ts';
import { userInvite } from './commands/userInvite.ts';
import { jobsList } from './commands/jobsList.ts';
import { worker } from './commands/worker.ts';
import { USAGE, UsageError } from './usage.ts';

export { USAGE, UsageError };

const COMMANDS: Record<string, Command> = {
  serve: serve,
  worker: worker,
  'jobs list': jobsList,
  migrate: migrate,
  'setup-link': setupLink,
  'org create': orgCreate,
  'user invite': userInvite,
  'partnership add': partnershipAdd,
  'token create': tokenCreate,
  'token list': tokenList,
  'token revoke': tokenRevoke,
  'audit verify': auditVerify,
  'audit checkpoint': auditCheckpoint,
  'keys rotate': keysRotate,
  'keys reencrypt': keysReencrypt,
  'keys retire': keysRetire,
  'derived rebuild': derivedRebuild,
  backup: backup,
  restore: restore,
};

function findCommand(argv: string[]): { name: string; command: Command; args: string[] } {
  for (const words of [2, 1]) {
    const name = argv.slice(0, words).join(' ');
    const command = COMMANDS[name];
    if (command) return { name, command, args: argv.slice(words) };
  }
  throw new UsageError(argv.length ? `Unknown command: ${argv.slice(0, 2).join(' ')}` : 'No command given');
}

function wantsHelp(argv: string[]): boolean {
  const beforeSeparator = argv.includes('--') ? argv.slice(0, argv.indexOf('--')) : argv;
  return argv[0] === 'help' || beforeSeparator.includes('--help') || beforeSeparator.includes('-h');
}

const consoleOutput: Output = { out: (line) => console.log(line), err: (line) => console.error(line) };

/** Runs one command and returns the process exit code: 0 done, 1 failed, 2 bad arguments or configuration. */
export async function runCli(
  argv: string[],
  env: Record<string, string | undefined> = process.env,
  output: Output = consoleOutput,
): Promise<number> {
  if (wantsHelp(argv)) {
    output.out(USAGE);
    return 0;
  }
  let name = 'liaison';
  try {
    const found = findCommand(argv);
    name = `liaison ${found.name}`;
    return await found.command(loadConfig(env), found.args, output);
  } catch (error) {
    if (error instanceof UsageError) {
      output.err(`${name}: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    if (error instanceof ConfigError) {
      output.err(error.message);
      return 2;
    }
    // Our own errors carry safe messages; the detail (which may include a stack) is not printed.
    output.err(`${name}: ${(error as Error).message}`);
    return 1;
  }
}
