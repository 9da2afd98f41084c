import fs from 'node:fs';
import path from 'node:path';
import { describeSize, writeBackup } from '../../platform/db/backup.ts';
import { openDatabase, targetFor } from '../../platform/db/database.ts';
import { MASTER_KEY_FILE } from '../../platform/crypto/masterKey.ts';
import { requiredOptions } from '../args.ts';
import type { Command } from '../command.ts';
import { UsageError } from '../usage.ts';

/**
 * `liaison backup --out FILE`: a consistent copy of the whole database while
 * the server runs (SQLite's online backup, or pg_dump's custom format). It
 * needs no master key, and the copy holds none.
 */
export const backup: Command = async (config, args, output) => {
  const { out } = requiredOptions(args, ['out']);
  const target = targetFor(config.dataDir, config.databaseUrl);
  const file = path.resolve(out);
  if (target.dialect === 'sqlite') {
    // Opening a missing database would create an empty one, and back that up.
    if (!fs.existsSync(target.file))
      throw new Error(`There is no database at ${target.file}: is DATA_DIR right? Nothing was written.`);
    if ([target.file, `${target.file}-wal`, `${target.file}-shm`].includes(file))
      throw new UsageError('--out names the database itself: give a file outside the data directory');
  }
  // A dump of a large database may rightly take longer than a request may.
  const database = openDatabase(target, { ...config.databasePool, statementTimeoutMs: 0 });
  let written;
  try {
    written = await writeBackup(database, file, config.pgClientTools);
  } finally {
    await database.close();
  }
  const key = config.masterKeyBase64
    ? 'LIAISON_MASTER_KEY'
    : target.dialect === 'sqlite'
      ? path.join(config.dataDir, MASTER_KEY_FILE)
      : 'LIAISON_MASTER_KEY';
  output.out(
    `Backup written to ${written.file}: ${describeSize(written.bytes)} (${written.bytes} bytes) in ${(written.ms / 1000).toFixed(1)} s.`,
  );
  output.out(
    'Encrypted fields are in it as stored, still encrypted, and the master key is not in it: ' +
      `keep the master key (${key}) safe somewhere other than the backups. A restore needs it; anyone holding both can read everything.`,
  );
  return 0;
};
