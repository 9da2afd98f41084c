import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';

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
  wavering: 2,
  'no-update': 1,
} as const;
export type RiskFlag = keyof typeof FLAG_WEIGHTS;

export interface AtRiskRow {
  report_id: string;
  reference: string;
  person_id: string | null;
  submitted_at: string;
  last_contact_at: string | null;
  contact_since: string;
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
}

const BAIL_TYPES = sql`('bailed', 'bail-changed')`;

/**
 * One page of the at-risk list and how many cases are on it, from
 * `attrition_watch` (one narrow row per watched report, kept in step by
 * attritionWatch.ts), with the flags that depend on the clock measured now: no
 * successful contact since, no update since, and bail ending soon (the latest
 * bail event with an end date of each case, a small set found through
 * case_timeline_events (bail_end_date, case_id)).
 *
 * Reading is planned around the data's shape, so it does not score every row.
 * Most rows carry no stored flag (missed appointment, contact points retired,
 * wavering) and no bail ending; their flags can only be "no contact" and "no
 * update" together, "no contact" alone or "no update" alone. Within each of those
 * groups every row has the same score, so the list's order is "longest since
 * contact, then reference", the order of attrition_watch_order_idx: a walk of the
 * index that stops after `offset + limit` rows finds every row of the group that
 * can reach the page. The rest (a stored flag, or bail ending) are few and scored
 * in full. The count is every watched row less those with no flag at all, which
 * are recently updated, read from attrition_watch_updated_idx alone.
 * atRiskOrder.test.ts checks all this against scoring every row.
 */
export async function atRiskRows(
  db: Kysely<DB>,
  orgId: string,
  at: RiskCutoffs,
  page: { limit: number; offset: number },
): Promise<{ rows: AtRiskRow[]; total: number }> {
  const bail = sql`bail as (
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
    )`;
  const noContact = sql`w.has_person = 1 and w.contact_since <= ${at.noContactSince}`;
  const noUpdate = sql`w.updated_since <= ${at.noUpdateSince}`;
  const inBail = sql`w.report_id in (select report_id from bail)`;
  // What ordering needs, all in attrition_watch_order_idx, so the walks never touch the table.
  const key = sql`w.report_id, w.static_score, w.has_person, w.contact_since, w.updated_since, w.reference`;
  // The first `offset + limit` rows, in the list's order, of those with no stored flag and no bail ending that meet `when`.
  const firstOf = (when: RawBuilder<unknown>) => sql`
    select * from (
      select ${key} from attrition_watch w
      where w.org_id = ${orgId} and w.static_score = 0 and ${when} and not (${inBail})
      order by w.contact_since, w.reference
      limit ${page.offset + page.limit}
    ) group_page`;
  const weight = (flag: RiskFlag) => sql.lit(FLAG_WEIGHTS[flag]);
  // Each watched row is in at most one of the candidate sets, so they are joined without looking for repeats;
  // only the page's rows are read from the table.
  const rows = await sql<AtRiskRow>`
    with ${bail},
    candidates as (
      select ${key} from attrition_watch w where w.org_id = ${orgId} and w.static_score > 0
      union all select ${key} from attrition_watch w where w.org_id = ${orgId} and w.static_score = 0 and ${inBail}
      union all ${firstOf(sql`w.has_person = 1 and w.contact_since <= ${at.noContactSince} and w.updated_since <= ${at.noUpdateSince}`)}
      union all ${firstOf(sql`w.has_person = 1 and w.contact_since <= ${at.noContactSince} and w.updated_since > ${at.noUpdateSince}`)}
      union all ${firstOf(sql`w.has_person = 1 and w.contact_since > ${at.noContactSince} and w.updated_since <= ${at.noUpdateSince}`)}
      union all ${firstOf(sql`w.has_person = 0 and w.updated_since <= ${at.noUpdateSince}`)}
    ),
    scored as (
      select w.report_id, w.contact_since, w.reference,
        w.static_score
          + case when ${inBail} then ${weight('bail-ending')} else 0 end
          + case when ${noContact} then ${weight('no-contact')} else 0 end
          + case when ${noUpdate} then ${weight('no-update')} else 0 end as score
      from candidates w
    ),
    page as (
      select * from scored where score > 0
      order by score desc, contact_since asc, reference asc
      limit ${page.limit} offset ${page.offset}
    )
    select w.report_id, w.reference, w.person_id, w.submitted_at, w.last_contact_at, w.contact_since, w.engagement, w.wants_support, b.bail_end_date,
      w.missed_appointment, w.contact_points_retired,
      case when b.bail_end_date is not null then 1 else 0 end as bail_ending,
      case when ${noContact} then 1 else 0 end as no_contact,
      case when w.engagement = 'wavering' then 1 else 0 end as wavering,
      case when ${noUpdate} then 1 else 0 end as no_update,
      p.score
    from page p
      join attrition_watch w on w.report_id = p.report_id
      left join bail b on b.report_id = w.report_id
    order by p.score desc, p.contact_since asc, p.reference asc
  `.execute(db);
  const counted = await sql<{ total: number | string }>`
    with ${bail}
    select (select count(*) from attrition_watch where org_id = ${orgId})
      - (select count(*) from attrition_watch w
         where w.org_id = ${orgId} and w.static_score = 0 and w.updated_since > ${at.noUpdateSince}
           and not (${noContact}) and not (${inBail})) as total
  `.execute(db);
  return { rows: rows.rows.map((r) => ({ ...r, score: Number(r.score) })), total: Number(counted.rows[0]?.total ?? 0) };
}
