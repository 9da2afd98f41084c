// npm run bench:startup [-- RUNS] — how long `liaison serve` takes from spawn to the first 200 from
// /healthz, and the server process's peak resident memory, on SQLite with an empty data directory,
// two ways in one run: the compiled code (`node bin/liaison.js serve`, what `npm start` runs) and the
// TypeScript sources through tsx's loader (how bin/liaison.js ran them before there was a build).
// Writes the figures to docs/benchmarks.md. A measurement, not a test: it asserts nothing.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { replaceSection } from './report.ts';

const RUNS = Number(process.argv[2] ?? 5);
const POLL_MS = 20;
const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'bin', 'liaison.js');
const source = (file: string) => JSON.stringify(pathToFileURL(path.join(root, file)).href);

/** The old bin/liaison.js, word for word, but for its imports' absolute paths. */
const TSX_ENTRY = [
  "import { register } from 'tsx/esm/api';",
  'register();',
  `const { nodeVersionProblem } = await import(${source('src/platform/nodeVersion.ts')});`,
  'const problem = nodeVersionProblem(process.version);',
  'if (problem) { console.error(problem); process.exit(1); }',
  `const { runCli } = await import(${source('src/cli/main.ts')});`,
  "process.exitCode = await runCli(['serve']);",
].join('\n');

const MODES = {
  compiled: { label: 'compiled (`node bin/liaison.js serve`)', args: [bin, 'serve'] },
  tsx: { label: 'sources through tsx (the earlier bin/liaison.js)', args: ['--input-type=module', '-e', TSX_ENTRY] },
} as const;
type Mode = keyof typeof MODES;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Peak resident set size of a live process, in MiB. */
function peakRssMiB(pid: number): number {
  const kib = /^VmHWM:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kib) / 1024;
}

async function once(mode: Mode): Promise<{ ms: number; rssMiB: number }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'liaison-startup-'));
  const port = await freePort();
  const env = { PATH: process.env.PATH ?? '', DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'warn' };
  const started = performance.now();
  const child = spawn(process.execPath, MODES[mode].args, { cwd: root, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let errors = '';
  child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${mode}: the server exited (${child.exitCode}): ${errors}`);
      if (performance.now() - started > 60_000) throw new Error(`${mode}: no answer from /healthz in 60 s`);
      try {
        if ((await fetch(`http://127.0.0.1:${port}/healthz`)).status === 200) break;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    const ms = performance.now() - started;
    return { ms, rssMiB: peakRssMiB(child.pid!) };
  } finally {
    child.kill('SIGTERM');
    await exited;
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

const loadAtStart = os
  .loadavg()
  .map((n) => n.toFixed(1))
  .join(', ');
// A full build first (timed on its own), so no run below waits on one.
const buildStarted = performance.now();
execFileSync(process.execPath, [path.join(root, 'scripts', 'build.js')], { cwd: root, stdio: 'inherit' });
const buildSeconds = (performance.now() - buildStarted) / 1000;

const samples: Record<Mode, { ms: number[]; rssMiB: number[] }> = {
  compiled: { ms: [], rssMiB: [] },
  tsx: { ms: [], rssMiB: [] },
};
// Alternating, so load from other work on the machine falls on both ways alike.
for (let run = 0; run < RUNS; run++) {
  for (const mode of Object.keys(MODES) as Mode[]) {
    const { ms, rssMiB } = await once(mode);
    samples[mode].ms.push(ms);
    samples[mode].rssMiB.push(rssMiB);
    console.error(`${mode} run ${run + 1}: ${ms.toFixed(0)} ms, ${rssMiB.toFixed(1)} MiB`);
  }
}

function summary(values: number[], digits: number): string {
  const sorted = [...values].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  return [sorted[0]!, median, sorted.at(-1)!].map((n) => n.toFixed(digits)).join(' | ');
}

const machine = `${os.cpus().length} cores (${os.cpus()[0]?.model.trim()}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}`;
const lines = [
  `Command: \`npm run bench:startup\` (${RUNS} runs of each way, alternating, after a full \`npm run build\`; each run spawns the server on SQLite with a new empty \`DATA_DIR\`, so it creates the database, runs every migration, writes the master key and issues the setup link, and polls \`/healthz\` every ${POLL_MS} ms; memory is the server process's peak resident set, \`VmHWM\` in \`/proc/PID/status\`, read once it answers).`,
  `Run: ${new Date().toISOString().slice(0, 10)} on ${machine}; load average at start ${loadAtStart}.`,
  '',
  '| way | ms to first 200 from /healthz: min | median | max | peak RSS MiB: min | median | max |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...(Object.keys(MODES) as Mode[]).map(
    (mode) => `| ${MODES[mode].label} | ${summary(samples[mode].ms, 0)} | ${summary(samples[mode].rssMiB, 1)} |`,
  ),
  '',
  `The compiled runs include bin/liaison.js comparing the sources with \`dist/\`; the tsx runs use tsx's cache of transformed files, warm after the first, so they show its best case. The build itself (\`npm run build\`: tsc over \`src/\` with type checking, then the templates and stylesheets copied) took ${buildSeconds.toFixed(1)} s; \`liaison\` does it on the first start after a clone or an edit.`,
];
replaceSection('Start-up', lines.join('\n'));
console.log(lines.join('\n'));
