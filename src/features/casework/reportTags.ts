import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import { stateFrom } from '../consent/index.ts';

type Executor = Kysely<DB> | Transaction<DB>;

/**
 * The inbox's index of what a report is about: `type:<incident type>`,
 * `flag:<risk flag>` and `consent:<scope>` (a choice given now), each with the
 * report's organisation and submitted time, indexed (org_id, tag,
 * submitted_at). A filter on a rare type, flag or choice then walks only the
 * reports that have it, newest first, instead of every report in the
 * organisation. Derived data: rebuilt from the report and the consent ledger
 * inside the transaction that changes either.
 */
export async function syncReportTags(db: Executor, reportId: string): Promise<void> {
  const report = await db
    .selectFrom('reports')
    .select(['org_id', 'submitted_at', 'incident_types', 'risk_flags'])
    .where('id', '=', reportId)
    .executeTakeFirstOrThrow();
  const consents = stateFrom(
    await db
      .selectFrom('consent_entries')
      .select(['scope', 'decision'])
      .where('report_id', '=', reportId)
      .orderBy('recorded_at')
      .orderBy('id')
      .execute(),
  );
  const tags = [
    ...(JSON.parse(report.incident_types) as string[]).map((t) => `type:${t}`),
    ...(JSON.parse(report.risk_flags) as string[]).map((f) => `flag:${f}`),
    ...Object.entries(consents)
      .filter(([, given]) => given)
      .map(([scope]) => `consent:${scope}`),
  ];
  await db.deleteFrom('report_tags').where('report_id', '=', reportId).execute();
  if (tags.length) {
    await db
      .insertInto('report_tags')
      .values(
        [...new Set(tags)].map((tag) => ({
          report_id: reportId,
          org_id: report.org_id,
          tag,
          submitted_at: report.submitted_at,
        })),
      )
      .execute();
  }
}
