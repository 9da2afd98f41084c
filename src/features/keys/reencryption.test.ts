import crypto from 'node:crypto';
import fs from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../app.ts';
import { buildServices, type Services } from '../../composition.ts';
import { loadConfig } from '../../config.ts';
import { DestroyedKeyError, FieldCipher } from '../../platform/crypto/fieldCipher.ts';
import { encryptedColumnsRepository } from '../../platform/crypto/encryptedColumnsRepository.ts';
import { contextOf } from '../../platform/crypto/reencryption.ts';
import { createScratchDatabase, testDatabases, type ScratchDatabase } from '../../../test/support/databases.ts';
import { TestClock, type TestApp } from '../../../test/support/testApp.ts';
import { caseWorld, wholeCase, type CaseWorld } from '../../../test/support/wholeCase.ts';
import { nextTotpStep, signedInStaff, totpNow } from '../../../test/support/staff.ts';
import { KeyRetirementError } from './keyService.ts';

/** Encrypted columns known when this was written, as `table.column` contexts (later migrations add more). */
const KNOWN_CONTEXTS = [
  'alert_outbox.body',
  'alert_outbox.title',
  'appointments.attendees',
  'appointments.confirmed_note',
  'appointments.interpreter_language',
  'appointments.outcome_note',
  'appointments.special_measures_note',
  'appointments.venue',
  'case_contact_requests.reason',
  'case_events.detail',
  'case_messages.body',
  'case_notes.body',
  'case_tasks.title',
  'case_timeline_events.detail',
  'contact_attempts.note',
  'contact_points.code_word',
  'contact_points.safe_times',
  'contact_points.value',
  'duties.not_met_reason',
  'duties.note',
  'engagement_changes.note',
  'engagement_changes.reasons',
  'feedback.text',
  'invitations.email',
  'members.alert_areas',
  'members.email',
  'members.name',
  'officer_training.officer_email',
  'officer_training.officer_name',
  'officer_training.removed_reason',
  'officer_training.trainer',
  'people.interpreter',
  'people.languages',
  'people.notes',
  'people.other_names',
  'people.working_name',
  'person_events.detail',
  'person_updates.text',
  'reach_me_entries.message',
  'reach_me_entries.recognise',
  'reach_me_entries.where_seen',
  'referrals.content',
  'referrals.decline_reason',
  'report_additions.text',
  'report_drafts.answers',
  'report_messages.body',
  'reports.account',
  'reports.area',
  'reports.contact',
  'reports.details',
  'users.email',
  'users.shown_name',
  'users.totp_secret',
  'warning_events.detail',
  'warnings.area',
  'warnings.body',
  'warnings.perpetrator',
  'warnings.title',
  'warnings.withdrawn_reason',
];

/** The `*_enc` columns the row types in schema.ts declare, as contexts (table names from the DB interface). */
function schemaContexts(): string[] {
  const source = fs.readFileSync(new URL('../../platform/db/schema.ts', import.meta.url), 'utf8');
  const interfaces = new Map<string, string[]>();
  for (const m of source.matchAll(/export interface (\w+)Table \{([\s\S]*?)\n\}/g))
    interfaces.set(
      m[1]!,
      [...m[2]!.matchAll(/^\s+(\w+_enc)\??:/gm)].map((c) => c[1]!),
    );
  const db = /export interface DB \{([\s\S]*?)\n\}/.exec(source)![1]!;
  return [...db.matchAll(/^\s+(\w+): (\w+)Table;/gm)]
    .flatMap(([, table, type]) => (interfaces.get(type!) ?? []).map((c) => contextOf(table!, c)))
    .sort();
}

/**
 * The literal contexts the code encrypts and decrypts with: the last argument
 * of each `cipher.encrypt(...)` / `cipher.decrypt(...)` call that is a string.
 * (Two callers build theirs, `appointments.${column}` and `${table}.area`:
 * the decrypt-everything check below covers those.)
 */
function contextsInCode(): Set<string> {
  const found = new Set<string>();
  const walk = (dir: URL) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const url = new URL(entry.name + (entry.isDirectory() ? '/' : ''), dir);
      if (entry.isDirectory()) walk(url);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
        const source = fs.readFileSync(url, 'utf8');
        for (const call of source.matchAll(/cipher\.(?:encrypt|decrypt)\(/g)) {
          let depth = 1;
          let i = call.index + call[0].length;
          let lastComma = i;
          for (; i < source.length && depth > 0; i++) {
            const c = source[i];
            if (c === '(' || c === '[' || c === '{') depth += 1;
            else if (c === ')' || c === ']' || c === '}') depth -= 1;
            else if (c === ',' && depth === 1) lastComma = i + 1;
          }
          const last = /^\s*'([a-z_]+\.[a-z_]+)'\s*,?\s*$/.exec(source.slice(lastComma, i - 1));
          if (last) found.add(last[1]!);
        }
      }
    }
  };
  walk(new URL('../../', import.meta.url));
  return found;
}

describe.each(testDatabases)('re-encryption after a key rotation on %s', (kind) => {
  let scratch: ScratchDatabase;
  let t: TestApp;
  let other: Services;
  let w: CaseWorld;
  let firstCase: Awaited<ReturnType<typeof wholeCase>>;

  beforeAll(async () => {
    // Two instances on one database, as two servers behind a balancer, sharing a clock the test moves.
    scratch = await createScratchDatabase(kind);
    const config = loadConfig({
      DATA_DIR: scratch.dataDir,
      LIAISON_MASTER_KEY: crypto.randomBytes(32).toString('base64'),
      LOG_LEVEL: 'silent',
    });
    const clock = new TestClock();
    const services = await buildServices(config, { databaseTarget: scratch.target, now: clock.now });
    const app = await createApp(services);
    await app.ready();
    t = { app, services, clock, close: async () => {} };
    other = await buildServices(config, { databaseTarget: scratch.target, now: clock.now, migrate: false });
    w = await caseWorld(t);
    firstCase = await wholeCase(w, 'FIRST');
    await wholeCase(w, 'SECOND');
    // A few tables the case does not reach: a member, feedback, a draft, an invitation.
    await t.services.members.join(w.caseworker.orgId, { name: 'Member Maya' });
    await t.services.feedback.submit({ text: 'The form was clear', satisfaction: 'satisfied' });
    await t.services.reportDrafts.start(w.caseworker.orgId, 'online', null);
    await t.services.invitations.invite({
      orgId: w.caseworker.orgId,
      role: 'caseworker',
      email: 'new.caseworker@example.org',
      invitedBy: w.caseworker.userId,
    });
  }, 180_000);
  afterAll(async () => {
    await other?.close();
    await t?.app.close();
    await t?.services.close();
    await scratch?.drop();
  });

  /** Every value of every encrypted column, decrypted with its context: throws if any one does not read. */
  async function readEverything(services: Services): Promise<number> {
    let read = 0;
    for (const table of await encryptedColumnsRepository.tables(services.db, services.database.dialect)) {
      const { rows } = await sql<Record<string, string | null>>`select * from ${sql.table(table.table)}`.execute(
        services.db,
      );
      for (const row of rows)
        for (const column of table.columns) {
          const value = row[column];
          if (value === null || value === undefined) continue;
          await services.cipher.decrypt(value, contextOf(table.table, column));
          read += 1;
        }
    }
    return read;
  }

  /** Each table whose rows, in any column, hold a ciphertext written with `keyId`. */
  async function tablesHolding(keyId: string): Promise<string[]> {
    const prefix = FieldCipher.prefixOf(keyId);
    const found: string[] = [];
    for (const table of await t.services.db.introspection.getTables()) {
      const { rows } = await sql`select * from ${sql.table(table.name)}`.execute(t.services.db);
      if (JSON.stringify(rows).includes(prefix)) found.push(table.name);
    }
    return found;
  }

  it('finds every encrypted column in the database, the same as the schema declares, each with a primary key', async () => {
    const tables = await t.services.dataKeys.usage('dk-none');
    expect(tables).toEqual([]);
    const found = await encryptedColumnsRepository.tables(t.services.db, t.services.database.dialect);
    const contexts = found.flatMap((table) => table.columns.map((c) => contextOf(table.table, c))).sort();
    expect(contexts).toEqual(schemaContexts());
    expect(contexts).toEqual(expect.arrayContaining(KNOWN_CONTEXTS));
    // The convention the re-encryption relies on: the code binds each column's values to `table.column`.
    const inCode = [...contextsInCode()];
    expect(inCode.length).toBeGreaterThan(50);
    expect(inCode.filter((c) => !contexts.includes(c) && !c.startsWith('test.'))).toEqual([]);
    expect(found.find((table) => table.table === 'report_drafts')?.key).toBe('id_hash');
    expect(found.filter((table) => table.key !== 'id').map((table) => table.table)).toEqual(['report_drafts']);
  });

  it('switches the other instance to a new key within a minute, without a restart', async () => {
    await other.cipher.load();
    const before = other.cipher.activeKeyId;
    const { keyId } = await t.services.dataKeys.rotate({ kind: 'cli' });
    expect(t.services.cipher.activeKeyId).toBe(keyId);
    // Not yet a minute since it last looked: it still writes with the key it had, and reads the new one.
    await other.cipher.refreshIfDue();
    expect(other.cipher.activeKeyId).toBe(before);
    expect(await other.cipher.decrypt(t.services.cipher.encrypt('new', 'test.field'), 'test.field')).toBe('new');
    t.clock.advance(61_000);
    await other.cipher.refreshIfDue();
    expect(other.cipher.activeKeyId).toBe(keyId);
    await other.feedback.submit({ text: 'Written by the other instance', satisfaction: undefined });
    const rows = await other.db.selectFrom('feedback').select('text_enc').execute();
    expect(rows.map((r) => FieldCipher.keyIdOf(r.text_enc))).toContain(keyId);
  });

  it('rewraps everything, refuses to retire the old key until then, and leaves no ciphertext under it', async () => {
    const [oldKey] = (await t.services.dataKeys.list()).map((k) => k.id).reverse();
    const valuesBefore = await readEverything(t.services);
    const earlier = (
      await t.services.db.selectFrom('reports').select('account_enc').where('id', '=', firstCase.reportId).execute()
    )[0]!.account_enc;
    expect(FieldCipher.keyIdOf(earlier)).toBe(oldKey);
    const { previous, keyId } = await t.services.dataKeys.rotate({ kind: 'cli' });
    expect(await tablesHolding(oldKey!)).toContain('reports');

    // Not the key in use, nor one just replaced (servers may still be writing with it), nor one anything uses.
    await expect(t.services.dataKeys.retire(keyId, { kind: 'cli' })).rejects.toThrow(/protects new data/);
    await expect(t.services.dataKeys.retire(previous, { kind: 'cli' })).rejects.toThrow(
      /was replaced at .* UTC; running servers may still write with it for a short while\. Try again after/,
    );
    await expect(t.services.dataKeys.retire('dk-nothing', { kind: 'cli' })).rejects.toThrow(/no data key/);
    t.clock.advance(3 * 60_000);
    const refusal = await t.services.dataKeys.retire(oldKey!, { kind: 'cli' }).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(KeyRetirementError);
    const usage = (refusal as KeyRetirementError).usage;
    expect(usage.map((u) => u.table)).toEqual(expect.arrayContaining(['reports', 'people', 'report_messages']));
    expect((refusal as Error).message).toMatch(
      /still encrypts \d+ values \(.*reports: \d+.*\)\. Run liaison keys reencrypt first\./,
    );

    const seen: string[] = [];
    const result = await t.services.dataKeys.reencrypt({ kind: 'cli' }, { onTable: (p) => seen.push(p.table) });
    expect(result).toMatchObject({ keyId, left: 0, unreadable: 0, complete: true });
    const touched = result.tables.filter((p) => p.rewrapped > 0).map((p) => p.table);
    expect(touched.length).toBeGreaterThanOrEqual(20);
    expect(touched).toEqual(
      expect.arrayContaining([
        'reports',
        'report_messages',
        'report_additions',
        'case_notes',
        'case_events',
        'people',
        'contact_points',
        'referrals',
        'case_messages',
        'person_updates',
        'appointments',
        'warnings',
        'members',
        'users',
      ]),
    );
    expect(seen).toEqual(result.tables.map((p) => p.table));
    expect(await t.services.dataKeys.usage(oldKey!)).toEqual([]);
    expect(await readEverything(t.services)).toBe(valuesBefore);

    expect(await t.services.dataKeys.retire(oldKey!, { kind: 'cli' })).toBe(true);
    expect(await t.services.dataKeys.retire(oldKey!, { kind: 'cli' })).toBe(false);
    const row = await t.services.db.selectFrom('data_keys').selectAll().where('id', '=', oldKey!).executeTakeFirst();
    expect(row).toMatchObject({ wrapped_key: '', destroyed_at: expect.any(String) });
    // Its id is still in its own row and in audit entries, but in no ciphertext anywhere.
    expect(await tablesHolding(oldKey!)).toEqual([]);
    await expect(t.services.cipher.decrypt(earlier, 'reports.account')).rejects.toBeInstanceOf(DestroyedKeyError);
    const audit = await t.services.db
      .selectFrom('audit_entries')
      .select(['action', 'target_id'])
      .where('action', 'in', ['keys.reencrypted', 'keys.retired'])
      .execute();
    expect(audit).toEqual(
      expect.arrayContaining([
        { action: 'keys.reencrypted', target_id: keyId },
        { action: 'keys.retired', target_id: oldKey },
      ]),
    );

    // The other instance forgets the retired key at its next look, and reads everything (a fresh start does too).
    t.clock.advance(61_000);
    await other.cipher.refreshIfDue();
    await expect(other.cipher.decrypt(earlier, 'reports.account')).rejects.toBeInstanceOf(DestroyedKeyError);
    expect(await readEverything(other)).toBe(valuesBefore);

    // Every field still reads through the service: the report by its receipt code, a person, a warning.
    const page = await firstCase.person.get('/check/report');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(firstCase.plants.own.messageFromPerson);
    const opened = await t.services.reports.openWithCode(firstCase.code, '192.0.2.9');
    expect(opened).toBe(firstCase.reportId);
    expect((await t.services.reportProgress.mine(firstCase.reportId)).account).toBe(firstCase.plants.own.account);
    const person = await t.services.people.view(w.as(w.caseworker), firstCase.personId);
    expect(person?.workingName).toBe(firstCase.plants.own.workingName);
    const warning = await t.services.warnings.detail(w.as(w.caseworker), firstCase.warningId);
    expect(warning?.title).toBe(firstCase.plants.own.warningTitle);
    const staffPage = await w.caseworker.browser.get(`/staff/reports/${firstCase.reference}`);
    expect(staffPage.body).toContain(firstCase.plants.internal.note);
  });

  it('stops half-way when told to, and a second run carries on to the end', async () => {
    const { keyId } = await t.services.dataKeys.rotate({ kind: 'cli' });
    const first = await t.services.dataKeys.reencrypt({ kind: 'cli' }, { batchSize: 1, maxBatches: 7 });
    expect(first).toMatchObject({ keyId, complete: false, rewrapped: 7 });
    expect(first.left).toBeGreaterThan(0);
    const second = await t.services.dataKeys.reencrypt({ kind: 'cli' }, { batchSize: 3 });
    expect(second).toMatchObject({ keyId, complete: true, left: 0, rewrapped: first.left });
    // Nothing left: a third run writes nothing.
    expect(await t.services.dataKeys.reencrypt({ kind: 'cli' })).toMatchObject({ rewrapped: 0, left: 0 });
  });

  it('never overwrites a value changed after it was read (compare-and-set)', async () => {
    const { keyId } = await t.services.dataKeys.rotate({ kind: 'cli' });
    const tables = await encryptedColumnsRepository.tables(t.services.db, t.services.database.dialect);
    const feedback = tables.find((table) => table.table === 'feedback')!;
    const [row] = await encryptedColumnsRepository.staleRows(
      t.services.db,
      feedback,
      FieldCipher.prefixOf(keyId),
      null,
      1,
    );
    const read = row!.values.text_enc!;
    // Someone rewrites the value between the read and the write.
    const changed = t.services.cipher.encrypt('Changed meanwhile', 'feedback.text');
    await t.services.db.updateTable('feedback').set({ text_enc: changed }).where('id', '=', row!.key).execute();
    const other = await encryptedColumnsRepository.staleRows(
      t.services.db,
      feedback,
      FieldCipher.prefixOf(keyId),
      row!.key,
      1,
    );
    const written = await encryptedColumnsRepository.rewrapRows(t.services.db, feedback, [
      {
        key: row!.key,
        values: [{ column: 'text_enc', read, written: t.services.cipher.encrypt('stale', 'feedback.text') }],
      },
      // In the same statement, a row nobody changed is written.
      {
        key: other[0]!.key,
        values: [
          {
            column: 'text_enc',
            read: other[0]!.values.text_enc!,
            written: await t.services.cipher.rewrap(other[0]!.values.text_enc!, 'feedback.text', keyId),
          },
        ],
      },
    ]);
    expect(written).toBe(1);
    const rewritten = await t.services.db
      .selectFrom('feedback')
      .select('text_enc')
      .where('id', '=', other[0]!.key)
      .executeTakeFirstOrThrow();
    expect(FieldCipher.keyIdOf(rewritten.text_enc)).toBe(keyId);
    const now = await t.services.db
      .selectFrom('feedback')
      .select('text_enc')
      .where('id', '=', row!.key)
      .executeTakeFirst();
    expect(now?.text_enc).toBe(changed);
  });

  it('is queued by rotating on the admin page, runs once every server has switched, and may run again', async () => {
    const admin = await signedInStaff(t, { role: 'admin', orgSlug: 'safe-streets' });
    t.clock.advance(6 * 60_000);
    await admin.browser.get('/account/confirm?next=/admin/keys');
    await admin.browser.post('/account/confirm', { code: await totpNow(t, admin.totpSecret), next: '/admin/keys' });
    nextTotpStep(t);
    await admin.browser.get('/admin/keys');
    expect((await admin.browser.post('/admin/keys/rotate', {})).headers.location).toBe('/admin/keys?rotated=1');
    const keyId = t.services.cipher.activeKeyId;
    expect(await t.services.jobRunner.runUntilIdle(['keys.reencrypt'])).toBe(0);
    t.clock.advance(2 * 60_000 + 1000);
    expect(await t.services.jobRunner.runUntilIdle(['keys.reencrypt'])).toBe(1);
    const previous = (await t.services.dataKeys.list()).find((k) => k.retired_at && !k.destroyed_at)!.id;
    expect(await t.services.dataKeys.usage(previous)).toEqual([]);
    const job = await t.services.db
      .selectFrom('jobs')
      .selectAll()
      .where('type', '=', 'keys.reencrypt')
      .executeTakeFirstOrThrow();
    expect(job).toMatchObject({ finished_at: expect.any(String), failed_at: null });
    expect(JSON.parse(job.payload)).toEqual({});
    // Again, by hand: nothing to do, nothing broken.
    await t.services.jobQueue.enqueue(t.services.db, 'keys.reencrypt');
    expect(await t.services.jobRunner.runUntilIdle(['keys.reencrypt'])).toBe(1);
    expect((await t.services.dataKeys.list())[0]?.id).toBe(keyId);
    const page = await admin.browser.get('/admin/keys');
    expect(page.body).toContain('Retired: reads nothing any more');
  });
});
