import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import { stateFrom } from '../consent/index.ts';
import { reportTagRepository as repo } from './reportTagRepository.ts';

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
  const report = await repo.report(db, reportId);
  const consents = stateFrom(await repo.consentDecisions(db, reportId));
  const tags = [
    ...(JSON.parse(report.incident_types) as string[]).map((t) => `type:${t}`),
    ...(JSON.parse(report.risk_flags) as string[]).map((f) => `flag:${f}`),
    ...Object.entries(consents)
      .filter(([, given]) => given)
      .map(([scope]) => `consent:${scope}`),
  ];
  await repo.deleteFor(db, reportId);
  if (tags.length) {
    await repo.insert(
      db,
      [...new Set(tags)].map((tag) => ({
        report_id: reportId,
        org_id: report.org_id,
        tag,
        submitted_at: report.submitted_at,
      })),
    );
  }
}
