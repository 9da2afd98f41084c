import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../../test/support/databases.ts';
import { TestBrowser } from '../../../test/support/httpClient.ts';
import { totpNow } from '../../../test/support/staff.ts';
import { startTestApp, type TestApp } from '../../../test/support/testApp.ts';
import { announceFirstRunSetup } from './firstRun.ts';

describe.each(testDatabases)('first-run setup on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(async () => t.close());

  async function announced(): Promise<{ path: string | undefined; lines: string[] }> {
    const lines: string[] = [];
    await announceFirstRunSetup(t.services, (line) => lines.push(line));
    const link = lines.find((line) => line.includes('/setup/'))?.trim();
    return { path: link ? new URL(link).pathname : undefined, lines };
  }
  const printedLink = async () => (await announced()).path;
  /** What `liaison setup-link` issues. */
  const freshLink = async () => new URL(await t.services.setup.issueLink()).pathname;

  it('issues one link however many instances start, keeps it working, and replaces it only when asked', async () => {
    // Several instances starting together: exactly one prints a link.
    const starts = await Promise.all(Array.from({ length: 5 }, () => t.services.setup.issueFirstRunLink()));
    expect(starts.filter((start) => 'link' in start)).toHaveLength(1);
    const first = new URL((starts.find((start) => 'link' in start) as { link: string }).link).pathname;

    // A later start prints no new link, says where the link is and how to get another; the first still works.
    const again = await announced();
    expect(again.path).toBeUndefined();
    expect(again.lines.join('\n')).toContain('was printed once, in the console of the instance that issued it');
    expect(again.lines.join('\n')).toContain('npx liaison setup-link');
    expect((await new TestBrowser(t.app).get(first)).statusCode).toBe(200);

    // Asking deliberately replaces it.
    const second = await freshLink();
    expect(second).not.toBe(first);
    expect((await new TestBrowser(t.app).get(first)).statusCode).toBe(410);
    expect((await new TestBrowser(t.app).get(second)).statusCode).toBe(200);
    expect(
      await t.services.db.selectFrom('setup_tokens').select('id').where('used_at', 'is', null).execute(),
    ).toHaveLength(1);

    // After 24 hours it has expired, and the next start issues a new one.
    t.clock.advance(24 * 60 * 60 * 1000 + 1000);
    expect((await new TestBrowser(t.app).get(second)).statusCode).toBe(410);
    const third = await printedLink();
    expect(third).toBeDefined();
    expect((await new TestBrowser(t.app).get(third!)).statusCode).toBe(200);
  });

  it('refuses weak passwords keeping what was typed, and stores the link only as a hash', async () => {
    const path = await freshLink();
    const token = path.split('/').pop()!;
    expect(JSON.stringify(await t.services.db.selectFrom('setup_tokens').selectAll().execute())).not.toContain(token);
    const browser = new TestBrowser(t.app);
    await browser.get(path);
    for (const [password, message] of [
      ['qwerty123456', 'too common'],
      ['short one', '12 characters or more'],
      ['y'.repeat(129), '128 characters or fewer'],
    ] as const) {
      const res = await browser.post(path, {
        orgName: 'Night Bus Project',
        orgSlug: 'night-bus',
        email: 'lead@example.org',
        password,
      });
      expect(res.statusCode).toBe(400);
      expect(res.body).toContain(message);
      expect(res.body).toContain('value="Night Bus Project"');
      expect(res.body).toContain('value="night-bus"');
      expect(res.body).toContain('value="lead@example.org"');
      expect(res.body).not.toContain(password);
    }
    expect(await t.services.organisations.list()).toHaveLength(0);
    expect((await new TestBrowser(t.app).get('/setup/not-a-token')).statusCode).toBe(410);
  });

  it('creates the organisation and first administrator once, then asks for two-factor', async () => {
    const path = await freshLink();
    const browser = new TestBrowser(t.app);
    await browser.get(path);
    const bad = await browser.post(path, {
      orgName: 'Safe Streets',
      orgSlug: 'Safe Streets!',
      email: 'admin@example.org',
      password: 'violet tram umbrella 48',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Slug must be');
    expect(bad.body).toContain('value="Safe Streets"');
    const ok = await browser.post(path, {
      orgName: 'Safe Streets',
      orgSlug: 'safe-streets',
      email: 'admin@example.org',
      password: 'violet tram umbrella 48',
    });
    expect(ok.headers.location).toBe('/account/two-factor');
    const enrol = await browser.get('/account/two-factor');
    const secret = /id="totp-secret"[^>]*>([A-Z2-7 ]+)</.exec(enrol.body)![1]!.replace(/ /g, '');
    await browser.post('/account/two-factor', { code: await totpNow(t, secret) });
    t.clock.advance(30_000);
    const home = await browser.get('/staff');
    expect(home.body).toContain('Safe Streets');
    expect(home.body).toContain('admin');
    // Single use, and no further link once an administrator exists.
    expect((await new TestBrowser(t.app).get(path)).statusCode).toBe(410);
    expect(await printedLink()).toBeUndefined();
    const organisation = await t.services.organisations.requireBySlug('safe-streets');
    expect(organisation.kind).toBe('support');
    const actions = (await t.services.db.selectFrom('audit_entries').select('action').execute()).map((a) => a.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'setup.link-issued',
        'setup.completed',
        'organisation.created',
        'user.two-factor-enrolled',
      ]),
    );
  });
});
