import type { Kysely, Transaction } from 'kysely';
import type { DB, InvitationsTable, UsersTable } from '../../platform/db/schema.ts';

type Executor = Kysely<DB> | Transaction<DB>;

export const staffRepository = {
  insertUser(db: Executor, user: UsersTable) {
    return db.insertInto('users').values(user).execute();
  },
  findUserByEmailHmac(db: Executor, emailHmac: string) {
    return db.selectFrom('users').selectAll().where('email_hmac', '=', emailHmac).executeTakeFirst();
  },
  findUser(db: Executor, id: string) {
    return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  },
  listUsers(db: Executor, orgId: string) {
    return db.selectFrom('users').selectAll().where('org_id', '=', orgId).orderBy('created_at').execute();
  },
  updateUser(db: Executor, id: string, changes: Partial<Omit<UsersTable, 'id'>>) {
    return db.updateTable('users').set(changes).where('id', '=', id).execute();
  },
  /**
   * Records a used two-factor step only if no one recorded this step or a later one since
   * `seenStep` was read (compare-and-set), so two requests racing with one code cannot both
   * succeed. True for the one request that wrote it.
   */
  async claimTotpStep(db: Executor, id: string, seenStep: number | null, step: number): Promise<boolean> {
    const result = await db
      .updateTable('users')
      .set({ totp_last_step: step })
      .where('id', '=', id)
      .where((eb) => (seenStep === null ? eb('totp_last_step', 'is', null) : eb('totp_last_step', '=', seenStep)))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  },
  /** One more failed sign-in for the notice the person sees after their next successful one. */
  recordFailedSignIn(db: Executor, id: string, at: string) {
    return db
      .updateTable('users')
      .set((eb) => ({
        failed_sign_ins: eb('failed_sign_ins', '+', 1),
        failed_sign_in_first_at: eb.fn.coalesce('failed_sign_in_first_at', eb.val(at)),
        failed_sign_in_last_at: at,
      }))
      .where('id', '=', id)
      .execute();
  },
  resetFailedSignIns(db: Executor, id: string) {
    return db
      .updateTable('users')
      .set({ failed_sign_ins: 0, failed_sign_in_first_at: null, failed_sign_in_last_at: null })
      .where('id', '=', id)
      .execute();
  },
  countActiveAdmins(db: Executor) {
    return db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('role', '=', 'admin')
      .where('disabled_at', 'is', null)
      .where('totp_enrolled_at', 'is not', null)
      .executeTakeFirstOrThrow();
  },
  replaceRecoveryCodes(db: Executor, userId: string, rows: { id: string; code_hash: string }[]) {
    return db.transaction().execute(async (trx) => {
      await trx.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
      if (rows.length)
        await trx
          .insertInto('recovery_codes')
          .values(rows.map((r) => ({ ...r, user_id: userId, used_at: null })))
          .execute();
    });
  },
  unusedRecoveryCodes(db: Executor, userId: string) {
    return db
      .selectFrom('recovery_codes')
      .selectAll()
      .where('user_id', '=', userId)
      .where('used_at', 'is', null)
      .execute();
  },
  /** Marks a recovery code used; false when another request used it first. */
  async useRecoveryCode(db: Executor, id: string, at: string): Promise<boolean> {
    const result = await db
      .updateTable('recovery_codes')
      .set({ used_at: at })
      .where('id', '=', id)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  },
  deleteRecoveryCodes(db: Executor, userId: string) {
    return db.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
  },
  /** Forgets invitations never accepted that expired or were cancelled before `before` (each holds an email address). */
  async deleteLapsedInvitations(db: Executor, before: string): Promise<number> {
    const result = await db
      .deleteFrom('invitations')
      .where('accepted_at', 'is', null)
      .where((eb) => eb.or([eb('expires_at', '<', before), eb('revoked_at', '<', before)]))
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  },
  insertInvitation(db: Executor, invitation: InvitationsTable) {
    return db.insertInto('invitations').values(invitation).execute();
  },
  findInvitationByTokenHash(db: Executor, tokenHash: string) {
    return db.selectFrom('invitations').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
  },
  pendingInvitations(db: Executor, orgId: string, now: string) {
    return db
      .selectFrom('invitations')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('accepted_at', 'is', null)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', now)
      .orderBy('created_at', 'desc')
      .execute();
  },
  /** Claims an invitation for acceptance; false if it was used, revoked or expired meanwhile. */
  async claimInvitation(db: Executor, id: string, now: string): Promise<boolean> {
    const result = await db
      .updateTable('invitations')
      .set({ accepted_at: now })
      .where('id', '=', id)
      .where('accepted_at', 'is', null)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  },
  revokeInvitation(db: Executor, id: string, orgId: string, now: string) {
    return db
      .updateTable('invitations')
      .set({ revoked_at: now })
      .where('id', '=', id)
      .where('org_id', '=', orgId)
      .where('accepted_at', 'is', null)
      .executeTakeFirst();
  },
};
