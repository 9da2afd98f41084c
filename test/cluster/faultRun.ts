// `npm run test:cluster`: two Liaison instances on one fresh PostgreSQL database
// behind nginx (deploy/nginx.conf), with faults injected while reports stream
// in: one instance killed with SIGKILL and restarted, every database connection
// terminated twice, a lock on the audit chain's head held for 20 s. Then every
// report that got 201 must open with its receipt code, both instances must be
// serving, and `liaison audit verify` must pass. Prints a table; exits non-zero
// on failure. Loopback only; bounded load.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { totpCode } from '../../src/features/staff/twoFactor.ts';
import { COMPILED_ENV, ensureCompiled } from '../support/compiled.ts';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const adminUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const SENDERS = 6;
const MAX_SUBMISSIONS = 4000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const problems: string[] = [];
const check = (ok: boolean, message: string) => {
  if (!ok) problems.push(message);
};

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

// ---- the database, instances and balancer -----------------------------------

const dbName = `liaison_cluster_${crypto.randomBytes(5).toString('hex')}`;
const dbUrl = Object.assign(new URL(adminUrl), { pathname: `/${dbName}` }).toString();
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'liaison-cluster-'));
const [portA, portB, portLb] = [await freePort(), await freePort(), await freePort()];
const env = {
  PATH: process.env.PATH ?? '',
  DATABASE_URL: dbUrl,
  LIAISON_MASTER_KEY: crypto.randomBytes(32).toString('base64'),
  DATA_DIR: work,
  // nginx on loopback is the one proxy the instances trust.
  TRUST_PROXY: '127.0.0.1',
  PUBLIC_URL: `http://127.0.0.1:${portLb}`,
  LOG_LEVEL: 'warn',
  // Every sender comes from loopback through the balancer: one address.
  REPORT_SUBMISSION_LIMIT: '0',
  ...COMPILED_ENV,
};

interface Instance {
  name: string;
  port: number;
  child?: ChildProcess;
  output: string;
}
const instances: Instance[] = [
  { name: 'A', port: portA, output: '' },
  { name: 'B', port: portB, output: '' },
];

function start(instance: Instance): void {
  const child = spawn(process.execPath, [path.join(root, 'bin', 'liaison.js'), 'serve'], {
    env: { ...env, PORT: String(instance.port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (chunk: Buffer) => (instance.output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (instance.output += chunk.toString()));
  instance.child = child;
}

async function ready(port: number, timeoutMs = 60_000): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200) return Date.now() - started;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(`port ${port} not ready within ${timeoutMs} ms`);
}

function startNginx(): ChildProcess {
  const state = path.join(work, 'nginx');
  fs.mkdirSync(state, { recursive: true });
  const values: Record<string, string> = {
    LIAISON_LISTEN: `127.0.0.1:${portLb}`,
    LIAISON_APP_1: `127.0.0.1:${portA}`,
    LIAISON_APP_2: `127.0.0.1:${portB}`,
    LIAISON_STATE_DIR: state,
  };
  const conf = fs
    .readFileSync(path.join(root, 'deploy', 'nginx.conf'), 'utf8')
    .replace(/\$\{(LIAISON_[A-Z_0-9]+)\}/g, (_m, name: string) => values[name] ?? _m);
  fs.writeFileSync(path.join(state, 'nginx.conf'), conf);
  const child = spawn(
    'nginx',
    ['-e', 'stderr', '-p', state, '-c', path.join(state, 'nginx.conf'), '-g', 'daemon off;'],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  );
  return child;
}

// ---- a small cookie-keeping client -----------------------------------------

class Client {
  private readonly cookies = new Map<string, string>();
  constructor(private base: string) {}
  at(base: string): Client {
    const other = new Client(base);
    for (const [k, v] of this.cookies) other.cookies.set(k, v);
    return other;
  }
  async request(
    url: string,
    init: RequestInit = {},
  ): Promise<{ status: number; body: string; location: string | null }> {
    const res = await fetch(new URL(url, this.base), {
      ...init,
      redirect: 'manual',
      headers: {
        ...(init.headers as Record<string, string>),
        cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
      },
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const [name, ...value] = pair!.split('=');
      this.cookies.set(name!.trim(), value.join('='));
    }
    return { status: res.status, body: await res.text(), location: res.headers.get('location') };
  }
  async form(url: string, page: string, fields: Record<string, string>) {
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';
    return this.request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrf, ...fields }).toString(),
    });
  }
}

// ---- load -----------------------------------------------------------------

interface Outcome {
  phase: string;
  at: number;
  ms: number;
  status: number;
  cause: string;
  reference?: string;
  receiptCode?: string;
}
const outcomes: Outcome[] = [];
let phase = 'warm-up';
let target = `http://127.0.0.1:${portLb}`;
let sending = true;
let paceMs = 0;

async function sender(id: number): Promise<void> {
  let n = 0;
  while (sending && outcomes.length < MAX_SUBMISSIONS) {
    const started = Date.now();
    const body = JSON.stringify({ incidentTypes: ['physical-assault'], account: `Cluster run report ${id}-${n++}.` });
    let outcome: Outcome;
    try {
      const res = await fetch(`${target}/api/v1/reports`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        signal: AbortSignal.timeout(30_000),
      });
      const text = await res.text();
      let json: { reference?: string; receiptCode?: string; error?: { code?: string } } = {};
      try {
        json = JSON.parse(text);
      } catch {
        // nginx's own error pages are HTML
      }
      const cause = res.status === 201 ? 'ok' : `${res.status} ${json.error?.code ?? 'balancer'}`;
      outcome = {
        phase,
        at: started,
        ms: Date.now() - started,
        status: res.status,
        cause,
        reference: json.reference,
        receiptCode: json.receiptCode,
      };
    } catch (error) {
      outcome = { phase, at: started, ms: Date.now() - started, status: 0, cause: `network ${(error as Error).name}` };
    }
    outcomes.push(outcome);
    if (paceMs) await sleep(paceMs);
  }
}

const recovery: Record<string, number> = {};
/** Time from `since` until the first 201 that was sent after it. */
async function firstSuccessAfter(since: number, label: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const ok = outcomes.find((o) => o.status === 201 && o.at >= since);
    if (ok) {
      recovery[label] = (ok.at + ok.ms - since) / 1000;
      return;
    }
    await sleep(50);
  }
  problems.push(`${label}: no successful submission within 60 s`);
}

// ---- the run ----------------------------------------------------------------

let nginx: ChildProcess | undefined;
const admin = new pg.Client({ connectionString: adminUrl });
const runStarted = Date.now();
try {
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);

  // dist/ is built first, so no instance's start (nor its 60 s readiness limit) waits on a build.
  ensureCompiled();
  // Both instances start at once on the empty database (migrations, first key, setup link).
  instances.forEach(start);
  await Promise.all(instances.map((instance) => ready(instance.port)));
  nginx = startNginx();
  await ready(portLb);
  const links = instances.map((instance) => /http:\/\/\S+\/setup\/\S+/.exec(instance.output)?.[0]);
  check(
    links.filter(Boolean).length === 1,
    `expected exactly one setup link printed, got ${links.filter(Boolean).length}`,
  );
  const keys = await (async () => {
    const c = new pg.Client({ connectionString: dbUrl });
    await c.connect();
    const { rows } = await c.query('select count(*)::int as n from data_keys where retired_at is null');
    await c.end();
    return rows[0].n as number;
  })();
  check(keys === 1, `expected one active data key, found ${keys}`);

  // Set-up and two-factor enrolment through the balancer, then the session on each instance.
  const staff = new Client(`http://127.0.0.1:${portLb}`);
  const setupPath = new URL(links.find(Boolean)!).pathname;
  const setupPage = await staff.request(setupPath);
  const made = await staff.form(setupPath, setupPage.body, {
    orgName: 'Cluster Project',
    orgSlug: 'cluster',
    email: 'admin@example.org',
    password: 'violet tram umbrella 48',
  });
  check(made.location === '/account/two-factor', `set-up answered ${made.status}`);
  const enrol = await staff.request('/account/two-factor');
  const secret = /id="totp-secret"[^>]*>([A-Z2-7 ]+)</.exec(enrol.body)?.[1]?.replace(/ /g, '') ?? '';
  await staff.form('/account/two-factor', enrol.body, { code: await totpCode(secret, new Date()) });
  for (const instance of instances) {
    const home = await staff.at(`http://127.0.0.1:${instance.port}`).request('/staff');
    check(
      home.status === 200 && home.body.includes('Cluster Project'),
      `staff session not accepted by instance ${instance.name} (${home.status})`,
    );
  }

  const senders = Array.from({ length: SENDERS }, (_, i) => sender(i));
  await sleep(2000);

  // Steady figures: two instances through the balancer, then one instance directly.
  const steady = async (name: string, url: string) => {
    phase = name;
    target = url;
    await sleep(6000);
  };
  // Alternated, so warm-up and other load on the machine do not favour one side.
  await steady('steady, 2 instances (1st)', `http://127.0.0.1:${portLb}`);
  await steady('steady, 1 instance (1st)', `http://127.0.0.1:${portA}`);
  await steady('steady, 2 instances (2nd)', `http://127.0.0.1:${portLb}`);
  await steady('steady, 1 instance (2nd)', `http://127.0.0.1:${portA}`);
  target = `http://127.0.0.1:${portLb}`;
  paceMs = 50;

  // (a) one instance killed and restarted.
  phase = '(a) SIGKILL B';
  const killedAt = Date.now();
  instances[1]!.child!.kill('SIGKILL');
  const afterKill = firstSuccessAfter(killedAt, '(a) first 201 after kill');
  await sleep(3000);
  instances[1]!.output = '';
  start(instances[1]!);
  await ready(portB);
  recovery['(a) B ready again'] = (Date.now() - killedAt) / 1000;
  await afterKill;
  await sleep(2000);

  // (b) every connection to the database terminated, twice.
  phase = '(b) terminate x2';
  const terminate = () =>
    admin.query(
      'select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
      [dbName],
    );
  const firstCut = Date.now();
  await terminate();
  await firstSuccessAfter(firstCut, '(b) first 201 after 1st cut');
  await sleep(2000);
  const secondCut = Date.now();
  await terminate();
  await firstSuccessAfter(secondCut, '(b) first 201 after 2nd cut');
  await sleep(2000);

  // (c) the audit chain's head row locked for 20 s.
  phase = '(c) audit_head locked 20 s';
  const locker = new pg.Client({ connectionString: dbUrl });
  await locker.connect();
  await locker.query('begin');
  await locker.query('select * from audit_head for update');
  await sleep(20_000);
  await locker.query('rollback');
  const released = Date.now();
  await locker.end();
  phase = 'after';
  await firstSuccessAfter(released, '(c) first 201 after release');
  await sleep(2000);
  sending = false;
  await Promise.all(senders);

  // Every instance serving again, without outside help.
  for (const instance of instances) {
    const res = await fetch(`http://127.0.0.1:${instance.port}/readyz`).catch(() => undefined);
    check(res?.status === 200, `instance ${instance.name} not ready after the run`);
  }

  // Every 201 opens with its receipt code, on both instances. Each report is opened as its own
  // person would, from an address of their own (the instances trust 127.0.0.1 as their proxy): from
  // one address the receipt-code guard checks one code at a time, as it should.
  const accepted = outcomes.filter((o) => o.status === 201);
  let unreadable = 0;
  for (let i = 0; i < accepted.length; i += SENDERS) {
    await Promise.all(
      accepted.slice(i, i + SENDERS).map(async (o, j) => {
        const n = i + j;
        const port = n % 2 === 0 ? portA : portB;
        const res = await fetch(`http://127.0.0.1:${port}/api/v1/reports/self`, {
          headers: {
            authorization: `Receipt ${o.receiptCode!.replace(/ /g, '-')}`,
            'x-forwarded-for': `127.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`,
          },
        });
        const json = res.status === 200 ? ((await res.json()) as { reference?: string }) : {};
        if (json.reference !== o.reference) unreadable += 1;
      }),
    );
  }
  check(
    unreadable === 0,
    `${unreadable} of ${accepted.length} accepted reports could not be opened with their receipt code`,
  );

  const verify = await promisify(execFile)(
    process.execPath,
    [path.join(root, 'bin', 'liaison.js'), 'audit', 'verify'],
    { env },
  ).then(
    (r) => ({ code: 0, out: r.stdout }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
  );
  check(verify.code === 0, `liaison audit verify failed: ${verify.out.trim()}`);

  // ---- the table ----
  const phases = [...new Set(outcomes.map((o) => o.phase))].filter((p) => p !== 'warm-up');
  const rows = phases.map((name) => {
    const list = outcomes.filter((o) => o.phase === name);
    const ok = list.filter((o) => o.status === 201);
    const spanS = (Math.max(...list.map((o) => o.at + o.ms)) - Math.min(...list.map((o) => o.at))) / 1000;
    const times = ok.map((o) => o.ms).sort((a, b) => a - b);
    const causes = Object.entries(
      list
        .filter((o) => o.status !== 201)
        .reduce<Record<string, number>>((acc, o) => ({ ...acc, [o.cause]: (acc[o.cause] ?? 0) + 1 }), {}),
    )
      .map(([cause, n]) => `${cause}: ${n}`)
      .join(', ');
    return [
      name,
      String(list.length),
      String(ok.length),
      (ok.length / spanS).toFixed(1),
      String(times[Math.floor(times.length * 0.99)] ?? '-'),
      causes || '-',
    ];
  });
  const header = ['phase', 'requests', '201', '201/s', 'p99 ms', 'failures by cause'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  console.log('');
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  rows.forEach((r) => console.log(line(r)));
  console.log('');
  console.log('| recovery | seconds |');
  console.log('|---|---|');
  for (const [label, seconds] of Object.entries(recovery)) console.log(`| ${label} | ${seconds.toFixed(1)} |`);
  console.log('');
  console.log(
    `${accepted.length} accepted reports opened with their receipt codes; audit trail verified; run took ${((Date.now() - runStarted) / 1000).toFixed(0)} s.`,
  );
} catch (error) {
  problems.push(`run stopped: ${(error as Error).message}`);
} finally {
  sending = false;
  for (const instance of instances) instance.child?.kill('SIGTERM');
  nginx?.kill('SIGQUIT');
  await sleep(1000);
  await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch(() => {});
  await admin.end().catch(() => {});
  fs.rmSync(work, { recursive: true, force: true });
}

if (problems.length) {
  console.error(`\nCluster run FAILED:\n  ${problems.join('\n  ')}`);
  for (const instance of instances)
    if (instance.output.trim())
      console.error(
        `\n--- instance ${instance.name} output (last 2000 characters) ---\n${instance.output.slice(-2000)}`,
      );
  process.exit(1);
}
console.log('Cluster run passed.');
process.exit(0);
