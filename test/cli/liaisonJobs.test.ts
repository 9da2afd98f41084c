import { execFile, spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportInputSchema } from '../../src/features/reporting/reportSchema.ts';
import { testDatabases } from '../support/databases.ts';
import { TestBrowser } from '../support/httpClient.ts';
import { LiaisonHarness } from './liaisonHarness.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const bin = path.join(here, '..', '..', 'bin', 'liaison.js');

async function startMailServer() {
  const received: { to: string[]; raw: string }[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString() });
        callback();
      });
    },
  });
  const listening = server.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => listening.once('listening', () => resolve()));
  return {
    port: (listening.address() as net.AddressInfo).port,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe.each(testDatabases)('jobs from the command line on %s', (kind) => {
  let h: LiaisonHarness;
  let mail: Awaited<ReturnType<typeof startMailServer>>;

  beforeAll(async () => {
    mail = await startMailServer();
    h = await LiaisonHarness.start(kind);
    Object.assign(h.env, { SMTP_URL: `smtp://127.0.0.1:${mail.port}`, ALERT_FROM: 'rota@example.org' });
    expect((await h.inProcess('migrate')).code).toBe(0);
  }, 60_000);
  afterAll(async () => {
    await h.close();
    await mail.close();
  });

  it('sends the alerts of a warning whose approver was killed (-9) right after the commit, from liaison worker', async () => {
    // A charity, a member who wants alerts by email, and a draft warning from a report that allows it.
    const { warningId, orgId } = await h.withApp(async (app, services) => {
      const org = await services.organisations.create(
        { kind: 'support', name: 'Safe Streets', slug: 'safe-streets' },
        { kind: 'system' },
      );
      const browser = new TestBrowser(app);
      await browser.get('/o/safe-streets/members/join');
      const joined = await browser.post('/o/safe-streets/members/join', { name: 'Canal', email: 'canal@example.net' });
      expect(joined.statusCode).toBe(200);
      const report = await services.reports.submit(
        reportInputSchema.parse({
          org: 'safe-streets',
          account: 'He drove off with my bag.',
          consents: { warnOthers: true },
        }),
        { source: 'online', recordedBy: null, idempotencyKey: undefined },
      );
      const id = await services.warnings.draft(
        { kind: 'user', id: 'author-in-test', orgId: org.id },
        {
          reports: [report.reference],
          title: 'Grey hatchback near the arches',
          body: 'Took a bag by force.',
          type: 'robbery-or-theft',
          area: null,
          phones: [],
          registrations: [],
          handles: [],
          vehicle: '',
          description: '',
        },
      );
      return { warningId: id, orgId: org.id };
    });

    const died = await new Promise<NodeJS.Signals | null>((resolve) =>
      execFile(
        process.execPath,
        ['--import', 'tsx', path.join(here, 'fixtures', 'approveThenDie.ts'), warningId, orgId],
        { env: h.env, timeout: 60_000 },
        (error) => resolve((error as { signal?: NodeJS.Signals } | null)?.signal ?? null),
      ),
    );
    expect(died).toBe('SIGKILL');
    expect(mail.received).toEqual([]);
    const queued = await h.database.db
      .selectFrom('jobs')
      .select(['type', 'finished_at'])
      .where('type', '=', 'member-alerts.fan-out')
      .execute();
    expect(queued).toEqual([{ type: 'member-alerts.fan-out', finished_at: null }]);

    const worker = spawn(process.execPath, [bin, 'worker'], { env: { ...h.env, JOB_POLL_MS: '200' } });
    let stderr = '';
    worker.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => worker.once('exit', (code) => resolve(code)));
    const deadline = Date.now() + 45_000;
    while (!mail.received.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    worker.kill('SIGTERM');
    expect(await exited, stderr).toBe(0);
    expect(stderr).toContain('Job runner stopped.');
    expect(mail.received.map((m) => m.to)).toEqual([['canal@example.net']]);
    expect(mail.received[0]!.raw).toContain('Grey hatchback near the arches');

    const list = await h.inProcess('jobs', 'list');
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^member-alerts\.fan-out\tok\t\d{4}-/m);
    expect(list.stdout).toMatch(/^member-alerts\.deliver\tok\t\d{4}-[^\t]+\t\d{4}-/m);
    expect(list.stdout).toMatch(/^sessions\.purge-expired\tok\tnever\t\d{4}-/m);
    expect(list.stdout).not.toContain('failed jobs');
  }, 120_000);

  it('lists a failed job, with its short code, until it is dismissed', async () => {
    await h.database.db
      .insertInto('jobs')
      .values({
        id: 'job-failed-1',
        type: 'member-alerts.fan-out',
        payload: '{}',
        dedupe_key: null,
        run_at: '2026-12-01T10:00:00.000Z',
        attempts: 10,
        max_attempts: 10,
        locked_by: null,
        locked_until: null,
        last_error: 'ECONNREFUSED',
        created_at: '2026-12-01T10:00:00.000Z',
        started_at: '2026-12-01T12:00:00.000Z',
        finished_at: null,
        failed_at: '2026-12-01T12:00:00.000Z',
        dismissed_at: null,
      })
      .execute();
    const list = await h.inProcess('jobs', 'list');
    expect(list.stdout).toMatch(/^member-alerts\.fan-out\tfailing \(1\)/m);
    expect(list.stdout).toContain(
      'job-failed-1\tmember-alerts.fan-out\t2026-12-01T12:00:00.000Z\tECONNREFUSED\t10 tries',
    );
    expect((await h.inProcess('jobs', 'list', 'extra')).code).toBe(2);
  });
});
