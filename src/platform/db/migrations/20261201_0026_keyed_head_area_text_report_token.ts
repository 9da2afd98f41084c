import type { Kysely } from 'kysely';

// Two protections that need the master key, which migrations never see, and
// who recorded an assisted report through the API:
//
// - `audit_head.head_mac`: an HMAC of the head's seq and hash, so cutting the
//   newest audit entries and rewriting the head is noticed. An existing trail
//   is marked 'unkeyed' until the server starts (AuditTrail.keyHead), which
//   keys it once, with an entry saying so; a fresh one is keyed by its first entry.
// - `reports.area_enc`, `warnings.area_enc`: where an attack happened, typed
//   as free text, encrypted; `area` keeps only one of the organisation's
//   configured areas (the inbox filters on those). Existing free text is moved
//   across once, after the key is loaded: the fill named `area_text` in
//   `derived_data_pending` (src/derivedData.ts).
// - `reports.recorded_by_token`: the staff API token that recorded an assisted
//   report (`recorded_by` stays for members of staff), as consent entries do.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('audit_head').addColumn('head_mac', 'text').execute();
  await db.updateTable('audit_head').set({ head_mac: 'unkeyed' }).where('seq', '>', 0).execute();
  await db.schema.alterTable('reports').addColumn('area_enc', 'text').execute();
  await db.schema.alterTable('warnings').addColumn('area_enc', 'text').execute();
  await db.insertInto('derived_data_pending').values({ name: 'area_text' }).execute();
  await db.schema
    .alterTable('reports')
    .addColumn('recorded_by_token', 'text', (c) => c.references('api_tokens.id'))
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('reports').dropColumn('recorded_by_token').execute();
  await db.deleteFrom('derived_data_pending').where('name', '=', 'area_text').execute();
  await db.schema.alterTable('warnings').dropColumn('area_enc').execute();
  await db.schema.alterTable('reports').dropColumn('area_enc').execute();
  await db.schema.alterTable('audit_head').dropColumn('head_mac').execute();
}
