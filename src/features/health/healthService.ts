import { DatabaseTimeoutError, type Database, type PoolStats } from '../../platform/db/database.ts';
import { migrationsAreCurrent } from '../../platform/db/migrator.ts';
import { healthRepository as repo } from './healthRepository.ts';

/**
 * How long /readyz waits for a database connection and a trivial query. Load
 * balancers probe every few seconds; an instance whose pool is exhausted (every
 * connection waiting on a lock) should be taken out of rotation, not reported ready.
 */
export const READY_TIMEOUT_MS = 2000;

export type Readiness =
  | { status: 'ready' }
  | { status: 'unavailable'; reason: 'migrations pending' | 'derived data pending' | 'database unreachable' }
  | { status: 'unavailable'; reason: 'database pool unhealthy'; pool: PoolStats | undefined };

/** Whether this instance can serve: its database answers, is migrated and has its derived tables filled. */
export class HealthService {
  constructor(private readonly database: Database) {}

  async readiness(): Promise<Readiness> {
    try {
      await this.database.ping(READY_TIMEOUT_MS);
      if (!(await migrationsAreCurrent(this.database.db))) {
        return { status: 'unavailable', reason: 'migrations pending' };
      }
      // A derived table still to be filled (src/derivedData.ts) would give short lists, such as the at-risk list.
      if (await repo.anyDerivedDataPending(this.database.db)) {
        return { status: 'unavailable', reason: 'derived data pending' };
      }
      return { status: 'ready' };
    } catch (error) {
      if (
        error instanceof DatabaseTimeoutError ||
        /timeout exceeded when trying to connect/.test(String((error as Error).message))
      ) {
        // Counts only: how many connections are busy and how many requests queue for one.
        return { status: 'unavailable', reason: 'database pool unhealthy', pool: this.database.poolStats() };
      }
      return { status: 'unavailable', reason: 'database unreachable' };
    }
  }
}
