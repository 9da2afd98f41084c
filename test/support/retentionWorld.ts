import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { expect } from 'vitest';
import type { Actor } from '../../src/platform/actors/actor.ts';
import { randomId } from '../../src/platform/crypto/index.ts';
import type { TestDatabaseKind } from './databases.ts';
import { TestBrowser } from './httpClient.ts';
import { totpNow, nextTotpStep, type SignedInStaff } from './staff.ts';
import type { TestApp } from './testApp.ts';

const run = promisify(execFile);

/**
 * Every byte the database keeps: the SQLite file and its WAL once checkpointed
 * (so nothing waits in the WAL), or a PostgreSQL dump of the scratch database.
 */
export async function everythingStored(t: TestApp, kind: TestDatabaseKind): Promise<string> {
  if (kind === 'sqlite') {
    await sql`pragma wal_checkpoint(TRUNCATE)`.execute(t.services.db);
    const dir = t.services.config.dataDir;
    return fs
      .readdirSync(dir)
      .filter((file) => fs.statSync(`${dir}/${file}`).isFile())
      .map((file) => fs.readFileSync(`${dir}/${file}`).toString('latin1'))
      .join('');
  }
  const { rows } = await sql<{ name: string }>`select current_database() as name`.execute(t.services.db);
  const url = new URL(process.env.TEST_DATABASE_URL!);
  url.pathname = `/${rows[0]!.name}`;
  const { stdout } = await run('pg_dump', ['--data-only', url.toString()], { maxBuffer: 256 * 1024 * 1024 });
  return stdout;
}

/** What statistics count: reports per month, type and source; referrals per level, status and force; published warnings per type. */
export async function statistics(t: TestApp) {
  const count = (keys: string[]) => {
    const counts: Record<string, number> = {};
    for (const key of keys) counts[key] = (counts[key] ?? 0) + 1;
    return counts;
  };
  const reports = await t.services.db
    .selectFrom('reports')
    .select(['submitted_at', 'incident_types', 'source', 'area', 'org_id'])
    .execute();
  const referrals = await t.services.db
    .selectFrom('referrals')
    .select(['level', 'status', 'police_org_id', 'sent_at'])
    .execute();
  // Drafts never left the charity and are not counted; a warning once published always is.
  const warnings = await t.services.db
    .selectFrom('warnings')
    .select(['type', 'org_id'])
    .where('published_at', 'is not', null)
    .execute();
  return {
    reportsPerMonth: count(reports.map((r) => `${r.org_id} ${r.submitted_at.slice(0, 7)}`)),
    reportsPerType: count(
      reports.flatMap((r) => (JSON.parse(r.incident_types) as string[]).map((type) => `${r.org_id} ${type}`)),
    ),
    reportsPerSource: count(reports.map((r) => `${r.org_id} ${r.source}`)),
    reportsPerArea: count(reports.map((r) => `${r.org_id} ${r.area ?? '-'}`)),
    referrals: count(referrals.map((r) => `${r.police_org_id} ${r.level} ${r.status} ${r.sent_at.slice(0, 7)}`)),
    warningsPerType: count(warnings.map((w) => `${w.org_id} ${w.type}`)),
  };
}

/** A fresh security code for sensitive actions (step-up), through the real confirmation page. */
export async function stepUp(t: TestApp, staff: SignedInStaff, next: string): Promise<void> {
  await staff.browser.get(`/account/confirm?next=${encodeURIComponent(next)}`);
  const res = await staff.browser.post('/account/confirm', { code: await totpNow(staff.totpSecret), next });
  expect(res.statusCode).toBe(303);
  nextTotpStep(t);
}

/** The person opens "Check your report" with their receipt code, in a browser of their own. */
export async function openWithCode(t: TestApp, code: string) {
  const person = new TestBrowser(t.app);
  await person.get('/check');
  const opened = await person.post('/check', { code });
  return { person, opened, page: await person.follow(opened) };
}

export interface RichReport {
  reportId: string;
  reference: string;
  receiptCode: string;
  personId: string;
  mergedPersonId: string;
  draftWarningId: string;
  publishedWarningId: string;
  referralId: string;
  /** Every planted piece of text, each unique to this report. */
  markers: string[];
}

/**
 * A report with something personal in every place the service keeps it: the
 * account, details and perpetrator, contact details, a place typed in words,
 * messages both ways, an addition, a note, a task, the reason it was closed,
 * an engagement note, an update passed to the person, a released legal hold's
 * reason, a person record (with a record merged into it) with contact points,
 * attempts and a reach-me entry, a draft and a published warning with phone
 * and plate look-ups, a full referral to a force, and a Check your report
 * session. Each text carries `marker`.
 */
export async function richReport(
  t: TestApp,
  opts: { org: string; orgId: string; marker: string; worker: Actor; approver: Actor; liaison: Actor; force: string },
): Promise<RichReport> {
  const m = opts.marker;
  const s = t.services;
  const submitted = await s.reports.submit(
    {
      org: opts.org,
      incidentTypes: ['physical-assault', 'robbery-or-theft'],
      account: `${m}-ACCOUNT he hurt me`,
      occurredOn: '2020-01-05',
      area: `${m}-AREA behind the yard`,
      placeDetails: `${m}-PLACE`,
      consents: { support: true, warnOthers: true, policeIntelligence: true, policeReport: true, policeContact: true },
      perpetrator: {
        names: [`${m}-PERPNAME`],
        phones: ['07700900777'],
        emails: [],
        handles: [`${m}-HANDLE`],
        vehicle: { colour: 'silver', registration: 'AB12CDE' },
      },
      contact: {
        name: `${m}-CONTACTNAME`,
        methods: [{ kind: 'text', value: '07700900456', safeToLeaveMessage: false, safeTimes: `${m}-SAFETIMES` }],
      },
    },
    { source: 'online', recordedBy: null, idempotencyKey: `retention-${m}-key-0001` },
  );
  const reportId = submitted.reportId;
  await s.reports.addMessage(reportId, `${m}-MSGIN please ring`, { sender: 'reporter' });
  await s.reports.addMessage(reportId, `${m}-MSGOUT we will`, { sender: 'support', userId: opts.worker.id });
  await s.reports.addAddition(reportId, `${m}-ADDITION one more thing`, null);
  await s.caseWork.addNote(opts.worker, reportId, `${m}-NOTE internal`);
  await s.caseWork.addTask(opts.worker, reportId, {
    title: `${m}-TASK ring back`,
    dueOn: '2030-01-01',
    owner: opts.worker.id,
  });
  await s.engagement.record(opts.worker, reportId, {
    status: 'wavering',
    reasons: ['court-delays'],
    note: `${m}-ENGNOTE`,
    on: s.now().toISOString().slice(0, 10),
  });
  await s.db
    .insertInto('person_updates')
    .values({
      id: randomId(),
      report_id: reportId,
      org_id: opts.orgId,
      text_enc: s.cipher.encrypt(`${m}-UPDATE for you`, 'person_updates.text'),
      duty_id: null,
      actor_kind: 'user',
      actor_id: opts.worker.id,
      created_at: s.now().toISOString(),
    })
    .execute();
  await s.legalHolds.place(opts.worker, reportId, `${m}-HOLDREASON court`);
  await s.legalHolds.release(opts.worker, reportId);

  const person = await s.people.create(
    opts.worker,
    {
      workingName: `${m}-WORKNAME`,
      otherNames: [`${m}-OTHERNAME`],
      languages: [],
      interpreter: 'unknown',
      notes: `${m}-PERSONNOTE`,
    },
    reportId,
  );
  const point = await s.people.addContactPoint(opts.worker, person.id, {
    kind: 'mobile',
    value: '07700900999',
    safeToLeaveMessage: false,
    safeTimes: `${m}-CPTIMES`,
    codeWord: `${m}-CODEWORD`,
  });
  await s.people.recordAttempt(opts.worker, person.id, {
    contactPointId: point.id,
    channel: 'call',
    outcome: 'reached',
    note: `${m}-ATTEMPT`,
  });
  await s.reachMe.add(opts.worker, person.id, {
    recognise: `${m}-RECOGNISE`,
    whereSeen: `${m}-WHERE`,
    message: `${m}-REACHMSG`,
  });
  const merged = await s.people.create(opts.worker, {
    workingName: `${m}-MERGEDNAME`,
    otherNames: [],
    languages: [],
    interpreter: 'unknown',
    notes: `${m}-MERGEDNOTE`,
  });
  await s.people.merge(opts.worker, person.id, merged.id);

  const warning = (title: string) =>
    s.warnings.draft(opts.worker, {
      reports: [submitted.reference],
      title,
      body: `${m}-WBODY take care`,
      type: 'physical-assault',
      area: null,
      phones: ['07700900777'],
      registrations: ['AB12CDE'],
      handles: [`${m}-WHANDLE`],
      vehicle: `${m}-WVEHICLE`,
      description: `${m}-WDESC`,
    });
  const publishedWarningId = await warning(`${m}-WTITLE`);
  await s.warnings.approve(opts.approver, publishedWarningId);
  const draftWarningId = await warning(`${m}-WDRAFT`);

  const referralId = await s.referrals.send(opts.liaison, reportId, {
    force: opts.force,
    level: 'full',
    summary: `${m}-SUMMARY`,
  });
  await s.triage.apply(opts.worker, reportId, {
    status: 'closed',
    reason: `${m}-CLOSEREASON`,
    assignee: '',
    priority: 'normal',
    flags: ['injured'],
  });
  await s.reporterSessions.open(reportId);
  return {
    reportId,
    reference: submitted.reference,
    receiptCode: submitted.receiptCode!,
    personId: person.id,
    mergedPersonId: merged.id,
    draftWarningId,
    publishedWarningId,
    referralId,
    markers: [
      'ACCOUNT',
      'AREA',
      'PLACE',
      'PERPNAME',
      'HANDLE',
      'CONTACTNAME',
      'SAFETIMES',
      'MSGIN',
      'MSGOUT',
      'ADDITION',
      'NOTE',
      'TASK',
      'ENGNOTE',
      'UPDATE',
      'HOLDREASON',
      'WORKNAME',
      'OTHERNAME',
      'PERSONNOTE',
      'CPTIMES',
      'CODEWORD',
      'ATTEMPT',
      'RECOGNISE',
      'WHERE',
      'REACHMSG',
      'MERGEDNAME',
      'MERGEDNOTE',
      'WBODY',
      'WTITLE',
      'WDRAFT',
      'WHANDLE',
      'WVEHICLE',
      'WDESC',
      'CLOSEREASON',
    ].map((what) => `${m}-${what}`),
  };
}

/** Every ciphertext and blind index stored about a report, its person records and its warnings (the force's copy aside). */
export async function storedSecrets(t: TestApp, r: RichReport): Promise<string[]> {
  const db = t.services.db;
  const people = [r.personId, r.mergedPersonId];
  const warnings = [r.publishedWarningId, r.draftWarningId];
  const values: (string | null)[] = [];
  const report = await db.selectFrom('reports').selectAll().where('id', '=', r.reportId).executeTakeFirstOrThrow();
  values.push(
    report.account_enc,
    report.details_enc,
    report.contact_enc,
    report.area_enc,
    report.idempotency_hash,
    report.idempotency_body_hash,
  );
  for (const table of ['report_messages', 'report_additions', 'case_notes', 'case_tasks', 'person_updates'] as const) {
    const rows = await db.selectFrom(table).selectAll().where('report_id', '=', r.reportId).execute();
    for (const row of rows)
      values.push(
        ...Object.entries(row)
          .filter(([k]) => k.endsWith('_enc'))
          .map(([, v]) => v as string),
      );
  }
  const closing = await db
    .selectFrom('case_events')
    .select('detail_enc')
    .where('report_id', '=', r.reportId)
    .where('kind', '=', 'status')
    .execute();
  values.push(...closing.map((e) => e.detail_enc));
  values.push(
    ...(await db.selectFrom('engagement_changes').select('note_enc').where('report_id', '=', r.reportId).execute()).map(
      (e) => e.note_enc,
    ),
  );
  values.push(
    ...(await db.selectFrom('legal_holds').select('reason_enc').where('report_id', '=', r.reportId).execute()).map(
      (e) => e.reason_enc,
    ),
  );
  for (const row of await db.selectFrom('people').selectAll().where('id', 'in', people).execute())
    values.push(
      row.working_name_enc,
      row.working_name_index,
      row.other_names_enc,
      row.languages_enc,
      row.interpreter_enc,
      row.notes_enc,
    );
  for (const table of ['contact_points', 'contact_attempts', 'reach_me_entries', 'person_events'] as const) {
    const rows = await db.selectFrom(table).selectAll().where('person_id', 'in', people).execute();
    for (const row of rows)
      values.push(
        ...Object.entries(row)
          .filter(([k]) => k.endsWith('_enc'))
          .map(([, v]) => v as string),
      );
  }
  for (const row of await db.selectFrom('warnings').selectAll().where('id', 'in', warnings).execute())
    values.push(row.title_enc, row.body_enc, row.perpetrator_enc, row.area_enc);
  values.push(
    ...(await db.selectFrom('warning_identifiers').select('lookup').where('warning_id', 'in', warnings).execute()).map(
      (w) => w.lookup,
    ),
  );
  values.push(
    ...(await db.selectFrom('warning_events').select('detail_enc').where('warning_id', 'in', warnings).execute()).map(
      (w) => w.detail_enc,
    ),
  );
  values.push(
    ...(
      await db
        .selectFrom('alert_outbox')
        .select(['title_enc', 'body_enc'])
        .where('warning_id', 'in', warnings)
        .where('sent_at', 'is', null)
        .execute()
    ).flatMap((a) => [a.title_enc, a.body_enc]),
  );
  return values.filter((v): v is string => typeof v === 'string' && v.length > 0);
}
