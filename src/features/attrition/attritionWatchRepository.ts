import { PostgresAdapter, sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import { SUCCESSFUL_OUTCOMES } from '../vocabulary/index.ts';
import { FLAG_WEIGHTS } from './atRiskRepository.ts';

type Executor = Kysely<DB> | Transaction<DB>;

/**
 * Which reports to bring up to date: the reports themselves, every report of
 * some people, the reports some police cases came from, or every report.
 */
export type WatchScope = { reports: string[] } | { people: string[] } | { cases: string[] } | { all: true };

/** SQL for the attrition watch, recomputed from the source tables (attritionWatch.ts says when). */
export const attritionWatchRepository = { sync };

/** Replaces the `attrition_watch` rows of the reports in `scope`: none for a closed or withdrawn-without-support report. */
async function sync(db: Executor, scope: WatchScope): Promise<void> {
  const which = reportsIn(scope);
  if (!which) return;
  // On PostgreSQL, writers to the same reports take turns (row locks, in id order),
  // so the second computes from the first one's committed changes instead of
  // overwriting them with what it saw before. SQLite has one writer at a time.
  if (db.getExecutor().adapter instanceof PostgresAdapter)
    await sql`select r.id from reports r where ${which} order by r.id for update`.execute(db);
  await sql`delete from attrition_watch where report_id in (select r.id from reports r where ${which})`.execute(db);
  const successful = sql.join(SUCCESSFUL_OUTCOMES.map((o) => sql`${o}`));
  await sql`
    insert into attrition_watch (report_id, org_id, reference, person_id, submitted_at, last_contact_at, contact_since, updated_since, missed_appointment, contact_points_retired, engagement, wants_support, static_score, has_person)
    select report_id, org_id, reference, person_id, submitted_at, last_contact_at, coalesce(last_contact_at, submitted_at), updated_since, missed_appointment, contact_points_retired, engagement, wants_support,
      ${sql.lit(FLAG_WEIGHTS['missed-appointment'])} * missed_appointment + ${sql.lit(FLAG_WEIGHTS['contact-points-retired'])} * contact_points_retired + case when engagement = 'wavering' then ${sql.lit(FLAG_WEIGHTS.wavering)} else 0 end,
      case when person_id is null then 0 else 1 end
    from (
      select r.id as report_id, r.org_id, r.reference, r.person_id, r.submitted_at, ec.status as engagement, ec.wants_support,
        (select max(a.at) from contact_attempts a where a.org_id = r.org_id and a.person_id = r.person_id and a.outcome in (${successful})) as last_contact_at,
        -- An update to the person: a reply from the charity or a met Victims' Code duty; the report itself starts the clock.
        (select max(t) from (
          select r.submitted_at as t
          union all select m.sent_at from report_messages m where m.report_id = r.id and m.sender = 'support'
          union all select d.met_at from referrals rf join police_cases pc on pc.referral_id = rf.id join duties d on d.case_id = pc.id where rf.report_id = r.id and d.met_at is not null
        ) updates) as updated_since,
        -- A missed appointment counts until a later one of the same case is attended.
        case when exists (
          select 1 from referrals rf join police_cases pc on pc.referral_id = rf.id join appointments a on a.case_id = pc.id
          where rf.report_id = r.id and a.outcome = 'missed'
            and not exists (select 1 from appointments later where later.case_id = a.case_id and later.outcome = 'attended' and later.starts_at > a.starts_at)
        ) then 1 else 0 end as missed_appointment,
        case when r.person_id is not null
          and exists (select 1 from contact_points cp where cp.person_id = r.person_id and cp.retired_at is not null)
          and not exists (select 1 from contact_points cp where cp.person_id = r.person_id and cp.retired_at is null)
        then 1 else 0 end as contact_points_retired
      from reports r left join engagement_current ec on ec.report_id = r.id
      where ${which} and r.status <> 'closed'
        and not (coalesce(ec.status, '') = 'withdrawn' and coalesce(ec.wants_support, '') = 'no')
    ) watched
  `.execute(db);
}

function reportsIn(scope: WatchScope) {
  const list = (ids: string[]) => sql.join([...new Set(ids)].map((id) => sql`${id}`));
  if ('all' in scope) return sql`1 = 1`;
  if ('reports' in scope) return scope.reports.length ? sql`r.id in (${list(scope.reports)})` : null;
  if ('people' in scope) return scope.people.length ? sql`r.person_id in (${list(scope.people)})` : null;
  return scope.cases.length
    ? sql`r.id in (select rf.report_id from police_cases pc join referrals rf on rf.id = pc.referral_id where pc.id in (${list(scope.cases)}))`
    : null;
}
