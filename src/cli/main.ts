import { ConfigError, loadConfig } from '../config.ts';
import { serve } from '../server.ts';
import { openDatabase, targetFor } from '../platform/db/database.ts';
import { migrateToLatest } from '../platform/db/migrator.ts';

export const USAGE = `Usage: liaison <command>

Commands:
  serve                 Start the web server (what npm start runs)
  migrate               Apply database migrations

Configuration comes from the environment (DATA_DIR, DATABASE_URL, ...): see README.md.`;

export class UsageError extends Error {}

/** Runs one command and returns the process exit code: 0 ok, 1 failed, 2 bad arguments. */
export async function runCli(argv: string[], env: Record<string, string | undefined> = process.env): Promise<number> {
  const [command] = argv;
  try {
    const config = loadConfig(env);
    switch (command) {
      case 'serve':
        await serve(config);
        return 0;
      case 'migrate': {
        const database = openDatabase(targetFor(config.dataDir, config.databaseUrl));
        try {
          const applied = await migrateToLatest(database.db);
          console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Database is up to date.');
        } finally {
          await database.close();
        }
        return 0;
      }
      default:
        throw new UsageError(command ? `Unknown command: ${command}` : 'No command given');
    }
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`${error.message}\n\n${USAGE}`);
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
