// npm run bench:duties — the Victims' Code duty lists over 50,000 police cases,
// on SQLite and on PostgreSQL (BENCH_DATABASE_URL, default the local server).
// Seeds reports → referrals (accepted) → police_cases directly (the referral
// flow's argon2id receipt hashes would take minutes), three timeline events per
// case and a duty for two of them, due dates spread over two years; about 4% of
// duties still open. Measures PoliceCaseTimeline.duties() for the force and the
// support organisation (overdue, due today) and complianceByMonth for the force.
// The at-risk list (issue 5, attrition watch) is not built yet, so not measured.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { buildServices, type Services } from '../src/composition.ts';
import { loadConfig } from '../src/config.ts';
import type { DatabaseTarget } from '../src/platform/db/database.ts';
import { addCalendarDays } from '../src/features/police-cases/workingDays.ts';
import { replaceSection } from './report.ts';
import { scratchPostgres } from './scratchPostgres.ts';

const CASES = Number(process.argv[2] ?? 50_000);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 200);
const TODAY = '2026-11-27';
const EVENTS = ['suspect-arrested', 'suspect-interviewed', 'bailed', 'charged', 'first-hearing'] as const;

async function seed(services: Services, supportOrg: string, forceOrg: string): Promise<void> {
  const enc = services.cipher.encrypt('x', 'bench');
  const at = '2025-01-01T00:00:00.000Z';
  for (let done = 0; done < CASES; done += 500) {
    const n0 = done;
    const size = Math.min(500, CASES - done);
    const ids = Array.from({ length: size }, () => ({ report: crypto.randomUUID(), referral: crypto.randomUUID(), case: crypto.randomUUID() }));
    await services.db.insertInto('reports').values(ids.map((id, i) => ({
      id: id.report, org_id: supportOrg, reference: `D-${(n0 + i).toString(36).toUpperCase()}-${crypto.randomBytes(2).toString('hex')}`,
      receipt_lookup: crypto.randomBytes(32).toString('hex'), receipt_verifier: 'seeded', idempotency_hash: null, source: 'online' as const, recorded_by: null,
      status: 'open' as const, incident_types: JSON.stringify([(n0 + i) % 3 === 0 ? 'sexual-assault' : 'physical-assault']), occurred_on: null, area: null,
      account_enc: enc, details_enc: enc, contact_enc: null, submitted_at: at, assignee_id: null, priority: 'normal' as const, risk_flags: '[]',
    }))).execute();
    await services.db.insertInto('referrals').values(ids.map((id) => ({ id: id.referral, report_id: id.report, support_org_id: supportOrg, police_org_id: forceOrg, level: 'full' as const, status: 'accepted' as const, content_enc: enc, sent_by_kind: 'token' as const, sent_by_id: null, sent_at: at, decided_by_kind: 'token' as const, decided_by_id: null, decided_at: at, decline_reason_enc: null }))).execute();
    await services.db.insertInto('police_cases').values(ids.map((id, i) => ({ id: id.case, referral_id: id.referral, police_org_id: forceOrg, crime_reference: `B/${n0 + i}`, officer_id: null, created_at: at }))).execute();
    const events: object[] = [];
    const duties: object[] = [];
    ids.forEach((id, i) => {
      const n = n0 + i;
      for (let e = 0; e < 3; e++) {
        const eventId = crypto.randomUUID();
        const occurredOn = addCalendarDays(TODAY, -((n * 7 + e * 31) % 730));
        const type = e === 0 ? 'crime-recorded' : EVENTS[(n + e) % EVENTS.length]!;
        events.push({ id: eventId, case_id: id.case, type, occurred_at: `${occurredOn}T10:00:00.000Z`, occurred_on: occurredOn, bail_end_date: null, outcome_type: null, detail_enc: enc, actor_kind: 'token', actor_id: null, recorded_at: `${occurredOn}T10:00:00.000Z` });
        if (e === 0) continue;
        const dueOn = addCalendarDays(occurredOn, e === 1 ? 1 : 5);
        const open = (n + e) % 25 === 0;
        const metAt = open ? null : `${addCalendarDays(dueOn, (n % 10 === 0) ? 2 : 0)}T12:00:00.000Z`;
        duties.push({ id: crypto.randomUUID(), event_id: eventId, case_id: id.case, event_type: type, police_org_id: forceOrg, support_org_id: supportOrg, due_on: dueOn, created_at: `${occurredOn}T10:00:00.000Z`, resolved_at: metAt, met_at: metAt, met_on: metAt ? metAt.slice(0, 10) : null, how: open ? null : 'call', note_enc: null, not_met_reason_enc: null, resolved_by_kind: open ? null : 'token', resolved_by_id: null });
      }
    });
    await services.db.insertInto('case_timeline_events').values(events as never).execute();
    await services.db.insertInto('duties').values(duties as never).execute();
  }
  await sql`analyze`.execute(services.db);
}

function percentile(sorted: number[], p: number): number {
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! * 100) / 100;
}

async function time(run: () => Promise<unknown>, samples = SAMPLES): Promise<{ p50: number; p99: number }> {
  for (let i = 0; i < 10; i += 1) await run();
  const times: number[] = [];
  for (let i = 0; i < samples; i += 1) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}

async function measure(target: DatabaseTarget | undefined) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'liaison-bench-'));
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', LIAISON_MASTER_KEY: crypto.randomBytes(32).toString('base64') });
  const services = await buildServices(config, { ...(target ? { databaseTarget: target } : {}), now: () => new Date(`${TODAY}T12:00:00Z`) });
  const support = await services.organisations.create({ kind: 'support', name: 'Bench', slug: 'bench' }, { kind: 'system' });
  const force = await services.organisations.create({ kind: 'police', name: 'Bench Police', slug: 'bench-police' }, { kind: 'system' });
  const started = performance.now();
  await seed(services, support.id, force.id);
  const total = await services.db.selectFrom('duties').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const overdueCount = (await services.policeCases.duties({ state: 'overdue', orgId: force.id, limit: 100_000 })).length;
  console.log(`${services.database.dialect}: seeded ${CASES} cases, ${total.n} duties (${overdueCount} overdue) in ${Math.round(performance.now() - started)} ms`);
  const r = {
    overdueForce: await time(() => services.policeCases.duties({ state: 'overdue', orgId: force.id })),
    overdueSupport: await time(() => services.policeCases.duties({ state: 'overdue', orgId: support.id })),
    dueForce: await time(() => services.policeCases.duties({ state: 'due', orgId: force.id })),
    compliance: await time(() => services.policeCases.complianceByMonth(force.id), 30),
    overdueCount,
    duties: Number(total.n),
  };
  await services.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  return r;
}

const sqlite = await measure(undefined);
const scratch = await scratchPostgres();
const postgres = scratch ? await measure(scratch.target).finally(() => scratch.drop()) : undefined;
const results = [['SQLite', sqlite] as const, ...(postgres ? [['PostgreSQL', postgres] as const] : [])];
const row = (name: string, key: 'overdueForce' | 'overdueSupport' | 'dueForce' | 'compliance') => `| ${name} | ` + results.map(([, x]) => `${x[key].p50} | ${x[key].p99}`).join(' | ') + ' |';
const lines = [
  `Command: \`npm run bench:duties\` (${CASES.toLocaleString('en-GB')} police cases, each with a referral and a report, 3 timeline events and ${sqlite.duties.toLocaleString('en-GB')} "inform the victim" duties in all, due dates over two years, ${sqlite.overdueCount.toLocaleString('en-GB')} still open and overdue; one force, one support organisation; ${SAMPLES} timed calls after 10 warm-up calls (compliance: 30); times in ms, in process through \`services.policeCases\`).`,
  `Run: ${new Date().toISOString().slice(0, 10)} on ${os.cpus().length} cores (shared with other work), Node ${process.version}, load average at start ${os.loadavg().map((l) => l.toFixed(1)).join(', ')}.`,
  '',
  '| query | ' + results.map(([name]) => `${name} p50 | p99`).join(' | ') + ' |',
  '| --- | ' + results.map(() => '---: | ---:').join(' | ') + ' |',
  row('overdue duties, force (first 500, oldest deadline first)', 'overdueForce'),
  row('overdue duties, support organisation', 'overdueSupport'),
  row('due today, force', 'dueForce'),
  row('compliance by month, force (all duties due so far)', 'compliance'),
  '',
  'Target: p99 under 100 ms for the overdue list. Indexes: `duties (police_org_id, resolved_at, due_on)` and `(support_org_id, resolved_at, due_on)` (open duties have `resolved_at` null, so the list is a range scan of the open ones in deadline order), `duties (police_org_id, due_on, met_on)` for compliance (aggregated in SQL, index-only), `case_timeline_events (case_id, occurred_at)`; the duty carries its event type, so the lists need no join. The at-risk list (attrition watch) is not built yet and is not measured here.',
];
replaceSection('Victims\' Code duties', lines.join('\n'));
console.log(lines.join('\n'));
