import { sql, type Kysely } from 'kysely';

// A partnership is a request from the support organisation until the police
// force's administrator accepts it: until then no referral can be sent and
// the charity sees none of the force's officers. `accepted_at` says when it
// was accepted (null: still a request), and by whom.
//
// Partnerships made before this existed: those an operator made on the
// command line (audited as `partnership.added` by the command line or the
// system) stay accepted; those a charity made for itself on its admin page
// become requests the force must now accept, since nothing checked them.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('partnerships').addColumn('accepted_at', 'timestamptz').execute();
  await db.schema.alterTable('partnerships').addColumn('accepted_by_kind', 'text').execute();
  await db.schema.alterTable('partnerships').addColumn('accepted_by_id', 'text').execute();
  await db
    .updateTable('partnerships')
    .set({ accepted_at: sql.ref('created_at'), accepted_by_kind: 'cli' })
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('audit_entries')
          .select('seq')
          .where('action', '=', 'partnership.added')
          .where('actor_kind', 'in', ['cli', 'system'])
          .whereRef('audit_entries.org_id', '=', 'partnerships.support_org_id')
          .whereRef('audit_entries.target_id', '=', 'partnerships.police_org_id'),
      ),
    )
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  for (const column of ['accepted_by_id', 'accepted_by_kind', 'accepted_at'])
    await db.schema.alterTable('partnerships').dropColumn(column).execute();
}
