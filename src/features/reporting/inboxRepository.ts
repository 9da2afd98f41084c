import { sql, type Kysely, type SelectQueryBuilder, type Transaction } from 'kysely';
import type { DB, ReportsTable, ReportTagsTable } from '../../platform/db/schema.ts';
import type { InboxFilter } from '../casework/index.ts';

type Executor = Kysely<DB> | Transaction<DB>;

/**
 * SQL for the staff inbox. Its index walk is tuned (figures in docs/benchmarks.md):
 * column filters narrow a walk of a reports_org_* index (migrations 0007, 0011),
 * newest first; a type, risk flag or given choice drives the walk from
 * report_tags instead, so a rare one reads only the reports that have it.
 */
export const inboxRepository = {
  /** One page of the organisation's reports, newest first, and one row more when there is a next page. */
  page: (db: Executor, orgId: string, page: number, pageSize: number, filter: InboxFilter) => {
    const wanted = [
      filter.flag && `flag:${filter.flag}`,
      filter.consent?.given && `consent:${filter.consent.scope}`,
      filter.type && `type:${filter.type}`,
    ].filter((t): t is string => Boolean(t));
    const [drive, ...also] = wanted;
    const base = db.selectFrom('reports');
    let query = (drive
      ? base
          .innerJoin('report_tags as t', (j) => j.onRef('t.report_id', '=', 'reports.id'))
          .where('t.org_id', '=', orgId)
          .where('t.tag', '=', drive)
      : base) as unknown as SelectQueryBuilder<DB & { t: ReportTagsTable }, 'reports' | 't', object>;
    query = query.where('reports.org_id', '=', orgId);
    const submittedAt = drive ? 't.submitted_at' : 'reports.submitted_at';
    if (filter.status) query = query.where('reports.status', '=', filter.status as ReportsTable['status']);
    if (filter.assigneeId === null) query = query.where('reports.assignee_id', 'is', null);
    else if (filter.assigneeId) query = query.where('reports.assignee_id', '=', filter.assigneeId);
    if (filter.reference) query = query.where('reports.reference', '=', filter.reference);
    // Dates are calendar days (UTC): from the start of `from` to the end of `to`.
    if (filter.from) query = query.where(submittedAt, '>=', `${filter.from}T00:00:00.000Z`);
    if (filter.to)
      query = query.where(
        submittedAt,
        '<',
        new Date(Date.parse(`${filter.to}T00:00:00.000Z`) + 86_400_000).toISOString(),
      );
    if (filter.area) query = query.where('reports.area', '=', filter.area);
    if (filter.source) query = query.where('reports.source', '=', filter.source as ReportsTable['source']);
    for (const tag of also)
      query = query.where(
        sql<boolean>`exists (select 1 from report_tags t2 where t2.report_id = reports.id and t2.tag = ${tag})`,
      );
    if (filter.consent && !filter.consent.given)
      query = query.where(
        sql<boolean>`not exists (select 1 from report_tags t2 where t2.report_id = reports.id and t2.tag = ${`consent:${filter.consent.scope}`})`,
      );
    return query
      .select([
        'reports.id',
        'reports.reference',
        'reports.status',
        'reports.source',
        'reports.incident_types',
        'reports.submitted_at',
        'reports.area',
        'reports.area_enc',
        'reports.priority',
        'reports.risk_flags',
        'reports.assignee_id',
        'reports.person_id',
        'reports.erased_at',
      ])
      .orderBy(submittedAt, 'desc')
      .orderBy(drive ? 't.report_id' : 'reports.id')
      .limit(pageSize + 1)
      .offset((page - 1) * pageSize)
      .execute();
  },
};
