import type { Insertable, Kysely, Selectable, Transaction } from 'kysely';
import type { Dialect } from '../../platform/db/database.ts';
import type { DB, JobSchedulesTable, JobsTable } from '../../platform/db/schema.ts';

type Db = Kysely<DB> | Transaction<DB>;
export type JobRow = Selectable<JobsTable>;
export type ScheduleRow = Selectable<JobSchedulesTable>;

export const jobRepository = {
  /** Queues a job; with a dedupe key, nothing is added while an unfinished job has the same key. */
  async insert(db: Db, row: Insertable<JobsTable>): Promise<boolean> {
    const result = await db
      .insertInto('jobs')
      .values(row)
      .onConflict((oc) =>
        oc.column('dedupe_key').where('finished_at', 'is', null).where('failed_at', 'is', null).doNothing(),
      )
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  },

  /**
   * Takes up to `limit` due jobs of the given types for this runner, with a
   * lease until `leaseUntil`. On PostgreSQL the candidates are locked with
   * SKIP LOCKED, so two runners never take the same row and neither waits for
   * the other; SQLite has one writer at a time, so the UPDATE is atomic as is.
   */
  async claim(
    db: Kysely<DB>,
    dialect: Dialect,
    input: { types: readonly string[]; now: string; leaseUntil: string; runner: string; limit: number },
  ): Promise<JobRow[]> {
    if (!input.types.length) return [];
    let due = db
      .selectFrom('jobs')
      .select('id')
      .where('finished_at', 'is', null)
      .where('failed_at', 'is', null)
      .where('run_at', '<=', input.now)
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', input.now)]))
      .where('type', 'in', input.types)
      .orderBy('run_at')
      .limit(input.limit);
    if (dialect === 'postgres') due = due.forUpdate().skipLocked();
    return db
      .updateTable('jobs')
      .set((eb) => ({
        locked_by: input.runner,
        locked_until: input.leaseUntil,
        started_at: input.now,
        attempts: eb('attempts', '+', 1),
      }))
      .where('id', 'in', due)
      .returningAll()
      .execute();
  },

  async extendLease(db: Db, id: string, runner: string, until: string): Promise<void> {
    await db
      .updateTable('jobs')
      .set({ locked_until: until })
      .where('id', '=', id)
      .where('locked_by', '=', runner)
      .execute();
  },

  /** Marks a claimed job done, only if this runner still holds it. */
  async finish(db: Db, id: string, runner: string, at: string): Promise<void> {
    await db
      .updateTable('jobs')
      .set({ finished_at: at, locked_by: null, locked_until: null, last_error: null })
      .where('id', '=', id)
      .where('locked_by', '=', runner)
      .execute();
  },

  /** Records a failure: another try at `retryAt`, or (retries spent) failed, kept until dismissed. */
  async fail(
    db: Db,
    input: { id: string; runner: string; code: string; at: string; retryAt: string | null },
  ): Promise<void> {
    await db
      .updateTable('jobs')
      .set({
        locked_by: null,
        locked_until: null,
        last_error: input.code,
        ...(input.retryAt ? { run_at: input.retryAt } : { failed_at: input.at }),
      })
      .where('id', '=', input.id)
      .where('locked_by', '=', input.runner)
      .execute();
  },

  async dismiss(db: Db, id: string, at: string): Promise<boolean> {
    const result = await db
      .updateTable('jobs')
      .set({ dismissed_at: at })
      .where('id', '=', id)
      .where('failed_at', 'is not', null)
      .where('dismissed_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  },

  /** Failed jobs nobody has dismissed yet, newest first. */
  failed(db: Db, limit: number): Promise<JobRow[]> {
    return db
      .selectFrom('jobs')
      .selectAll()
      .where('failed_at', 'is not', null)
      .where('dismissed_at', 'is', null)
      .orderBy('failed_at', 'desc')
      .limit(limit)
      .execute();
  },

  /** Per type: jobs waiting (or retrying), the last finish and the last error seen on a waiting job. */
  async summary(
    db: Db,
  ): Promise<{ type: string; waiting: number; retrying: number; failed: number; lastFinished: string | null }[]> {
    const rows = await db
      .selectFrom('jobs')
      .select((eb) => [
        'type',
        eb.fn
          .count<string>('id')
          .filterWhere((w) => w.and([w('finished_at', 'is', null), w('failed_at', 'is', null)]))
          .as('waiting'),
        eb.fn
          .count<string>('id')
          .filterWhere((w) =>
            w.and([w('finished_at', 'is', null), w('failed_at', 'is', null), w('last_error', 'is not', null)]),
          )
          .as('retrying'),
        eb.fn
          .count<string>('id')
          .filterWhere((w) => w.and([w('failed_at', 'is not', null), w('dismissed_at', 'is', null)]))
          .as('failed'),
        eb.fn.max('finished_at').as('lastFinished'),
      ])
      .groupBy('type')
      .execute();
    return rows.map((r) => ({
      type: r.type,
      waiting: Number(r.waiting),
      retrying: Number(r.retrying),
      failed: Number(r.failed),
      lastFinished: (r.lastFinished as string | null) ?? null,
    }));
  },

  /** Forgets finished jobs older than `before` (the schedules keep each type's last run). */
  async purgeFinished(db: Db, before: string): Promise<number> {
    const result = await db
      .deleteFrom('jobs')
      .where('finished_at', 'is not', null)
      .where('finished_at', '<', before)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  },

  // ---- schedules ----------------------------------------------------------

  schedules(db: Db): Promise<ScheduleRow[]> {
    return db.selectFrom('job_schedules').selectAll().orderBy('type').execute();
  },

  /** Adds a schedule, or changes its cron expression (and next slot) if the code now says otherwise. */
  async upsertSchedule(db: Db, row: { type: string; cron: string; next_run_at: string }): Promise<void> {
    await db
      .insertInto('job_schedules')
      .values({ ...row, failures: 0 })
      .onConflict((oc) =>
        oc
          .column('type')
          .doUpdateSet({ cron: row.cron, next_run_at: row.next_run_at })
          .where('job_schedules.cron', '<>', row.cron),
      )
      .execute();
  },

  /** Moves a schedule from the slot it was seen at to the next one; false if another runner did first. */
  async advanceSchedule(db: Db, type: string, seenNext: string, next: string, at: string): Promise<boolean> {
    const result = await db
      .updateTable('job_schedules')
      .set({ next_run_at: next, last_run_at: at })
      .where('type', '=', type)
      .where('next_run_at', '=', seenNext)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  },

  async recordScheduledOutcome(
    db: Db,
    type: string,
    outcome: { at: string; error: string | null; detail: string | null },
  ): Promise<void> {
    await db
      .updateTable('job_schedules')
      .set((eb) =>
        outcome.error
          ? { last_error: outcome.error, failures: eb('failures', '+', 1) }
          : { last_error: null, last_detail: outcome.detail, last_success_at: outcome.at, failures: 0 },
      )
      .where('type', '=', type)
      .execute();
  },
};
