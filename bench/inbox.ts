// npm run bench:inbox — the report inbox with 100,000 reports: first page and a
// filtered page (status), on SQLite and on PostgreSQL (BENCH_DATABASE_URL,
// default the local server). Reports are inserted directly (the receipt
// code's argon2id hash would take minutes for 100,000); what is measured is the
// inbox query and page. Writes p50/p99 to docs/benchmarks.md; asserts nothing.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildServices, type Services } from '../src/composition.ts';
import { loadConfig } from '../src/config.ts';
import type { DatabaseTarget } from '../src/platform/db/database.ts';
import { replaceSection } from './report.ts';
import { scratchPostgres } from './scratchPostgres.ts';

const REPORTS = Number(process.argv[2] ?? 100_000);
const SAMPLES = 200;
const STATUSES = ['new', 'open', 'waiting', 'closed'] as const;

async function seed(services: Services, orgId: string): Promise<void> {
  const account = services.cipher.encrypt('Seeded account', 'reports.account');
  const details = services.cipher.encrypt('{"perpetrator":{"names":[],"phones":[],"emails":[],"handles":[]}}', 'reports.details');
  const start = Date.parse('2024-01-01T00:00:00Z');
  for (let done = 0; done < REPORTS; done += 1000) {
    const rows = Array.from({ length: Math.min(1000, REPORTS - done) }, (_, i) => {
      const n = done + i;
      return {
        id: crypto.randomUUID(),
        org_id: orgId,
        reference: `R-${n.toString(36).toUpperCase().padStart(4, '2')}-${crypto.randomBytes(2).toString('hex').toUpperCase()}`,
        receipt_lookup: crypto.randomBytes(32).toString('hex'),
        receipt_verifier: 'seeded',
        idempotency_hash: null,
        source: 'online' as const,
        recorded_by: null,
        status: STATUSES[n % 4]!,
        incident_types: '["physical-assault"]',
        occurred_on: null,
        area: null,
        account_enc: account,
        details_enc: details,
        contact_enc: null,
        submitted_at: new Date(start + n * 60_000).toISOString(),
      };
    });
    await services.db.insertInto('reports').values(rows).execute();
  }
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

async function measure(target: DatabaseTarget | undefined) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'liaison-bench-'));
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', LIAISON_MASTER_KEY: crypto.randomBytes(32).toString('base64') });
  const services = await buildServices(config, target ? { databaseTarget: target } : {});
  const org = await services.organisations.create({ kind: 'support', name: 'Bench', slug: 'bench' }, { kind: 'system' });
  await seed(services, org.id);
  const first = await time(() => services.reports.inbox(org.id, 1));
  const filtered = await time(() => services.reports.inbox(org.id, 3, 50, { status: 'waiting' }));
  const byReference = await time(() => services.reports.inbox(org.id, 1, 50, { reference: 'R-2222-0000' }));
  await services.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  return { first, filtered, byReference };
}


const sqlite = await measure(undefined);
const scratch = await scratchPostgres();
const postgres = scratch ? await measure(scratch.target).finally(() => scratch.drop()) : undefined;
const row = (name: string, f: typeof sqlite) =>
  `| ${name} | ${f.first.p50} | ${f.first.p99} | ${f.filtered.p50} | ${f.filtered.p99} | ${f.byReference.p50} | ${f.byReference.p99} |`;
const lines = [
  `Command: \`npm run bench:inbox\` (${REPORTS.toLocaleString('en-GB')} reports in one organisation; ${SAMPLES} timed calls of the inbox query after 10 warm-up calls; times in ms, in process).`,
  `Run: ${new Date().toISOString().slice(0, 10)} on ${os.cpus().length} cores, Node ${process.version}.`,
  '',
  '| database | first page p50 | p99 | status filter, page 3 p50 | p99 | by reference p50 | p99 |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  row('SQLite', sqlite),
  ...(postgres ? [row('PostgreSQL 15', postgres)] : []),
  '',
  'Target: p99 under 50 ms.',
];
replaceSection('Inbox', lines.join('\n'));
console.log(lines.join('\n'));
