import { openDatabase, targetFor } from '../../platform/db/database.ts';
import { migrateAndFill } from '../../derivedData.ts';
import { noArguments } from '../args.ts';
import type { Command } from '../command.ts';

/** `liaison migrate`: applies pending migrations and fills any derived tables they created (no keys are created). */
export const migrate: Command = async (config, args, output) => {
  noArguments(args);
  // A migration over a large table may rightly take longer than a request may.
  const database = openDatabase(targetFor(config.dataDir, config.databaseUrl), {
    ...config.databasePool,
    statementTimeoutMs: 0,
  });
  try {
    const { applied, filled } = await migrateAndFill(database.db);
    output.out(applied.length ? `Applied: ${applied.join(', ')}` : 'Database is up to date.');
    if (filled.length) output.out(`Filled from the data: ${filled.join(', ')}`);
    return 0;
  } finally {
    await database.close();
  }
};
