import { sql, type Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import { SUCCESSFUL_OUTCOMES } from '../people/schemas.ts';

/** The moments the flags are measured against (ISO timestamps and YYYY-MM-DD dates, from the injected clock). */
export interface RiskCutoffs {
  /** Now minus 14 days: no successful contact since (or at) this moment. */
  noContactSince: string;
  /** Now minus 28 days: no reply to the person and no met duty since (or at) this moment. */
  noUpdateSince: string;
  /** Today and today plus 7 days: bail ending between them, inclusive. */
  today: string;
  bailWindowEnd: string;
}

/** What each flag weighs in the ordering (heaviest first); see atRisk.ts for the words. */
export const FLAG_WEIGHTS = {
  'missed-appointment': 3,
  'contact-points-retired': 3,
  'bail-ending': 3,
  'no-contact': 2,
  'wavering': 2,
  'no-update': 1,
} as const;
export type RiskFlag = keyof typeof FLAG_WEIGHTS;

/** The result column holding each flag (0 or 1). */
const FLAG_COLUMNS: Record<RiskFlag, string> = {
  'missed-appointment': 'missed_appointment',
  'contact-points-retired': 'contact_points_retired',
  'bail-ending': 'bail_ending',
  'no-contact': 'no_contact',
  'wavering': 'wavering',
  'no-update': 'no_update',
};

export interface AtRiskRow {
  report_id: string;
  reference: string;
  person_id: string | null;
  submitted_at: string;
  last_contact_at: string | null;
  engagement: string | null;
  wants_support: string | null;
  missed_appointment: number;
  contact_points_retired: number;
  bail_ending: number;
  bail_end_date: string | null;
  no_contact: number;
  wavering: number;
  no_update: number;
  score: number;
  total: number;
}

const BAIL_TYPES = sql`('bailed', 'bail-changed')`;

/**
 * The at-risk list in one statement, flags computed now from the data and never
 * stored. Each positive flag is a small set found through an index (recent
 * replies and met duties, retired contact points, bail ending soon, missed
 * appointments, unless a later one of the case was attended), gathered into one
 * set keyed by report (`facts`), so each open report costs two look-ups;
 * "no successful contact" needs each person's last successful attempt, one grouped scan of the organisation's successful attempts
 * (contact_attempts_org_person_idx). Open reports only (not closed); withdrawn
 * cases whose person does not want support are left out.
 */
export async function atRiskRows(db: Kysely<DB>, orgId: string, at: RiskCutoffs, page: { limit: number; offset: number }): Promise<AtRiskRow[]> {
  const successful = sql.join(SUCCESSFUL_OUTCOMES.map((o) => sql`${o}`));
  const score = sql.raw(Object.entries(FLAG_WEIGHTS).map(([flag, weight]) => `${weight} * ${FLAG_COLUMNS[flag as RiskFlag]}`).join(' + '));
  const result = await sql<AtRiskRow>`
    with last_contact as (
      select person_id, max(at) as last_at from contact_attempts
      where org_id = ${orgId} and outcome in (${successful})
      group by person_id
    ),
    retired as (
      select distinct cp.person_id from contact_points cp
      where cp.org_id = ${orgId} and cp.retired_at is not null
        and not exists (select 1 from contact_points live where live.person_id = cp.person_id and live.retired_at is null)
    ),
    bail as (
      select rf.report_id, max(e.bail_end_date) as bail_end_date from case_timeline_events e
        join police_cases pc on pc.id = e.case_id
        join referrals rf on rf.id = pc.referral_id
      where e.bail_end_date >= ${at.today} and e.bail_end_date <= ${at.bailWindowEnd}
        and e.type in ${BAIL_TYPES} and rf.support_org_id = ${orgId}
        and not exists (
          select 1 from case_timeline_events later
          where later.case_id = e.case_id and later.type in ${BAIL_TYPES} and later.bail_end_date is not null
            and (later.occurred_at > e.occurred_at or (later.occurred_at = e.occurred_at and later.recorded_at > e.recorded_at))
        )
      group by rf.report_id
    ),
    -- Every small, positive fact per report in one keyed set, so each open report costs two look-ups (this and its person's last contact).
    facts as (
      select report_id, max(missed) as missed, max(retired) as retired, max(bail_end_date) as bail_end_date, max(updated) as updated,
        max(engagement) as engagement, max(wants_support) as wants_support
      from (
        select rf.report_id, 1 as missed, 0 as retired, null as bail_end_date, 0 as updated, null as engagement, null as wants_support
        from appointments a
          join police_cases pc on pc.id = a.case_id
          join referrals rf on rf.id = pc.referral_id
        where a.support_org_id = ${orgId} and a.outcome = 'missed'
          and not exists (select 1 from appointments later where later.case_id = a.case_id and later.outcome = 'attended' and later.starts_at > a.starts_at)
        union all
        select rp.id, 0, 1, null, 0, null, null from retired join reports rp on rp.person_id = retired.person_id where rp.org_id = ${orgId}
        union all
        select report_id, 0, 0, bail_end_date, 0, null, null from bail
        union all
        select m.report_id, 0, 0, null, 1, null, null from report_messages m where m.sender = 'support' and m.sent_at > ${at.noUpdateSince}
        union all
        select rf.report_id, 0, 0, null, 1, null, null from duties d
          join police_cases pc on pc.id = d.case_id
          join referrals rf on rf.id = pc.referral_id
        where d.support_org_id = ${orgId} and d.met_at > ${at.noUpdateSince}
        union all
        select ec.report_id, 0, 0, null, 0, ec.status, ec.wants_support from engagement_current ec where ec.org_id = ${orgId}
      ) known
      group by report_id
    ),
    base as materialized (
      select r.id as report_id, r.reference, r.person_id, r.submitted_at, lc.last_at as last_contact_at,
        f.engagement, f.wants_support, f.bail_end_date,
        coalesce(f.missed, 0) as missed_appointment,
        coalesce(f.retired, 0) as contact_points_retired,
        case when f.bail_end_date is not null then 1 else 0 end as bail_ending,
        case when r.person_id is not null and coalesce(lc.last_at, r.submitted_at) <= ${at.noContactSince} then 1 else 0 end as no_contact,
        case when f.engagement = 'wavering' then 1 else 0 end as wavering,
        case when r.submitted_at <= ${at.noUpdateSince} and coalesce(f.updated, 0) = 0 then 1 else 0 end as no_update
      from reports r
        left join facts f on f.report_id = r.id
        left join last_contact lc on lc.person_id = r.person_id
      where r.org_id = ${orgId} and r.status <> 'closed'
        and not (coalesce(f.engagement, '') = 'withdrawn' and coalesce(f.wants_support, '') = 'no')
    ),
    scored as (
      select base.*, ${score} as score from base
    )
    select scored.*, count(*) over () as total from scored
    where score > 0
    order by score desc, coalesce(last_contact_at, submitted_at) asc, reference asc
    limit ${page.limit} offset ${page.offset}
  `.execute(db);
  return result.rows.map((r) => ({ ...r, score: Number(r.score), total: Number(r.total) }));
}
