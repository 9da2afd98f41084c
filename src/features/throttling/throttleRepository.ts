import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';

type Executor = Kysely<DB> | Transaction<DB>;

export const throttleRepository = {
  find(db: Executor, keyHash: string) {
    return db.selectFrom('throttles').selectAll().where('key_hash', '=', keyHash).executeTakeFirst();
  },
  /**
   * Counts one failure in a single statement (insert or update), so parallel
   * guesses cannot overwrite each other's counts and slip past the limit.
   * A window older than `windowStart` starts again at one.
   */
  async countFailure(
    db: Executor,
    keyHash: string,
    now: string,
    windowStart: string,
    accountKey: string | null = null,
  ): Promise<number> {
    const row = await db
      .insertInto('throttles')
      .values({ key_hash: keyHash, failures: 1, window_started_at: now, locked_until: null, account_key: accountKey })
      .onConflict((oc) =>
        oc.column('key_hash').doUpdateSet((eb) => ({
          failures: eb
            .case()
            .when('throttles.window_started_at', '>', windowStart)
            .then(eb('throttles.failures', '+', 1))
            .else(1)
            .end(),
          window_started_at: eb
            .case()
            .when('throttles.window_started_at', '>', windowStart)
            .then(eb.ref('throttles.window_started_at'))
            .else(now)
            .end(),
        })),
      )
      .returning('failures')
      .executeTakeFirstOrThrow();
    return Number(row.failures);
  },
  /**
   * Counts one request against a rate limit, in one statement as above, and
   * says when the current window started, so every instance sees one count.
   */
  async countHit(
    db: Executor,
    keyHash: string,
    now: string,
    windowStart: string,
  ): Promise<{ hits: number; windowStartedAt: string }> {
    const row = await db
      .insertInto('throttles')
      .values({ key_hash: keyHash, failures: 1, window_started_at: now, locked_until: null })
      .onConflict((oc) =>
        oc.column('key_hash').doUpdateSet((eb) => ({
          failures: eb
            .case()
            .when('throttles.window_started_at', '>', windowStart)
            .then(eb('throttles.failures', '+', 1))
            .else(1)
            .end(),
          window_started_at: eb
            .case()
            .when('throttles.window_started_at', '>', windowStart)
            .then(eb.ref('throttles.window_started_at'))
            .else(now)
            .end(),
        })),
      )
      .returning(['failures', 'window_started_at'])
      .executeTakeFirstOrThrow();
    return { hits: Number(row.failures), windowStartedAt: row.window_started_at };
  },
  /** How many keys are locked out right now (a count for monitoring, nothing else). */
  async countLocked(db: Executor, now: string): Promise<number> {
    const row = await db
      .selectFrom('throttles')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('locked_until', '>', now)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  },
  /** Removes rate-limit and failure rows whose window ended before `before` and that hold no lock. */
  async removeStale(db: Executor, before: string, now: string) {
    await db
      .deleteFrom('throttles')
      .where('window_started_at', '<', before)
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
      .execute();
  },
  /** Locks the key if it has reached the limit; true for the one request that set the lock. */
  async lockIfReached(
    db: Executor,
    keyHash: string,
    maxFailures: number,
    now: string,
    lockedUntil: string,
  ): Promise<boolean> {
    const result = await db
      .updateTable('throttles')
      .set({ failures: 0, window_started_at: now, locked_until: lockedUntil })
      .where('key_hash', '=', keyHash)
      .where('failures', '>=', maxFailures)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  },
  /**
   * Takes the key for one attempt at a time: sets a short lock only if the key is not locked now,
   * in one conditional statement, so of several parallel attempts exactly one goes ahead.
   */
  async claim(db: Executor, keyHash: string, now: string, busyUntil: string): Promise<boolean> {
    await db
      .insertInto('throttles')
      .values({ key_hash: keyHash, failures: 0, window_started_at: now, locked_until: null })
      .onConflict((oc) => oc.column('key_hash').doNothing())
      .execute();
    const result = await db
      .updateTable('throttles')
      .set({ locked_until: busyUntil })
      .where('key_hash', '=', keyHash)
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)]))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  },
  /** Ends a claim that was not followed by a lock (the attempt succeeded or was not made). */
  release(db: Executor, keyHash: string, busyUntil: string) {
    return db
      .updateTable('throttles')
      .set({ locked_until: null })
      .where('key_hash', '=', keyHash)
      .where('locked_until', '=', busyUntil)
      .execute();
  },
  /** Sets the key's lock end (null: unlocked), keeping its failure count (growing back-off). */
  lockUntil(db: Executor, keyHash: string, lockedUntil: string | null) {
    return db.updateTable('throttles').set({ locked_until: lockedUntil }).where('key_hash', '=', keyHash).execute();
  },
  /** The locked counters that belong to these accounts (by their keyed hashes). */
  lockedForAccounts(db: Executor, accountKeys: string[], now: string) {
    if (!accountKeys.length) return Promise.resolve([]);
    return db
      .selectFrom('throttles')
      .selectAll()
      .where('account_key', 'in', accountKeys)
      .where('locked_until', '>', now)
      .execute();
  },
  async removeForAccount(db: Executor, accountKey: string): Promise<number> {
    const result = await db.deleteFrom('throttles').where('account_key', '=', accountKey).executeTakeFirst();
    return Number(result.numDeletedRows);
  },
  remove(db: Executor, keyHash: string) {
    return db.deleteFrom('throttles').where('key_hash', '=', keyHash).execute();
  },
};
