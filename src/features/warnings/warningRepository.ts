import type { Insertable, Kysely, Transaction } from 'kysely';
import type { DB, WarningEventsTable, WarningIdentifiersTable, WarningsTable } from '../../platform/db/schema.ts';

type Executor = Kysely<DB> | Transaction<DB>;

export interface ListFilter {
  area?: string;
  type?: string;
}

/** All SQL for warnings. Every read is scoped by organisation. */
export const warningRepository = {
  async insert(
    trx: Transaction<DB>,
    row: Insertable<WarningsTable>,
    reportIds: string[],
    identifiers: Insertable<WarningIdentifiersTable>[],
  ): Promise<void> {
    await trx.insertInto('warnings').values(row).execute();
    await trx
      .insertInto('warning_reports')
      .values(reportIds.map((report_id) => ({ warning_id: row.id, report_id })))
      .execute();
    if (identifiers.length) await trx.insertInto('warning_identifiers').values(identifiers).execute();
  },

  async addEvent(trx: Transaction<DB>, event: Insertable<WarningEventsTable>): Promise<void> {
    await trx.insertInto('warning_events').values(event).execute();
  },

  find(db: Executor, orgId: string, id: string) {
    return db.selectFrom('warnings').selectAll().where('id', '=', id).where('org_id', '=', orgId).executeTakeFirst();
  },

  /** Every warning of the organisation (drafts, published, ended), newest first. */
  all(db: Executor, orgId: string, limit = 500) {
    return db
      .selectFrom('warnings')
      .selectAll()
      .where('org_id', '=', orgId)
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .limit(limit)
      .execute();
  },

  /** Published, not withdrawn, not expired at `now`; newest first. */
  active(db: Executor, orgId: string, now: string, filter: ListFilter = {}) {
    let query = db
      .selectFrom('warnings')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('status', '=', 'published')
      .where('expires_at', '>', now);
    if (filter.area) query = query.where('area', '=', filter.area);
    if (filter.type) query = query.where('type', '=', filter.type);
    return query.orderBy('published_at', 'desc').orderBy('id').execute();
  },

  reportsOf(db: Executor, warningId: string) {
    return db
      .selectFrom('warning_reports')
      .innerJoin('reports', 'reports.id', 'warning_reports.report_id')
      .select(['reports.id', 'reports.reference'])
      .where('warning_reports.warning_id', '=', warningId)
      .orderBy('reports.reference')
      .execute();
  },

  /** An erased report is not found: a warning cannot be made from what is no longer held. */
  reportsByReference(db: Executor, orgId: string, references: string[]) {
    return db
      .selectFrom('reports')
      .select(['id', 'reference'])
      .where('org_id', '=', orgId)
      .where('reference', 'in', references)
      .where('erased_at', 'is', null)
      .execute();
  },

  events(db: Executor, warningId: string) {
    return db
      .selectFrom('warning_events')
      .selectAll()
      .where('warning_id', '=', warningId)
      .orderBy('at')
      .orderBy('id')
      .execute();
  },

  /** Draft → published; 0 when it was no longer a draft (someone else got there first). */
  async publish(
    trx: Transaction<DB>,
    id: string,
    values: { approved_by_kind: 'user' | 'token'; approved_by_id: string; published_at: string; expires_at: string },
  ): Promise<number> {
    const result = await trx
      .updateTable('warnings')
      .set({ status: 'published', ...values })
      .where('id', '=', id)
      .where('status', '=', 'draft')
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  },

  async withdraw(
    trx: Transaction<DB>,
    id: string,
    values: {
      withdrawn_at: string;
      withdrawn_by_kind: 'user' | 'token';
      withdrawn_by_id: string;
      withdrawn_reason_enc: string;
    },
  ): Promise<number> {
    const result = await trx
      .updateTable('warnings')
      .set({ status: 'withdrawn', ...values })
      .where('id', '=', id)
      .where('status', 'in', ['draft', 'published'])
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  },

  /** The registration masks in use in the organisation (a handful: exact ones are all '0'). */
  async registrationMasks(db: Executor, orgId: string): Promise<string[]> {
    const rows = await db
      .selectFrom('warning_identifiers')
      .select('mask')
      .distinct()
      .where('org_id', '=', orgId)
      .where('kind', '=', 'registration')
      .execute();
    return rows.map((r) => r.mask).filter((m): m is string => !!m);
  },

  /** Active warnings holding any of these digests, newest first. */
  matching(db: Executor, orgId: string, kind: 'phone' | 'registration', lookups: string[], now: string) {
    if (!lookups.length) return Promise.resolve([]);
    return db
      .selectFrom('warnings')
      .select(['warnings.id', 'warnings.title_enc', 'warnings.published_at'])
      .where('warnings.org_id', '=', orgId)
      .where('warnings.status', '=', 'published')
      .where('warnings.expires_at', '>', now)
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom('warning_identifiers as i')
            .select('i.id')
            .whereRef('i.warning_id', '=', 'warnings.id')
            .where('i.org_id', '=', orgId)
            .where('i.kind', '=', kind)
            .where('i.lookup', 'in', lookups),
        ),
      )
      .orderBy('warnings.published_at', 'desc')
      .orderBy('warnings.id')
      .execute();
  },

  /**
   * Active warnings naming a registration of this length, with their encrypted
   * identifiers: for a partial check, which must be compared in the clear.
   */
  withRegistrationsOfLength(db: Executor, orgId: string, length: number, now: string) {
    return db
      .selectFrom('warnings')
      .select(['warnings.id', 'warnings.title_enc', 'warnings.published_at', 'warnings.perpetrator_enc'])
      .where('warnings.org_id', '=', orgId)
      .where('warnings.status', '=', 'published')
      .where('warnings.expires_at', '>', now)
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom('warning_identifiers as i')
            .select('i.id')
            .whereRef('i.warning_id', '=', 'warnings.id')
            .where('i.org_id', '=', orgId)
            .where('i.kind', '=', 'registration')
            .where((inner) => inner(inner.fn<number>('length', ['i.mask']), '=', length)),
        ),
      )
      .execute();
  },
};
