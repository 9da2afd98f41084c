import type { Insertable, Kysely, Transaction } from 'kysely';
import type { CaseTimelineEventsTable, DB } from '../../platform/db/schema.ts';

type Executor = Kysely<DB> | Transaction<DB>;

/** SQL for the police case timeline (`case_timeline_events`). */
export const caseTimelineRepository = {
  insert: (db: Executor, row: Insertable<CaseTimelineEventsTable>) =>
    db.insertInto('case_timeline_events').values(row).execute(),

  /** A case's events in the order they happened (ties: the order they were recorded). */
  ofCase: (db: Executor, caseId: string) =>
    db
      .selectFrom('case_timeline_events')
      .selectAll()
      .where('case_id', '=', caseId)
      .orderBy('occurred_at')
      .orderBy('recorded_at')
      .execute(),

  /** What the stage is derived from, for one case. */
  stageFacts: (db: Executor, caseId: string) =>
    db.selectFrom('case_timeline_events').select(['type', 'occurred_at']).where('case_id', '=', caseId).execute(),

  /** What the stage is derived from, for many cases in one query. */
  stageFactsOfCases: (db: Executor, caseIds: readonly string[]) =>
    db
      .selectFrom('case_timeline_events')
      .select(['case_id', 'type', 'occurred_at'])
      .where('case_id', 'in', caseIds)
      .execute(),
};
