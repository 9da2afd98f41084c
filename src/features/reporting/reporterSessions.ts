import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import { randomToken, sha256 } from '../../platform/crypto/index.ts';

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
    await this.db
      .insertInto('reporter_sessions')
      .values({ id_hash: sha256(cookie), report_id: reportId, last_seen_at: now, created_at: now })
      .execute();
    return cookie;
  }

  /** The report this cookie opens, touching the idle timer; undefined once idle too long. */
  async resume(cookie: string | undefined): Promise<string | undefined> {
    if (!cookie) return undefined;
    const idHash = sha256(cookie);
    const row = await this.db
      .selectFrom('reporter_sessions')
      .selectAll()
      .where('id_hash', '=', idHash)
      .executeTakeFirst();
    if (!row) return undefined;
    const now = this.now();
    if (now.getTime() - Date.parse(row.last_seen_at) >= REPORTER_IDLE_MS) {
      await this.end(cookie);
      return undefined;
    }
    await this.db
      .updateTable('reporter_sessions')
      .set({ last_seen_at: now.toISOString() })
      .where('id_hash', '=', idHash)
      .execute();
    return row.report_id;
  }

  async end(cookie: string | undefined): Promise<void> {
    if (cookie) await this.db.deleteFrom('reporter_sessions').where('id_hash', '=', sha256(cookie)).execute();
  }
}
