import type { Kysely } from 'kysely';

// The hash of what was sent with an Idempotency-Key, kept beside the key's own
// hash, so a retry with a different body is refused instead of being answered
// with the first report. Reports sent before this have none, and their retries
// are answered as before.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('reports').addColumn('idempotency_body_hash', 'text').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('reports').dropColumn('idempotency_body_hash').execute();
}
