import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import { attritionWatchRepository as repo, type WatchScope } from './attritionWatchRepository.ts';

type Executor = Kysely<DB> | Transaction<DB>;

export type { WatchScope };

/**
 * Keeps `attrition_watch` in step for the reports in `scope`: an open report
 * gets one row holding the moments and facts its risk flags are measured from;
 * a closed report, or a withdrawn one whose person wants no support, gets none.
 * Derived data, recomputed from the source tables in the transaction that
 * changes them, like the inbox's report tags: every service that records a
 * contact attempt, a contact point, a reply to the person, a met duty, an
 * appointment outcome, an engagement change, a link between a report and a
 * person, or a report's status calls this before it commits. Nothing stored
 * depends on the clock, so the rows never need refreshing as time passes.
 */
export function syncAttritionWatch(db: Executor, scope: WatchScope): Promise<void> {
  return repo.sync(db, scope);
}
