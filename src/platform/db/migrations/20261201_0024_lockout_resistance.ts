import type { Kysely } from 'kysely';

// Guessing may be slowed or challenged, never turned into a lock-out of the people the codes and
// passwords belong to (features/sign-in/codeGuard.ts, signInService.ts):
// - code_tickets: while many wrong receipt or member codes arrive from everywhere, each attempt
//   needs a ticket: solved proof of work, or (without JavaScript) a short wait. A ticket is bound
//   to a keyed hash of the address, and is spent once (spent_at set by compare-and-set).
// - throttles.account_key: the keyed hash of the account a staff sign-in counter belongs to (never
//   the user id), so administrators can list and clear one person's locks.
// - users.failed_sign_ins*: failed attempts since the person last acknowledged them, told to them
//   after their next successful sign-in.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('code_tickets')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('address_key', 'text', (c) => c.notNull())
    .addColumn('not_before', 'timestamptz', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('spent_at', 'timestamptz')
    .execute();
  await db.schema
    .createIndex('code_tickets_address_idx')
    .on('code_tickets')
    .columns(['address_key', 'expires_at'])
    .execute();
  await db.schema.createIndex('code_tickets_expiry_idx').on('code_tickets').column('expires_at').execute();

  await db.schema.alterTable('throttles').addColumn('account_key', 'text').execute();
  await db.schema.createIndex('throttles_account_idx').on('throttles').column('account_key').execute();

  await db.schema
    .alterTable('users')
    .addColumn('failed_sign_ins', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('users').addColumn('failed_sign_in_first_at', 'timestamptz').execute();
  await db.schema.alterTable('users').addColumn('failed_sign_in_last_at', 'timestamptz').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  for (const column of ['failed_sign_in_last_at', 'failed_sign_in_first_at', 'failed_sign_ins']) {
    await db.schema.alterTable('users').dropColumn(column).execute();
  }
  await db.schema.dropIndex('throttles_account_idx').execute();
  await db.schema.alterTable('throttles').dropColumn('account_key').execute();
  await db.schema.dropTable('code_tickets').execute();
}
