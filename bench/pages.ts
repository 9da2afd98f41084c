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
const STATIC_10KB = 'x'.repeat(10 * 1024);

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'liaison-bench-'));
const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', LIAISON_MASTER_KEY: crypto.randomBytes(32).toString('base64') });
const services = await buildServices(config);
const app = await createApp(services);
// Only in this benchmark process: the yardstick the rendered page is compared with.
app.get('/bench/static-10kb', { config: { access: { kind: 'public' } } }, async (_request, reply) => reply.type('text/plain').send(STATIC_10KB));
const base = await app.listen({ port: 0, host: '127.0.0.1' });

async function load(url: string) {
  // Warm up (template compilation, JIT) before measuring.
  await autocannon({ url, connections: 10, duration: 2 });
  const result = await autocannon({ url, connections: CONNECTIONS, duration: SECONDS });
  return { rps: Math.round(result.requests.average), p50: result.latency.p50, p99: result.latency.p99, errors: result.errors + result.non2xx };
}

/** Bytes the server actually sends for one encoding (fetch would decode them, so plain http). */
function sentBytes(url: URL, encoding: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: url.hostname, port: url.port, path: url.pathname, headers: { 'accept-encoding': encoding } }, (response) => {
        let bytes = 0;
        response.on('data', (chunk: Buffer) => (bytes += chunk.length));
        response.on('end', () => resolve(bytes));
      })
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

const page = await load(`${base}/`);
const form = await load(`${base}/feedback`);
const staticString = await load(`${base}/bench/static-10kb`);
const weight = await firstVisitWeight();
await app.close();
await services.close();
fs.rmSync(dataDir, { recursive: true, force: true });

const ratio = Math.round((page.rps / staticString.rps) * 100);
const kb = (n: number) => (n / 1024).toFixed(1);
const machine = `${os.cpus().length} cores (${os.cpus()[0]?.model.trim()}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}`;
const lines = [
  `Command: \`npm run bench:pages\` (autocannon, ${CONNECTIONS} connections, ${SECONDS} s per target after a 2 s warm-up, loopback, SQLite).`,
  `Run: ${new Date().toISOString().slice(0, 10)} on ${machine}.`,
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
