import type { Kysely } from 'kysely';
import type { DB, SessionsTable } from '../../platform/db/schema.ts';
import { randomToken, sha256 } from '../../platform/crypto/index.ts';
import { sessionRepository as repo } from './sessionRepository.ts';

export const IDLE_TIMEOUT_MS = 30 * 60 * 1000;
export const ABSOLUTE_TIMEOUT_MS = 12 * 60 * 60 * 1000;
/** Part-way sessions (between password and code) are short-lived. */
export const PENDING_TIMEOUT_MS = 10 * 60 * 1000;

export type SessionRow = SessionsTable;

/**
 * Staff sessions live in the database so several instances share them. The
 * cookie holds a random id; only its SHA-256 is stored, so a leaked database
 * cannot be replayed as sessions.
 */
export class SessionStore {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Starts a session and returns the cookie value. */
  async create(userId: string, stage: SessionRow['stage']): Promise<string> {
    const id = randomToken();
    const now = this.now();
    const lifetime = stage === 'active' ? ABSOLUTE_TIMEOUT_MS : PENDING_TIMEOUT_MS;
    await repo.insert(this.db, {
      id_hash: sha256(id),
      user_id: userId,
      stage,
      created_at: now.toISOString(),
      last_seen_at: now.toISOString(),
      expires_at: new Date(now.getTime() + lifetime).toISOString(),
      step_up_at: stage === 'active' ? now.toISOString() : null,
    });
    return id;
  }

  /** The live session for a cookie value, touching its idle timer; expired sessions are deleted. */
  async resume(cookieValue: string): Promise<SessionRow | undefined> {
    const idHash = sha256(cookieValue);
    const row = await repo.find(this.db, idHash);
    if (!row) return undefined;
    const now = this.now();
    const idleLimit = row.stage === 'active' ? IDLE_TIMEOUT_MS : PENDING_TIMEOUT_MS;
    if (Date.parse(row.expires_at) <= now.getTime() || now.getTime() - Date.parse(row.last_seen_at) >= idleLimit) {
      await this.destroy(idHash);
      return undefined;
    }
    // Writing on every request would be wasteful; a minute's precision is enough for a 30-minute timeout.
    if (now.getTime() - Date.parse(row.last_seen_at) > 60_000) {
      await repo.touch(this.db, idHash, now.toISOString());
    }
    return row;
  }

  async recordStepUp(idHash: string): Promise<void> {
    await repo.recordStepUp(this.db, idHash, this.now().toISOString());
  }

  async destroy(idHash: string): Promise<void> {
    await repo.delete(this.db, idHash);
  }

  async destroyAllFor(userId: string): Promise<void> {
    await repo.deleteAllFor(this.db, userId);
  }

  async deleteExpired(): Promise<number> {
    return repo.deleteExpired(this.db, this.now().toISOString());
  }
}
