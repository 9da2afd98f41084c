// npm run bench:pages — throughput of the rendered public home page against a
// static 10 KB string served by the same server in the same run, plus the
// first-visit weight of the home page with its CSS and JS. Writes the figures
// to docs/benchmarks.md. A measurement, not a test: it asserts nothing.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import autocannon from 'autocannon';
import { createApp } from '../src/app.ts';
import { buildServices } from '../src/composition.ts';
import { loadConfig } from '../src/config.ts';
import { replaceSection } from './report.ts';

const CONNECTIONS = 100;
const SECONDS = Number(process.argv[2] ?? 10);
const ROUNDS = 2;
const STATIC_10KB = 'x'.repeat(10 * 1024);

// Other work on the machine skews throughput; the ratio (same run) is steadier, and the load is recorded.
const loadAtStart = os
  .loadavg()
  .map((n) => n.toFixed(1))
  .join(', ');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'liaison-bench-'));
const config = loadConfig({
  DATA_DIR: dataDir,
  LOG_LEVEL: 'silent',
  LIAISON_MASTER_KEY: crypto.randomBytes(32).toString('base64'),
  REPORT_SUBMISSION_LIMIT: '0',
});
const services = await buildServices(config);
const app = await createApp(services);
// Only in this benchmark process: the yardstick the rendered page is compared with.
app.get('/bench/static-10kb', { config: { access: { kind: 'public' } } }, async (_request, reply) =>
  reply.type('text/plain').send(STATIC_10KB),
);
const base = await app.listen({ port: 0, host: '127.0.0.1' });

interface Figures {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

async function measure(url: string, seconds: number): Promise<Figures> {
  // The load generator runs in a worker thread so it does not share the server's event loop.
  const result = await autocannon({ url, connections: CONNECTIONS, duration: seconds, workers: 1 });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx,
  };
}

/**
 * Measures the targets in alternating rounds, so a change in other load on the
 * machine during the run touches every target alike. Requests/s is the mean of
 * the rounds; the latencies are from the slowest round.
 */
async function compare(urls: string[]): Promise<Figures[]> {
  // Warm up (template compilation, JIT) before measuring.
  for (const url of urls) await autocannon({ url, connections: 10, duration: 2 });
  const rounds: Figures[][] = urls.map(() => []);
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const [i, url] of urls.entries()) rounds[i]!.push(await measure(url, SECONDS / ROUNDS));
  }
  return rounds.map((figures) => ({
    rps: Math.round(figures.reduce((sum, f) => sum + f.rps, 0) / figures.length),
    p50: Math.max(...figures.map((f) => f.p50)),
    p99: Math.max(...figures.map((f) => f.p99)),
    errors: figures.reduce((sum, f) => sum + f.errors, 0),
  }));
}

/** Bytes the server actually sends for one encoding (fetch would decode them, so plain http). */
function sentBytes(url: URL, encoding: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(
        { host: url.hostname, port: url.port, path: url.pathname, headers: { 'accept-encoding': encoding } },
        (response) => {
          let bytes = 0;
          response.on('data', (chunk: Buffer) => (bytes += chunk.length));
          response.on('end', () => resolve(bytes));
        },
      )
      .on('error', reject);
  });
}

async function firstVisitWeight() {
  const html = await (await fetch(`${base}/`)).text();
  const linked = [...html.matchAll(/(?:href|src)="(\/assets\/[^"]+)"/g)].map((m) => m[1]!);
  // app.js imports the GOV.UK Frontend module, so a first visit fetches it too.
  const files = [...new Set(['/', ...linked, '/assets/govuk/govuk-frontend.min.js'])];
  const totals = { raw: 0, brotli: 0, gzip: 0 };
  for (const file of files) {
    const url = new URL(`${base}${file}`);
    totals.raw += await sentBytes(url, 'identity');
    totals.brotli += await sentBytes(url, 'br');
    totals.gzip += await sentBytes(url, 'gzip');
  }
  return { files, ...totals };
}

const [page, form, staticString] = (await compare([`${base}/`, `${base}/feedback`, `${base}/bench/static-10kb`])) as [
  Figures,
  Figures,
  Figures,
];
const weight = await firstVisitWeight();
await app.close();
await services.close();
fs.rmSync(dataDir, { recursive: true, force: true });

const ratio = Math.round((page.rps / staticString.rps) * 100);
const kb = (n: number) => (n / 1024).toFixed(1);
const machine = `${os.cpus().length} cores (${os.cpus()[0]?.model.trim()}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}`;
const lines = [
  `Command: \`npm run bench:pages\` (autocannon in a worker thread, ${CONNECTIONS} connections, ${SECONDS} s per target in ${ROUNDS} alternating rounds after a 2 s warm-up, loopback, SQLite). Requests/s: mean of the rounds; latency: the slower round.`,
  `Run: ${new Date().toISOString().slice(0, 10)} on ${machine}; load average at start ${loadAtStart}.`,
  '',
  '| target | requests/s | p50 ms | p99 ms | errors |',
  '| --- | ---: | ---: | ---: | ---: |',
  `| public home page (GOV.UK template, rendered once, nonce filled in per response) | ${page.rps} | ${page.p50} | ${page.p99} | ${page.errors} |`,
  `| feedback form (rendered on every request, with a new CSRF cookie each time) | ${form.rps} | ${form.p50} | ${form.p99} | ${form.errors} |`,
  `| static 10 KB string, same server | ${staticString.rps} | ${staticString.p50} | ${staticString.p99} | ${staticString.errors} |`,
  '',
  `Rendered page throughput is **${ratio}%** of the static string's (target: at least 50%).`,
  '',
  `First visit to the home page, ${weight.files.length} files (${weight.files.join(', ')}): ${kb(weight.raw)} KB uncompressed, **${kb(weight.brotli)} KB with brotli**, ${kb(weight.gzip)} KB with gzip (target: under 60 KB compressed).`,
];
replaceSection('Public pages', lines.join('\n'));
console.log(lines.join('\n'));
