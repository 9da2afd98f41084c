import fs from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { migrateAndFill, rebuildDerived } from '../../derivedData.ts';
import { FieldCipher } from '../../platform/crypto/fieldCipher.ts';
import { MASTER_KEY_FILE, loadMasterKey } from '../../platform/crypto/masterKey.ts';
import { BackupError, describeSize, restoreBackup } from '../../platform/db/backup.ts';
import { openDatabase, targetFor, type DatabaseTarget } from '../../platform/db/database.ts';
import type { DB } from '../../platform/db/schema.ts';
import { requiredOptions } from '../args.ts';
import type { Command } from '../command.ts';
import { withServices } from '../withServices.ts';

/** Where the data goes, in words that never include a password or the URL. */
function describeTarget(target: DatabaseTarget): string {
  if (target.dialect === 'sqlite') return target.file;
  const url = new URL(target.url);
  return `the PostgreSQL database ${decodeURIComponent(url.pathname.slice(1)) || '(default)'} on ${url.hostname}`;
}

/**
 * `liaison restore --from FILE [--force]`: puts a backup in place of an empty
 * database (or, with --force, of everything in it), then migrates, rebuilds
 * the derived tables and verifies the audit trail; exit 1 if it is broken.
 */
export const restore: Command = async (config, args, output) => {
  const force = args.includes('--force');
  const { from } = requiredOptions(
    args.filter((arg) => arg !== '--force'),
    ['from'],
  );
  const target = targetFor(config.dataDir, config.databaseUrl);
  // Without the key of the old installation nothing restored could be read, and the server would make a new one.
  if (
    !config.masterKeyBase64 &&
    !(target.dialect === 'sqlite' && fs.existsSync(path.join(config.dataDir, MASTER_KEY_FILE)))
  )
    throw new Error(
      target.dialect === 'sqlite'
        ? `No master key: set LIAISON_MASTER_KEY, or put the ${MASTER_KEY_FILE} file kept from the old data directory into ${config.dataDir}, then restore. Nothing was changed.`
        : 'No master key: set LIAISON_MASTER_KEY to the key the backup was taken under, then restore. Nothing was changed.',
    );
  const masterKey = loadMasterKey({
    fromEnv: config.masterKeyBase64,
    dataDir: config.dataDir,
    allowKeyFile: target.dialect === 'sqlite',
  }).key;
  const migrate = (db: Kysely<DB>) => migrateAndFill(db).then((r) => r.applied);
  let applied: string[] | undefined;
  const outcome = await restoreBackup(target, from, config.pgClientTools, {
    force,
    // Before the copy takes the database's place: brought up to date, and opened with this master key.
    checkCopy: async (db) => {
      applied = await migrate(db);
      await new FieldCipher(db, masterKey).load().catch(() => {
        throw new BackupError(
          'This master key does not open the backup (it was taken under another one). Nothing was changed.',
          'restore-wrong-key',
        );
      });
    },
  });
  output.out(
    `Restored ${path.resolve(from)} (${describeSize(outcome.bytes)}) into ${describeTarget(target)}` +
      (outcome.replaced.length ? `, replacing what it held (${outcome.replaced.join(', ')}).` : ', which was empty.'),
  );
  if (!applied) {
    const database = openDatabase(target, { ...config.databasePool, statementTimeoutMs: 0 });
    try {
      applied = await migrate(database.db);
    } finally {
      await database.close();
    }
  }
  output.out(applied.length ? `Migrations applied: ${applied.join(', ')}` : 'Migrations: the backup was up to date.');
  const opened = withServices(
    config,
    output,
    async (services) => {
      const rebuilt = await rebuildDerived(services.db, services.cipher);
      output.out(`Rebuilt from the data: ${rebuilt.join(', ')}`);
      const result = await services.audit.verify(1000);
      if (!result.ok) {
        output.out(
          `Audit trail BROKEN at entry ${result.firstBadSeq}: ${result.reason}. The ${result.checked} entries before it are intact.`,
        );
        output.err(
          'The data is in place, but its audit trail does not verify: find out why before the service is used again.',
        );
        return 1;
      }
      await services.audit.record({
        actorKind: 'cli',
        action: 'database.restored',
        targetKind: 'database',
        targetId: null,
        detail: {
          format: outcome.format,
          bytes: outcome.bytes,
          migrations: applied!.length,
          replaced: outcome.replaced.length > 0,
        },
      });
      output.out(`Audit trail intact: ${result.checked} entries.`);
      output.out('Restore complete: start the server with the same master key.');
      return 0;
    },
    // The trail is checked as it came out of the backup; a server keys an old head when it starts.
    { keyAuditHead: false },
  );
  return opened.catch((error: unknown) => {
    output.err(
      'The backup is in place, but the service could not open it (below). Once that is put right (on PostgreSQL, the master key is only checked here), run liaison derived rebuild and liaison audit verify, or restore again with --force.',
    );
    throw error;
  });
};
