import type { Insertable, Kysely, Transaction } from 'kysely';
import type { DB, OfficerTrainingTable } from '../../platform/db/schema.ts';

type Executor = Kysely<DB> | Transaction<DB>;

/** SQL for officer training records. */
export const trainingRepository = {
  /** Police forces the support organisation works with: accepted partnerships only, never open requests. */
  partnerForces: (db: Executor, supportOrgId: string) =>
    db
      .selectFrom('partnerships')
      .innerJoin('organisations', 'organisations.id', 'partnerships.police_org_id')
      .select(['organisations.id', 'organisations.name', 'organisations.slug'])
      .where('partnerships.support_org_id', '=', supportOrgId)
      .where('partnerships.accepted_at', 'is not', null)
      .orderBy('organisations.name')
      .execute(),

  /** Active officers and supervisors of the given forces. */
  officersOf: (db: Executor, forceIds: string[]) =>
    forceIds.length
      ? db
          .selectFrom('users')
          .select(['id', 'org_id', 'role', 'email_enc', 'email_hmac'])
          .where('org_id', 'in', forceIds)
          .where('role', 'in', ['officer', 'supervisor'])
          .where('disabled_at', 'is', null)
          .execute()
      : Promise.resolve([]),

  /** The staff accounts among the ids, with their email index (training may be recorded against an email). */
  usersWithEmailIndex: (db: Executor, userIds: string[]) =>
    db.selectFrom('users').select(['id', 'email_hmac']).where('id', 'in', userIds).execute(),

  insert: (db: Executor, row: Insertable<OfficerTrainingTable>) =>
    db.insertInto('officer_training').values(row).execute(),

  /**
   * The support organisation's current records of forces it is in (accepted)
   * partnership with, latest training first: once either side ends the
   * partnership, the force's officers leave the charity's pages.
   */
  active: (db: Executor, supportOrgId: string) =>
    db
      .selectFrom('officer_training')
      .innerJoin('organisations', 'organisations.id', 'officer_training.police_org_id')
      .innerJoin('partnerships', (join) =>
        join
          .onRef('partnerships.police_org_id', '=', 'officer_training.police_org_id')
          .onRef('partnerships.support_org_id', '=', 'officer_training.support_org_id'),
      )
      .where('partnerships.accepted_at', 'is not', null)
      .selectAll('officer_training')
      .select('organisations.name as force_name')
      .where('officer_training.support_org_id', '=', supportOrgId)
      .where('officer_training.removed_at', 'is', null)
      .orderBy('officer_training.completed_on', 'desc')
      .orderBy('officer_training.recorded_at', 'desc')
      .execute(),

  activeOne: (db: Executor, supportOrgId: string, id: string) =>
    db
      .selectFrom('officer_training')
      .select(['id'])
      .where('id', '=', id)
      .where('support_org_id', '=', supportOrgId)
      .where('removed_at', 'is', null)
      .executeTakeFirst(),

  remove: (db: Executor, id: string, by: { kind: 'user' | 'token'; id: string }, at: string, reasonEnc: string) =>
    db
      .updateTable('officer_training')
      .set({ removed_at: at, removed_by_kind: by.kind, removed_by_id: by.id, removed_reason_enc: reasonEnc })
      .where('id', '=', id)
      .where('removed_at', 'is', null)
      .execute(),

  /** Current training of a force's officers, by account or by the email they were recorded with, with the training charity's name. */
  forOfficers: (db: Executor, policeOrgId: string, userIds: string[], emailIndexes: string[]) =>
    db
      .selectFrom('officer_training')
      .innerJoin('organisations', 'organisations.id', 'officer_training.support_org_id')
      .select([
        'officer_training.officer_user_id',
        'officer_training.officer_email_index',
        'officer_training.completed_on',
        'officer_training.module',
        'organisations.name as charity',
      ])
      .where('officer_training.police_org_id', '=', policeOrgId)
      .where('officer_training.removed_at', 'is', null)
      .where((eb) =>
        eb.or([
          eb('officer_training.officer_user_id', 'in', userIds.length ? userIds : ['']),
          eb('officer_training.officer_email_index', 'in', emailIndexes.length ? emailIndexes : ['']),
        ]),
      )
      .orderBy('officer_training.completed_on', 'desc')
      .execute(),
};
