import type { Insertable, Kysely, Transaction } from 'kysely';
import type { DB, MemberJoinMode, MembersTable } from '../../platform/db/schema.ts';

type Executor = Kysely<DB> | Transaction<DB>;

/** SQL for members, their sessions and the organisation's member settings. */
export const memberRepository = {
  insert(db: Executor, row: Insertable<MembersTable>) {
    return db.insertInto('members').values(row).execute();
  },

  byLookup(db: Executor, codeLookup: string) {
    return db.selectFrom('members').selectAll().where('code_lookup', '=', codeLookup).executeTakeFirst();
  },

  byId(db: Executor, id: string) {
    return db.selectFrom('members').selectAll().where('id', '=', id).executeTakeFirst();
  },

  byEmailIndex(db: Executor, orgId: string, emailIndex: string) {
    return db
      .selectFrom('members')
      .select('id')
      .where('org_id', '=', orgId)
      .where('email_index', '=', emailIndex)
      .executeTakeFirst();
  },

  /** Newest first, for the staff list (no codes: they are never stored). */
  listForOrg(db: Executor, orgId: string, limit: number) {
    return db
      .selectFrom('members')
      .select(['id', 'name_enc', 'source', 'joined_at', 'alerts_from', 'approved_at', 'suspended_at'])
      .where('org_id', '=', orgId)
      .orderBy('joined_at', 'desc')
      .orderBy('id')
      .limit(limit)
      .execute();
  },

  countForOrg(db: Executor, orgId: string) {
    return db
      .selectFrom('members')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('org_id', '=', orgId)
      .executeTakeFirstOrThrow();
  },

  /** Join requests waiting for approval (not suspended). */
  countWaiting(db: Executor, orgId: string) {
    return db
      .selectFrom('members')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('org_id', '=', orgId)
      .where('approved_at', 'is', null)
      .where('suspended_at', 'is', null)
      .executeTakeFirstOrThrow();
  },

  /** Members of the organisation who want email alerts. */
  alertRecipients(db: Executor, orgId: string) {
    return db
      .selectFrom('members')
      .select(['id', 'alert_areas_enc', 'email_index'])
      .where('org_id', '=', orgId)
      .where('alerts_from', 'is not', null)
      .where('email_enc', 'is not', null)
      .where('approved_at', 'is not', null)
      .where('suspended_at', 'is', null)
      .orderBy('joined_at')
      .orderBy('id')
      .execute();
  },

  setAlerts(
    db: Executor,
    id: string,
    values: {
      email_enc: string | null;
      email_index: string | null;
      alert_areas_enc: string | null;
      alerts_from: string | null;
    },
  ) {
    return db.updateTable('members').set(values).where('id', '=', id).execute();
  },

  async remove(db: Executor, id: string) {
    await db.deleteFrom('member_sessions').where('member_id', '=', id).execute();
    await db.deleteFrom('alert_outbox').where('member_id', '=', id).execute();
    await db.deleteFrom('members').where('id', '=', id).execute();
  },

  /** Notes that the code signed in, at most once a day (the retention schedule removes codes left unused). */
  markActive(db: Executor, id: string, at: string, dayAgo: string) {
    return db
      .updateTable('members')
      .set({ last_active_at: at })
      .where('id', '=', id)
      .where((eb) => eb.or([eb('last_active_at', 'is', null), eb('last_active_at', '<', dayAgo)]))
      .execute();
  },

  insertSession(db: Executor, row: { id_hash: string; member_id: string; last_seen_at: string; created_at: string }) {
    return db.insertInto('member_sessions').values(row).execute();
  },

  session(db: Executor, idHash: string) {
    return db
      .selectFrom('member_sessions')
      .innerJoin('members', 'members.id', 'member_sessions.member_id')
      .select([
        'member_sessions.member_id',
        'member_sessions.last_seen_at',
        'members.org_id',
        'members.approved_at',
        'members.suspended_at',
      ])
      .where('member_sessions.id_hash', '=', idHash)
      .executeTakeFirst();
  },

  touchSession(db: Executor, idHash: string, at: string) {
    return db.updateTable('member_sessions').set({ last_seen_at: at }).where('id_hash', '=', idHash).execute();
  },

  deleteSession(db: Executor, idHash: string) {
    return db.deleteFrom('member_sessions').where('id_hash', '=', idHash).execute();
  },

  async warningsPublic(db: Executor, orgId: string): Promise<boolean> {
    const row = await db
      .selectFrom('member_settings')
      .select('warnings_public')
      .where('org_id', '=', orgId)
      .executeTakeFirst();
    return Number(row?.warnings_public ?? 0) === 1;
  },

  async setWarningsPublic(db: Executor, orgId: string, value: boolean, at: string) {
    const flag = value ? 1 : 0;
    await db
      .insertInto('member_settings')
      .values({ org_id: orgId, warnings_public: flag, updated_at: at })
      .onConflict((oc) => oc.column('org_id').doUpdateSet({ warnings_public: flag, updated_at: at }))
      .execute();
  },

  async joinMode(db: Executor, orgId: string): Promise<MemberJoinMode> {
    const row = await db
      .selectFrom('member_settings')
      .select('join_mode')
      .where('org_id', '=', orgId)
      .executeTakeFirst();
    return row?.join_mode ?? 'open';
  },

  async setJoinMode(db: Executor, orgId: string, mode: MemberJoinMode, at: string) {
    await db
      .insertInto('member_settings')
      .values({ org_id: orgId, warnings_public: 0, join_mode: mode, updated_at: at })
      .onConflict((oc) => oc.column('org_id').doUpdateSet({ join_mode: mode, updated_at: at }))
      .execute();
  },

  byIdInOrg(db: Executor, orgId: string, id: string) {
    return db.selectFrom('members').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
  },

  /** A waiting join request starts working; 0 when it was not waiting (approved already, or suspended). */
  async approve(db: Executor, id: string, at: string, by: string): Promise<number> {
    const result = await db
      .updateTable('members')
      .set({ approved_at: at, approved_by: by })
      .where('id', '=', id)
      .where('approved_at', 'is', null)
      .where('suspended_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  },

  /** Suspends a member and ends their sessions and waiting alerts; 0 when already suspended. */
  async suspend(db: Transaction<DB>, id: string, at: string, by: string): Promise<number> {
    const result = await db
      .updateTable('members')
      .set({ suspended_at: at, suspended_by: by })
      .where('id', '=', id)
      .where('suspended_at', 'is', null)
      .executeTakeFirst();
    await db.deleteFrom('member_sessions').where('member_id', '=', id).execute();
    await db.deleteFrom('alert_outbox').where('member_id', '=', id).where('sent_at', 'is', null).execute();
    return Number(result.numUpdatedRows);
  },

  /** Deletes the member's alert emails not yet sent. */
  dropWaitingAlerts(db: Executor, id: string) {
    return db.deleteFrom('alert_outbox').where('member_id', '=', id).where('sent_at', 'is', null).execute();
  },

  async restore(db: Executor, id: string): Promise<number> {
    const result = await db
      .updateTable('members')
      .set({ suspended_at: null, suspended_by: null })
      .where('id', '=', id)
      .where('suspended_at', 'is not', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  },
};
