// npm run bench:report — 50 concurrent submitters sending reports for 20 s, on
// SQLite and on PostgreSQL (BENCH_DATABASE_URL, default the local server), plus
// the first-visit weight of the first report page. Writes the figures to
// docs/benchmarks.md. A measurement, not a test: it asserts nothing.
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { createApp } from '../src/app.ts';
import { buildServices } from '../src/composition.ts';
import { loadConfig } from '../src/config.ts';
import type { DatabaseTarget } from '../src/platform/db/database.ts';
import { replaceSection } from './report.ts';
import { scratchPostgres } from './scratchPostgres.ts';

const CONNECTIONS = 50;
const TARGET_RATE = 50;
const SECONDS = Number(process.argv[2] ?? 20);

const REPORT = JSON.stringify({
  incidentTypes: ['physical-assault', 'robbery-or-theft'],
  account:
    'He picked me up near the arches, drove to the industrial estate, hit me and took my phone and money. '.repeat(5),
  occurredOn: '2026-11',
  area: 'Canal Street',
  perpetrator: {
    names: ['Dave'],
    phones: ['07700 900123'],
    vehicle: { colour: 'blue', make: 'Ford', registration: 'KX?? ?BC' },
    description: 'White, about 40, shaved head',
  },
  consents: { support: true, warnOthers: true },
  contact: {
    name: 'Ruby',
    methods: [{ kind: 'text', value: '07700 900456', safeToLeaveMessage: false, safeTimes: 'after 6pm' }],
  },
});

async function measure(target: DatabaseTarget | undefined) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'liaison-bench-'));
  const config = loadConfig({
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    LIAISON_MASTER_KEY: crypto.randomBytes(32).toString('base64'),
    REPORT_SUBMISSION_LIMIT: '0',
  });
  const services = await buildServices(config, target ? { databaseTarget: target } : {});
  await services.organisations.create({ kind: 'support', name: 'Bench', slug: 'bench' }, { kind: 'system' });
  const app = await createApp(services);
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  const request = {
    url: `${base}/api/v1/reports`,
    method: 'POST' as const,
    headers: { 'content-type': 'application/json' },
    body: REPORT,
  };
  await autocannon({ ...request, connections: 5, duration: 2 });
  const result = await autocannon({ ...request, connections: CONNECTIONS, duration: SECONDS, workers: 1 });
  // The same 50 submitters, but together sending the target rate of 50 reports a second.
  const paced = await autocannon({
    ...request,
    connections: CONNECTIONS,
    duration: SECONDS,
    overallRate: TARGET_RATE,
    workers: 1,
  });
  const weight = target ? undefined : await firstReportPageWeight(base);
  await app.close();
  await services.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  return {
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx,
    total: result.requests.total,
    paced: {
      rps: Math.round(paced.requests.average),
      p50: paced.latency.p50,
      p99: paced.latency.p99,
      errors: paced.errors + paced.non2xx,
    },
    weight,
  };
}

/** Bytes the server sends for one URL and encoding (plain http, so nothing is decoded on the way). */
function sentBytes(
  url: URL,
  encoding: string,
  cookie = '',
): Promise<{ bytes: number; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    http
      .get(
        { host: url.hostname, port: url.port, path: url.pathname, headers: { 'accept-encoding': encoding, cookie } },
        (response) => {
          let bytes = 0;
          response.on('data', (chunk: Buffer) => (bytes += chunk.length));
          response.on('end', () => resolve({ bytes, headers: response.headers }));
        },
      )
      .on('error', reject);
  });
}

/** The first question page ("Are you safe now?") with its CSS and JS, as a first visit fetches them. */
async function firstReportPageWeight(base: string) {
  const start = await sentBytes(new URL(`${base}/report`), 'identity');
  const cookie = String(start.headers['set-cookie']?.[0] ?? '').split(';')[0] ?? '';
  const files = [
    '/report/safe',
    '/assets/app.css',
    '/assets/app.js',
    '/assets/govuk/govuk-frontend.min.js',
    '/assets/favicon.svg',
  ];
  const totals = { brotli: 0, gzip: 0 };
  for (const file of files) {
    totals.brotli += (await sentBytes(new URL(`${base}${file}`), 'br', cookie)).bytes;
    totals.gzip += (await sentBytes(new URL(`${base}${file}`), 'gzip', cookie)).bytes;
  }
  return { files, ...totals };
}

const loadAtStart = os
  .loadavg()
  .map((n) => n.toFixed(1))
  .join(', ');
const sqlite = await measure(undefined);
const scratch = await scratchPostgres();
const postgres = scratch ? await measure(scratch.target).finally(() => scratch.drop()) : undefined;

const kb = (n: number) => (n / 1024).toFixed(1);
const machine = `${os.cpus().length} cores (${os.cpus()[0]?.model.trim()}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, load average at start ${loadAtStart}`;
const row = (name: string, f: typeof sqlite) =>
  `| ${name} | ${f.rps} | ${f.p50} | ${f.p99} | ${f.errors} | ${f.paced.rps} | ${f.paced.p50} | ${f.paced.p99} | ${f.paced.errors} |`;
const lines = [
  `Command: \`npm run bench:report\` (autocannon in a worker thread, ${CONNECTIONS} connections posting a full report as JSON to \`POST /api/v1/reports\` for ${SECONDS} s after a 2 s warm-up, loopback; each report is validated, encrypted, hashed with argon2id for its receipt code and committed with its consent entries and audit entry).`,
  `Run: ${new Date().toISOString().slice(0, 10)} on ${machine}.`,
  '',
  `| database | as fast as possible: submissions/s | p50 ms | p99 ms | errors | paced at ${TARGET_RATE}/s: submissions/s | p50 ms | p99 ms | errors |`,
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  row('SQLite (embedded, WAL, synchronous=FULL)', sqlite),
  ...(postgres
    ? [row('PostgreSQL 15 (local server)', postgres)]
    : ['| PostgreSQL | not measured: server unreachable | | | | | | | |']),
  '',
  'Target: p99 under 250 ms with at least 50 submissions/s on 2 cores. With every submitter sending as fast as it can, latency is',
  'queueing: 50 requests in flight over the argon2id-bound capacity. The paced run shows the latency at the target rate itself.',
  '',
  sqlite.weight
    ? `First report page ("Are you safe now?") on a first visit, ${sqlite.weight.files.length} files (${sqlite.weight.files.join(', ')}): **${kb(sqlite.weight.brotli)} KB with brotli**, ${kb(sqlite.weight.gzip)} KB with gzip (target: under 60 KB compressed).`
    : '',
];
replaceSection('Reporting', lines.join('\n'));
console.log(lines.join('\n'));
