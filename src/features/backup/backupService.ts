import fs from 'node:fs';
import path from 'node:path';
import { BACKUP_FORMAT, BackupError, describeSize, writeBackup, type PgClientTools } from '../../platform/db/backup.ts';
import type { Database } from '../../platform/db/database.ts';

/** Names of scheduled backups: UTC, so they sort by time across clock changes. */
const SCHEDULED = /^liaison-\d{8}-\d{6}\.(sqlite|pgdump)$/;
/** A temporary file of ours (see writeBackup) older than this was left by a run that died. */
const ABANDONED_MS = 24 * 60 * 60_000;

export interface ScheduledBackups {
  readonly dir: string;
  readonly keep: number;
}

/** `liaison-20250131-013000.sqlite` for a backup taken at that moment (UTC). */
export function scheduledBackupName(at: Date, extension: string): string {
  const stamp = at.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `liaison-${stamp}.${extension}`;
}

/** Backups into BACKUP_DIR on a schedule, keeping the newest BACKUP_KEEP. */
export class BackupService {
  constructor(
    private readonly database: Database,
    private readonly tools: PgClientTools,
    private readonly settings: ScheduledBackups,
    private readonly now: () => Date,
  ) {}

  /** Writes one backup, then removes the oldest scheduled ones beyond the number kept; says what it did, in a few words. */
  async scheduled(): Promise<string> {
    const { dir, keep } = this.settings;
    // A missing folder is often a backup disk that is not mounted: fail, rather than fill the local disk.
    if (!fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory())
      throw new BackupError(`BACKUP_DIR ${dir} does not exist`, 'backup-dir-missing');
    const name = scheduledBackupName(this.now(), BACKUP_FORMAT[this.database.dialect]);
    const written = await writeBackup(this.database, path.join(dir, name), this.tools);
    const removed = this.removeBeyond(keep);
    return `${name}, ${describeSize(written.bytes)} in ${(written.ms / 1000).toFixed(1)} s; ${removed} older removed`;
  }

  /** Only our own names are ever removed: anything else in the folder is left alone. */
  private removeBeyond(keep: number): number {
    const { dir } = this.settings;
    const entries = fs.readdirSync(dir);
    const scheduled = entries.filter((name) => SCHEDULED.test(name)).sort();
    const old = scheduled.slice(0, Math.max(0, scheduled.length - keep));
    for (const name of old) fs.rmSync(path.join(dir, name), { force: true });
    const cutoff = this.now().getTime() - ABANDONED_MS;
    for (const name of entries.filter((n) => /^\.liaison-.*\.partial$/.test(n))) {
      const file = path.join(dir, name);
      if ((fs.statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? Infinity) < cutoff)
        fs.rmSync(file, { force: true });
    }
    return old.length;
  }
}
