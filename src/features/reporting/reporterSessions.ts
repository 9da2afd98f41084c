import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import { randomToken, sha256 } from '../../platform/crypto/index.ts';
import { reporterSessionRepository as repo } from './reporterSessionRepository.ts';

/** A "Check your report" session ends after 15 idle minutes: a shared phone may be picked up by someone else. */
export const REPORTER_IDLE_MS = 15 * 60 * 1000;

/** Sessions opened with a receipt code; the cookie holds a random id, the database only its hash. */
export class ReporterSessions {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly now: () => Date,
  ) {}

  async open(reportId: string): Promise<string> {
    const cookie = randomToken();
    const now = this.now().toISOString();
    await repo.insert(this.db, { id_hash: sha256(cookie), report_id: reportId, last_seen_at: now, created_at: now });
    return cookie;
  }

  /** The report this cookie opens, touching the idle timer; undefined once idle too long. */
  async resume(cookie: string | undefined): Promise<string | undefined> {
    if (!cookie) return undefined;
    const idHash = sha256(cookie);
    const row = await repo.byIdHash(this.db, idHash);
    if (!row) return undefined;
    const now = this.now();
    if (now.getTime() - Date.parse(row.last_seen_at) >= REPORTER_IDLE_MS) {
      await this.end(cookie);
      return undefined;
    }
    await repo.touch(this.db, idHash, now.toISOString());
    return row.report_id;
  }

  async end(cookie: string | undefined): Promise<void> {
    if (cookie) await repo.delete(this.db, sha256(cookie));
  }
}
