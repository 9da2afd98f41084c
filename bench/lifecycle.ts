// npm run bench:lifecycle [REPORTS] — erasure and re-encryption of 100,000
// reports, on SQLite and on PostgreSQL (BENCH_DATABASE_URL, default the local
// server), while the public site is under load:
//  - re-encryption: a key rotation, then `dataKeys.reencrypt` (what `liaison keys
//    reencrypt` and the keys.reencrypt job run) over every encrypted column;
//  - erasure: the nightly `retention.apply` (the retention.apply job), which finds
//    every report past its period and erases each in a transaction of its own.
// During each, a worker thread (bench/siteLoad.mjs) asks for the public home page
// 100 times a second (BENCH_SITE_RATE); its p99 is the site's latency while the work runs, next to
// the same figure with nothing running. Reports are inserted directly (the
// receipt code's argon2id hash would take minutes for 100,000), two years and
// more old, with an account, perpetrator details and a message from the charity
// for one in ten. Writes the figures to docs/benchmarks.md.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { createApp } from '../src/app.ts';
import { buildServices, type Services } from '../src/composition.ts';
import { loadConfig } from '../src/config.ts';
import type { DatabaseTarget } from '../src/platform/db/database.ts';
import { replaceSection } from './report.ts';
import { scratchPostgres } from './scratchPostgres.ts';

const REPORTS = Number(process.argv[2] ?? 100_000);
const START = Date.parse('2021-01-01T00:00:00Z');
/** Public page requests per second while the work runs: far more than a charity's site sees. */
const SITE_RATE = Number(process.env.BENCH_SITE_RATE ?? 100);

async function seed(services: Services, orgId: string): Promise<void> {
  const { cipher, db } = services;
  const details = cipher.encrypt(
    JSON.stringify({ perpetrator: { names: ['Dave'], phones: ['+447700900123'], emails: [], handles: [] } }),
    'reports.details',
  );
  for (let done = 0; done < REPORTS; done += 1000) {
    const rows = Array.from({ length: Math.min(1000, REPORTS - done) }, (_, i) => {
      const n = done + i;
      return {
        id: crypto.randomUUID(),
        org_id: orgId,
        reference: `R-${n.toString(36).toUpperCase().padStart(4, '0')}-${crypto.randomBytes(2).toString('hex').toUpperCase()}`,
        receipt_lookup: crypto.randomBytes(32).toString('hex'),
        receipt_verifier: 'seeded',
        idempotency_hash: null,
        source: 'online' as const,
        recorded_by: null,
        status: 'new' as const,
        incident_types: JSON.stringify(['physical-assault']),
        occurred_on: null,
        area: null,
        account_enc: cipher.encrypt(`Seeded account ${n}: he followed me from the arches.`, 'reports.account'),
        details_enc: details,
        contact_enc: null,
        submitted_at: new Date(START + n * 60_000).toISOString(),
        priority: 'normal' as const,
        risk_flags: '[]',
      };
    });
    await db.insertInto('reports').values(rows).execute();
    // Reports the charity wrote to are not "no contact": one in ten gets a message, so re-encryption has more to do.
    const messages = rows
      .filter((_, i) => i % 10 === 0)
      .map((r) => ({
        id: crypto.randomUUID(),
        report_id: r.id,
        sender: 'support' as const,
        author_id: null,
        body_enc: cipher.encrypt('We have read your report. Reply here any time.', 'report_messages.body'),
        sent_at: r.submitted_at,
      }));
    if (messages.length) await db.insertInto('report_messages').values(messages).execute();
  }
}

interface SiteFigures {
  p50: number;
  p99: number;
  requests: number;
  errors: number;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;

/** The public home page under load from a worker thread (its own event loop), until stopped. */
function loadPublicPage(url: string): { stop(): Promise<SiteFigures> } {
  const worker = new Worker(new URL('./siteLoad.mjs', import.meta.url), {
    workerData: { url, connections: 10, perSecond: SITE_RATE },
  });
  return {
    stop: () =>
      new Promise((resolve) => {
        worker.once('message', ({ times, errors }: { times: number[]; errors: number }) => {
          const sorted = times.sort((x, y) => x - y);
          void worker.terminate();
          resolve({
            p50: Math.round(percentile(sorted, 0.5)),
            p99: Math.round(percentile(sorted, 0.99)),
            requests: sorted.length,
            errors,
          });
        });
        worker.postMessage('stop');
      }),
  };
}

async function timed<T>(url: string, work: () => Promise<T>) {
  const load = loadPublicPage(url);
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const started = performance.now();
  const result = await work();
  const seconds = (performance.now() - started) / 1000;
  return { result, seconds, site: await load.stop() };
}

async function run(kind: string, target: DatabaseTarget | undefined) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'liaison-bench-lifecycle-'));
  const config = loadConfig({
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    LIAISON_MASTER_KEY: crypto.randomBytes(32).toString('base64'),
    REPORT_SUBMISSION_LIMIT: '0',
    JOBS_IN_SERVE: 'off',
  });
  const services = await buildServices(config, target ? { databaseTarget: target } : {});
  const app = await createApp(services);
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    const org = await services.organisations.create(
      { kind: 'support', name: 'Bench charity', slug: 'bench' },
      { kind: 'system' },
    );
    const seedStarted = performance.now();
    await seed(services, org.id);
    console.log(`${kind}: seeded ${REPORTS} reports in ${((performance.now() - seedStarted) / 1000).toFixed(0)} s`);

    const quiet = await timed(`${base}/`, () => new Promise((resolve) => setTimeout(resolve, 5000)));
    console.log(`${kind}: public page p99 with nothing running ${quiet.site.p99} ms`);

    const operator = { kind: 'cli' } as const;
    await services.dataKeys.rotate(operator);
    const reencrypt = await timed(`${base}/`, () => services.dataKeys.reencrypt(operator, { batchSize: 500 }));
    console.log(
      `${kind}: re-encrypted ${reencrypt.result.rewrapped} values in ${reencrypt.seconds.toFixed(0)} s, site p99 ${reencrypt.site.p99} ms`,
    );

    const erase = await timed(`${base}/`, () => services.retention.apply());
    console.log(
      `${kind}: erased ${erase.result.uncontacted + erase.result.closed} reports in ${erase.seconds.toFixed(0)} s, site p99 ${erase.site.p99} ms`,
    );
    return { kind, quiet, reencrypt, erase };
  } finally {
    await app.close();
    await services.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

const results = [await run('SQLite', undefined)];
const pg = await scratchPostgres();
if (pg) {
  try {
    results.push(await run('PostgreSQL', pg.target));
  } finally {
    await pg.drop();
  }
}

const minutes = (s: number) => `${s.toFixed(0)} s (${(s / 60).toFixed(1)} min)`;
const lines = [
  `Command: \`npm run bench:lifecycle\` (${REPORTS.toLocaleString('en-GB')} reports, one in ten with a message; ${os.cpus().length} cores, Node ${process.version}). The public home page is asked for ${SITE_RATE} times a second (paced, 10 keep-alive connections, from a worker thread) while each runs; p99 is the site's latency meanwhile. Targets: each under 10 minutes, public p99 under 200 ms.`,
  '',
  '| database | work | done | time | public p99 meanwhile (ms) | requests served | errors |',
  '| --- | --- | ---: | ---: | ---: | ---: | ---: |',
  ...results.flatMap((r) => [
    `| ${r.kind} | nothing (baseline) | | 5 s | ${r.quiet.site.p99} | ${r.quiet.site.requests} | ${r.quiet.site.errors} |`,
    `| ${r.kind} | re-encryption after rotating the key | ${r.reencrypt.result.rewrapped} values | ${minutes(r.reencrypt.seconds)} | ${r.reencrypt.site.p99} | ${r.reencrypt.site.requests} | ${r.reencrypt.site.errors} |`,
    `| ${r.kind} | erasure by the retention schedule | ${r.erase.result.uncontacted + r.erase.result.closed} reports | ${minutes(r.erase.seconds)} | ${r.erase.site.p99} | ${r.erase.site.requests} | ${r.erase.site.errors} |`,
  ]),
];
replaceSection('Data lifecycle: erasure and re-encryption', lines.join('\n'));
console.log(lines.join('\n'));
