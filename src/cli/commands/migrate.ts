import { openDatabase, targetFor } from '../../platform/db/database.ts';
import { migrateToLatest } from '../../platform/db/migrator.ts';
import { noArguments } from '../args.ts';
import type { Command } from '../command.ts';

/** `liaison migrate`: applies pending migrations and nothing else (no keys are created). */
export const migrate: Command = async (config, args, output) => {
  noArguments(args);
  const database = openDatabase(targetFor(config.dataDir, config.databaseUrl));
  try {
    const applied = await migrateToLatest(database.db);
    output.out(applied.length ? `Applied: ${applied.join(', ')}` : 'Database is up to date.');
    return 0;
  } finally {
    await database.close();
  }
};
