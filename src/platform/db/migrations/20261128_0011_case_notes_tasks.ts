import { sql, type Kysely } from 'kysely';

// Casework: internal notes and tasks on a case, actors that may be API tokens,
// and the indexes (and report_tags) that keep the filtered inbox fast at 100,000 reports.
//
// Who did something is two columns, actor_kind ('user' | 'token') and
// actor_id. case_events.actor_id referenced users, which a token id cannot
// satisfy, so case_events is rebuilt without that foreign key (portable: new
// table, copy, drop, rename). Consent entries keep recorded_by → users and gain
// recorded_by_token → api_tokens, so the append-only ledger is not rewritten.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('case_events_next')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('report_id', 'text', (c) => c.notNull().references('reports.id'))
    .addColumn('actor_kind', 'text', (c) => c.notNull().defaultTo('user'))
    .addColumn('actor_id', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('detail_enc', 'text', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .execute();
  await sql`insert into case_events_next (id, report_id, actor_kind, actor_id, kind, detail_enc, at) select id, report_id, 'user', actor_id, kind, detail_enc, at from case_events`.execute(
    db,
  );
  await db.schema.dropTable('case_events').execute();
  await db.schema.alterTable('case_events_next').renameTo('case_events').execute();
  await db.schema.createIndex('case_events_report_idx').on('case_events').columns(['report_id', 'at']).execute();

  await db.schema
    .alterTable('consent_entries')
    .addColumn('recorded_by_token', 'text', (c) => c.references('api_tokens.id'))
    .execute();

  await db.schema
    .createTable('case_notes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('report_id', 'text', (c) => c.notNull().references('reports.id'))
    .addColumn('actor_kind', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    // Internal notes are free text about a person: encrypted, never shown to them.
    .addColumn('body_enc', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('case_notes_report_idx').on('case_notes').columns(['report_id', 'created_at']).execute();

  await db.schema
    .createTable('case_tasks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('report_id', 'text', (c) => c.notNull().references('reports.id'))
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('title_enc', 'text', (c) => c.notNull())
    // A calendar date, YYYY-MM-DD.
    .addColumn('due_on', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_by_kind', 'text', (c) => c.notNull())
    .addColumn('created_by_id', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('done_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('case_tasks_report_idx').on('case_tasks').columns(['report_id', 'created_at']).execute();
  await db.schema
    .createIndex('case_tasks_owner_idx')
    .on('case_tasks')
    .columns(['owner_id', 'done_at', 'due_on'])
    .execute();

  // What a report is about, for the inbox filters on type, risk flag and choice (casework/reportTags.ts):
  // `type:<key>`, `flag:<key>`, `consent:<scope>` while given. Derived from reports and the consent ledger.
  await db.schema
    .createTable('report_tags')
    .addColumn('report_id', 'text', (c) => c.notNull().references('reports.id'))
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('tag', 'text', (c) => c.notNull())
    .addColumn('submitted_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('report_tags_pk', ['report_id', 'tag'])
    .execute();
  await db.schema
    .createIndex('report_tags_org_tag_idx')
    .on('report_tags')
    .columns(['org_id', 'tag', 'submitted_at'])
    .execute();
  const reports = await db
    .selectFrom('reports')
    .select(['id', 'org_id', 'submitted_at', 'incident_types', 'risk_flags'])
    .execute();
  const entries = await db
    .selectFrom('consent_entries')
    .select(['report_id', 'scope', 'decision'])
    .orderBy('recorded_at')
    .orderBy('id')
    .execute();
  const given = new Map<string, Set<string>>();
  for (const e of entries as { report_id: string; scope: string; decision: string }[]) {
    const scopes = given.get(e.report_id) ?? new Set<string>();
    if (e.decision === 'given') scopes.add(e.scope);
    else scopes.delete(e.scope);
    given.set(e.report_id, scopes);
  }
  const rows = (
    reports as { id: string; org_id: string; submitted_at: string; incident_types: string; risk_flags: string }[]
  ).flatMap((r) =>
    [
      ...new Set([
        ...(JSON.parse(r.incident_types) as string[]).map((t) => `type:${t}`),
        ...(JSON.parse(r.risk_flags) as string[]).map((f) => `flag:${f}`),
        ...[...(given.get(r.id) ?? [])].map((s) => `consent:${s}`),
      ]),
    ].map((tag) => ({
      report_id: r.id,
      org_id: r.org_id,
      tag,
      submitted_at: r.submitted_at,
    })),
  );
  for (let i = 0; i < rows.length; i += 500)
    await db
      .insertInto('report_tags')
      .values(rows.slice(i, i + 500))
      .execute();

  // Inbox filters: each narrows within one organisation, newest first.
  await db.schema
    .createIndex('reports_org_assignee_idx')
    .on('reports')
    .columns(['org_id', 'assignee_id', 'submitted_at'])
    .execute();
  await db.schema
    .createIndex('reports_org_area_idx')
    .on('reports')
    .columns(['org_id', 'area', 'submitted_at'])
    .execute();
  await db.schema
    .createIndex('reports_org_source_idx')
    .on('reports')
    .columns(['org_id', 'source', 'submitted_at'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  for (const index of ['reports_org_source_idx', 'reports_org_area_idx', 'reports_org_assignee_idx'])
    await db.schema.dropIndex(index).execute();
  await db.schema.dropTable('report_tags').execute();
  await db.schema.dropTable('case_tasks').execute();
  await db.schema.dropTable('case_notes').execute();
  await db.schema.alterTable('consent_entries').dropColumn('recorded_by_token').execute();
  await db.schema.alterTable('case_events').dropColumn('actor_kind').execute();
}
