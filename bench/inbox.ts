// npm run bench:inbox — the report inbox with 100,000 reports, on SQLite and on
// PostgreSQL (BENCH_DATABASE_URL, default the local server):
//  - in process: the inbox query alone (first page, status filter, by reference);
//  - over HTTP: the real app (Fastify inject, every plugin on: access, CSRF,
//    security headers, Nunjucks; no Accept-Encoding), signed in as a caseworker with
//    a real TOTP code: the first page, and filtered pages (status + risk flag +
//    date range; area + source + assignee; consent state; incident type).
// Reports are inserted directly (the receipt code's argon2id hash would take
// minutes for 100,000), with varied status, source, area, flags, assignee,
// incident types and consent entries. Writes p50/p99 to docs/benchmarks.md.
// BENCH_EXPLAIN=1 prints the query plans of the filtered queries.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql, type Insertable } from 'kysely';
import type { ConsentEntriesTable } from '../src/platform/db/schema.ts';
import { createApp } from '../src/app.ts';
import { buildServices, type Services } from '../src/composition.ts';
import { loadConfig } from '../src/config.ts';
import { totpCode } from '../src/features/staff/twoFactor.ts';
import type { DatabaseTarget } from '../src/platform/db/database.ts';
import { TestBrowser } from '../test/support/httpClient.ts';
import { replaceSection } from './report.ts';
import { scratchPostgres } from './scratchPostgres.ts';

const REPORTS = Number(process.argv[2] ?? 100_000);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 200);
const STATUSES = ['new', 'open', 'waiting', 'closed'] as const;
const SOURCES = ['online', 'online', 'outreach', 'phone', 'drop-in'] as const;
const AREAS = ['Town centre', 'Docks', 'Harbour', 'Station', 'Ring road', 'Industrial estate', 'Park', 'North'];
const TYPES = [
  'physical-assault',
  'sexual-assault',
  'robbery-or-theft',
  'threats-or-harassment',
  'refused-to-pay-or-fraud',
];
const FLAGS = ['injured', 'immediate-danger', 'repeat-victim', 'under-18-suspected', 'trafficking-suspected'];
const START = Date.parse('2024-01-01T00:00:00Z');

/** The filtered HTTP pages measured (the date range is the last ~70 days of the seeded data). */
const FILTERED = {
  'status + flag + dates': '/staff/reports?status=open&flag=injured&from=2024-01-10&to=2024-03-01',
  'area + source + assignee': '/staff/reports?area=Docks&source=outreach&assignee=me',
  'consent given': '/staff/reports?consent=policeReport:given',
  'incident type, page 5': '/staff/reports?type=refused-to-pay-or-fraud&page=5',
  // The worst case: a type no report has, so the whole organisation's index is walked to find nothing.
  'type nobody has (worst case)': '/staff/reports?type=rape',
};

async function seed(services: Services, orgId: string, holders: string[]): Promise<void> {
  const account = services.cipher.encrypt('Seeded account', 'reports.account');
  const details = services.cipher.encrypt(
    '{"perpetrator":{"names":[],"phones":[],"emails":[],"handles":[]}}',
    'reports.details',
  );
  const personName = services.cipher.encrypt('Seeded person', 'people.working_name');
  const emptyList = services.cipher.encrypt('[]', 'people.other_names');
  for (let done = 0; done < REPORTS; done += 1000) {
    const rows = Array.from({ length: Math.min(1000, REPORTS - done) }, (_, i) => {
      const n = done + i;
      const flags = n % 7 === 0 ? [FLAGS[n % 5]!, FLAGS[(n + 1) % 5]!].sort() : n % 3 === 0 ? [FLAGS[n % 5]!] : [];
      return {
        id: crypto.randomUUID(),
        org_id: orgId,
        reference: `R-${n.toString(36).toUpperCase().padStart(4, '0')}-${crypto.randomBytes(2).toString('hex').toUpperCase()}`,
        receipt_lookup: crypto.randomBytes(32).toString('hex'),
        receipt_verifier: 'seeded',
        idempotency_hash: null,
        source: SOURCES[n % SOURCES.length]!,
        recorded_by: null,
        status: STATUSES[n % 4]!,
        incident_types: JSON.stringify(n % 11 === 0 ? [TYPES[n % 5]!, TYPES[(n + 2) % 5]!] : [TYPES[n % 5]!]),
        occurred_on: null,
        area: n % 10 === 9 ? null : AREAS[n % AREAS.length]!,
        account_enc: account,
        details_enc: details,
        contact_enc: null,
        submitted_at: new Date(START + n * 60_000).toISOString(),
        assignee_id: n % 3 === 0 ? null : holders[(n >> 1) % holders.length]!,
        priority: (['low', 'normal', 'normal', 'high', 'urgent'] as const)[n % 5]!,
        risk_flags: JSON.stringify(flags),
        // Half the reports are linked to a person, so the page's "days since contact" has work to do.
        person_id: n % 2 === 0 ? crypto.randomUUID() : null,
      };
    });
    await services.db.insertInto('reports').values(rows).execute();
    const linked = rows.filter((r) => r.person_id);
    await services.db
      .insertInto('people')
      .values(
        linked.map((r) => ({
          id: r.person_id!,
          org_id: orgId,
          working_name_enc: personName,
          working_name_index: 'seeded',
          other_names_enc: emptyList,
          languages_enc: emptyList,
          interpreter_enc: emptyList,
          notes_enc: emptyList,
          created_by_kind: 'token' as const,
          created_by_id: null,
          created_at: r.submitted_at,
        })),
      )
      .execute();
    // Two attempts each: one that reached them, one that did not (the newer one, for every other person).
    const attempts = linked.flatMap((r, i) => {
      const at = Date.parse(r.submitted_at);
      return [
        {
          id: crypto.randomUUID(),
          org_id: orgId,
          person_id: r.person_id!,
          contact_point_id: null,
          reach_me_id: null,
          channel: 'call',
          outcome: 'reached',
          note_enc: null,
          actor_kind: 'token' as const,
          actor_id: null,
          at: new Date(at + 3_600_000).toISOString(),
        },
        {
          id: crypto.randomUUID(),
          org_id: orgId,
          person_id: r.person_id!,
          contact_point_id: null,
          reach_me_id: null,
          channel: 'call',
          outcome: i % 2 ? 'no-answer' : 'reached',
          note_enc: null,
          actor_kind: 'token' as const,
          actor_id: null,
          at: new Date(at + 7_200_000).toISOString(),
        },
      ];
    });
    await services.db.insertInto('contact_attempts').values(attempts).execute();
    // Everyone agreed to support; one in five also to a police report (one in ten of those withdrew it later).
    const consents = rows.flatMap((r, i): Insertable<ConsentEntriesTable>[] => {
      const n = done + i;
      const at = Date.parse(r.submitted_at);
      const entries: Insertable<ConsentEntriesTable>[] = [
        {
          id: crypto.randomUUID(),
          report_id: r.id,
          scope: 'support' as const,
          decision: 'given' as const,
          method: 'online' as const,
          recorded_by: null,
          recorded_at: new Date(at).toISOString(),
        },
      ];
      if (n % 5 === 0)
        entries.push({
          id: crypto.randomUUID(),
          report_id: r.id,
          scope: 'policeReport' as const,
          decision: 'given' as const,
          method: 'online' as const,
          recorded_by: null,
          recorded_at: new Date(at + 1).toISOString(),
        });
      if (n % 50 === 0)
        entries.push({
          id: crypto.randomUUID(),
          report_id: r.id,
          scope: 'policeReport' as const,
          decision: 'withdrawn' as const,
          method: 'online' as const,
          recorded_by: null,
          recorded_at: new Date(at + 2).toISOString(),
        });
      return entries;
    });
    await services.db.insertInto('consent_entries').values(consents).execute();
    // The inbox's tag index, as syncReportTags keeps it for reports made through the service.
    const tags = rows.flatMap((r, i) => {
      const n = done + i;
      const names = [
        ...(JSON.parse(r.incident_types) as string[]).map((t) => `type:${t}`),
        ...(JSON.parse(r.risk_flags) as string[]).map((f) => `flag:${f}`),
        'consent:support',
        ...(n % 5 === 0 && n % 50 !== 0 ? ['consent:policeReport'] : []),
      ];
      return [...new Set(names)].map((tag) => ({ report_id: r.id, org_id: orgId, tag, submitted_at: r.submitted_at }));
    });
    for (let i = 0; i < tags.length; i += 1000)
      await services.db
        .insertInto('report_tags')
        .values(tags.slice(i, i + 1000))
        .execute();
  }
  // Fresh statistics, as autovacuum (PostgreSQL) or `PRAGMA optimize` would give a long-running server.
  await sql`analyze`.execute(services.db);
}

function percentile(sorted: number[], p: number): number {
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! * 100) / 100;
}

async function time(run: () => Promise<unknown>): Promise<{ p50: number; p99: number }> {
  for (let i = 0; i < 10; i += 1) await run();
  const times: number[] = [];
  for (let i = 0; i < SAMPLES; i += 1) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}

/** A caseworker made through the real services and signed in through the real pages with a TOTP code. */
async function signedInCaseworker(
  services: Services,
  app: Awaited<ReturnType<typeof createApp>>,
  orgId: string,
  clock: { advance(ms: number): void; now(): Date },
) {
  const email = `bench-${crypto.randomBytes(4).toString('hex')}@example.org`;
  const password = `correct horse ${crypto.randomBytes(6).toString('hex')}`;
  const userId = await services.db
    .transaction()
    .execute((trx) => services.accounts.createUser(trx, { orgId, role: 'caseworker', email, password }));
  const secret = await services.accounts.pendingTotpSecret(userId);
  await services.accounts.confirmTotp(userId, await totpCode(secret, clock.now()));
  clock.advance(30_000); // a TOTP step is used once
  const browser = new TestBrowser(app);
  await browser.get('/sign-in');
  await browser.post('/sign-in', { email, password });
  await browser.get('/sign-in/code');
  const signedIn = await browser.post('/sign-in/code', { code: await totpCode(secret, clock.now()) });
  if (signedIn.headers.location !== '/staff') throw new Error(`sign-in failed: ${signedIn.statusCode}`);
  return { browser, userId };
}

async function explain(services: Services, orgId: string, userId: string) {
  const filters = {
    'status + flag + dates': { status: 'open', flag: 'injured', from: '2024-01-10', to: '2024-03-01' },
    'area + source + assignee': { area: 'Docks', source: 'outreach', assigneeId: userId },
    'consent given': { consent: { scope: 'policeReport' as const, given: true } },
    'type nobody has': { type: 'rape' },
    'consent not given + flag': {
      consent: { scope: 'policeReport' as const, given: false },
      flag: 'trafficking-suspected',
    },
  };
  for (const [name, filter] of Object.entries(filters)) {
    const compiled: { sql: string; parameters: readonly unknown[] }[] = [];
    const logged = buildServicesLog(services, compiled);
    await services.reports.inbox(orgId, 1, 50, filter).catch(() => undefined);
    logged();
    const last = compiled.at(-1);
    if (!last) continue;
    const prefix = services.database.dialect === 'postgres' ? 'explain (analyze, costs off) ' : 'explain query plan ';
    const plan = await sql
      .raw(prefix + inline(last.sql, last.parameters, services.database.dialect))
      .execute(services.db);
    console.log(
      `\n-- ${services.database.dialect}: ${name}\n${plan.rows.map((r) => Object.values(r as object).join(' ')).join('\n')}`,
    );
  }
}

function inline(text: string, parameters: readonly unknown[], dialect: string): string {
  let i = 0;
  const value = (v: unknown) => (typeof v === 'number' ? String(v) : `'${String(v).replace(/'/g, "''")}'`);
  return dialect === 'postgres'
    ? text.replace(/\$(\d+)/g, (_m, n: string) => value(parameters[Number(n) - 1]))
    : text.replace(/\?/g, () => value(parameters[i++]));
}

/** Records the SQL the next inbox call runs (the database wrapper's query log hook). */
function buildServicesLog(services: Services, into: { sql: string; parameters: readonly unknown[] }[]): () => void {
  const executor = services.db.getExecutor() as unknown as {
    executeQuery: (q: { sql: string; parameters: readonly unknown[] }, id: unknown) => Promise<unknown>;
  };
  const original = executor.executeQuery.bind(executor);
  executor.executeQuery = async (q, id) => {
    into.push({ sql: q.sql, parameters: q.parameters });
    return original(q, id);
  };
  return () => {
    executor.executeQuery = original;
  };
}

async function measure(target: DatabaseTarget | undefined) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'liaison-bench-'));
  const config = loadConfig({
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    LIAISON_MASTER_KEY: crypto.randomBytes(32).toString('base64'),
    REPORT_SUBMISSION_LIMIT: '0',
  });
  let offset = 0;
  const clock = { now: () => new Date(Date.now() + offset), advance: (ms: number) => void (offset += ms) };
  const services = await buildServices(config, { ...(target ? { databaseTarget: target } : {}), now: clock.now });
  const app = await createApp(services);
  await app.ready();
  const org = await services.organisations.create(
    { kind: 'support', name: 'Bench', slug: 'bench' },
    { kind: 'system' },
  );
  const { browser, userId } = await signedInCaseworker(services, app, org.id, clock);
  const others = await Promise.all(
    [1, 2].map(() =>
      services.db.transaction().execute((trx) =>
        services.accounts.createUser(trx, {
          orgId: org.id,
          role: 'liaison',
          email: `l-${crypto.randomBytes(4).toString('hex')}@example.org`,
          password: `correct horse ${crypto.randomBytes(6).toString('hex')}`,
        }),
      ),
    ),
  );
  const seedStarted = performance.now();
  await seed(services, org.id, [userId, ...others]);
  console.log(
    `${services.database.dialect}: seeded ${REPORTS} reports in ${Math.round(performance.now() - seedStarted)} ms`,
  );
  if (process.env.BENCH_EXPLAIN === '1') await explain(services, org.id, userId);

  const inProcess = {
    first: await time(() => services.reports.inbox(org.id, 1)),
    filtered: await time(() => services.reports.inbox(org.id, 3, 50, { status: 'waiting' })),
    byReference: await time(() => services.reports.inbox(org.id, 1, 50, { reference: 'R-2222-0000' })),
  };
  const page = async (url: string) => {
    const res = await browser.get(url);
    if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode}`);
  };
  const http: Record<string, { p50: number; p99: number }> = {
    // What every signed-in page costs (session check, CSRF cookie, headers, layout): the floor under the inbox.
    'baseline: signed-in home page /staff': await time(() => page('/staff')),
    'first page': await time(() => page('/staff/reports')),
  };
  for (const [name, url] of Object.entries(FILTERED)) http[name] = await time(() => page(url));
  await app.close();
  await services.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  return { inProcess, http };
}

const sqlite = await measure(undefined);
const scratch = await scratchPostgres();
const postgres = scratch ? await measure(scratch.target).finally(() => scratch.drop()) : undefined;
const results = [['SQLite', sqlite] as const, ...(postgres ? [['PostgreSQL 15', postgres] as const] : [])];
const pages = Object.keys(sqlite.http);
const lines = [
  `Command: \`npm run bench:inbox\` (${REPORTS.toLocaleString('en-GB')} reports in one organisation, with varied status, source, area, risk flags, assignee, incident types and consent entries; ${SAMPLES} timed calls after 10 warm-up calls; times in ms).`,
  `Run: ${new Date().toISOString().slice(0, 10)} on ${os.cpus().length} cores, Node ${process.version}, load average at start ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(', ')}.`,
  '',
  'Over HTTP: the whole page through the real app (Fastify inject: session and access check, CSRF cookie, security headers, queries, Nunjucks render; sent without Accept-Encoding, so not compressed), signed in as a caseworker with a real TOTP code, 50 reports a page.',
  '',
  '| page | ' + results.map(([name]) => `${name} p50 | p99`).join(' | ') + ' |',
  '| --- | ' + results.map(() => '---: | ---:').join(' | ') + ' |',
  ...pages.map(
    (p) =>
      `| ${p}${p in FILTERED ? ` (\`${FILTERED[p as keyof typeof FILTERED].replace('/staff/reports', '')}\`)` : ''} | ` +
      results.map(([, r]) => `${r.http[p]!.p50} | ${r.http[p]!.p99}`).join(' | ') +
      ' |',
  ),
  '',
  'In process: the inbox query alone.',
  '',
  '| database | first page p50 | p99 | status filter, page 3 p50 | p99 | by reference p50 | p99 |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...results.map(
    ([name, r]) =>
      `| ${name} | ${r.inProcess.first.p50} | ${r.inProcess.first.p99} | ${r.inProcess.filtered.p50} | ${r.inProcess.filtered.p99} | ${r.inProcess.byReference.p50} | ${r.inProcess.byReference.p99} |`,
  ),
  '',
  'Target: p99 under 50 ms. Indexes: `reports (org_id, submitted_at)`, `(org_id, status, submitted_at)`, `(org_id, assignee_id, submitted_at)`, `(org_id, area, submitted_at)`, `(org_id, source, submitted_at)`; incident type, risk flag and given choices are rows in `report_tags (org_id, tag, submitted_at)` (kept in step by `casework/reportTags.ts`), so a filter on one of them walks only the reports that have it, newest first, and stops after 51 matches.',
];
replaceSection('Inbox', lines.join('\n'));
console.log(lines.join('\n'));
