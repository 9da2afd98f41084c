import net from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../../test/support/databases.ts';
import { TestBrowser } from '../../../test/support/httpClient.ts';
import { createStaff } from '../../../test/support/staff.ts';
import { startTestApp, type TestApp } from '../../../test/support/testApp.ts';
import { MAX_ATTEMPTS } from './memberAlerts.ts';
import { publishWarning } from '../../../test/support/publishWarning.ts';

interface Received {
  to: string[];
  raw: string;
}

/** A real local SMTP server (no TLS, no authentication) that keeps what it receives. */
async function startMailServer(port = 0): Promise<{ port: number; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received.push({
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  const listening = server.listen(port, '127.0.0.1');
  await new Promise<void>((resolve) => listening.once('listening', () => resolve()));
  return {
    port: (listening.address() as net.AddressInfo).port,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A port nothing listens on (for "the mail server is down"). */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function joinWithEmail(t: TestApp, name: string, email: string | undefined, areas: string[]) {
  const browser = new TestBrowser(t.app);
  const form = await browser.get('/o/safe-streets/members/join');
  const joined = await browser.post('/o/safe-streets/members/join', { name, email: email ?? '', areas });
  expect(joined.statusCode, joined.body.slice(0, 2000)).toBe(200);
  expect(form.body).toContain('Email address');
  const code = /id="member-code"[^>]*>([\d ]{19})</.exec(joined.body)![1]!;
  return { browser, code };
}

const ENV = { ALERT_FROM: 'rota@example.org', ALERT_SENDER_NAME: 'Rota', ALERT_SUBJECT: 'Your weekly update' };

describe.each(testDatabases)('email alerts to members on %s', (kind) => {
  let t: TestApp;
  let mail: Awaited<ReturnType<typeof startMailServer>>;

  beforeAll(async () => {
    mail = await startMailServer();
    t = await startTestApp(kind, { SMTP_URL: `smtp://127.0.0.1:${mail.port}`, ...ENV });
    const org = await t.services.organisations.create(
      { kind: 'support', name: 'Safe Streets', slug: 'safe-streets' },
      { kind: 'system' },
    );
    await t.services.organisations.setAreas(org.id, ['Canal Street', 'The Arches'], { kind: 'system' });
  }, 60_000);
  afterAll(async () => {
    await t.close();
    await mail.close();
  });

  it('emails opted-in members for the warning’s area, discreetly, and nobody else', async () => {
    await joinWithEmail(t, 'Canal', 'canal@example.net', ['Canal Street']);
    await joinWithEmail(t, 'Arches', 'arches@example.net', ['The Arches']);
    await joinWithEmail(t, 'Everywhere', 'all@example.net', []);
    await joinWithEmail(t, 'No email', undefined, []);
    // The same address twice gets one email per warning.
    await joinWithEmail(t, 'Canal again', 'CANAL@example.net', ['Canal Street']);
    // Email addresses are encrypted at rest.
    expect(JSON.stringify(await t.services.db.selectFrom('members').selectAll().execute())).not.toMatch(
      /example\.net/i,
    );

    await publishWarning(t, 'safe-streets', {
      title: 'Blue van on Canal Street',
      body: 'He took money back by force.',
      area: 'Canal Street',
    });
    const result = await t.services.memberAlerts.deliverPending();
    expect(result).toEqual({ sent: 2, failed: [], dropped: 0 });
    expect(mail.received.flatMap((m) => m.to).sort()).toEqual(['all@example.net', 'canal@example.net']);
    for (const message of mail.received) {
      expect(message.raw).toMatch(/^Subject: Your weekly update\r?$/m);
      expect(message.raw).toMatch(/^From: Rota <rota@example.org>\r?$/m);
      expect(message.raw).toContain('Blue van on Canal Street');
      expect(message.raw).toContain('He took money back by force.');
      // Nothing names the service or organisation.
      expect(message.raw).not.toMatch(/Safe Streets|warning|report|sex work|support/i);
    }
    // Sent rows keep no warning text.
    const rows = await t.services.db.selectFrom('alert_outbox').selectAll().execute();
    expect(rows.every((r) => r.sent_at && r.title_enc === '' && r.body_enc === '')).toBe(true);
    // Nothing more to send; a repeated hook adds nothing.
    expect(await t.services.memberAlerts.deliverPending()).toEqual({ sent: 0, failed: [], dropped: 0 });

    mail.received.length = 0;
    await publishWarning(t, 'safe-streets', { title: 'Anywhere in town', body: 'Fake police badge.', area: null });
    await t.services.memberAlerts.deliverPending();
    expect(mail.received.flatMap((m) => m.to).sort()).toEqual([
      'all@example.net',
      'arches@example.net',
      'canal@example.net',
    ]);
  });

  it('stops emailing a member who stops alerts, and deletes their address', async () => {
    const { browser, code } = await joinWithEmail(t, 'Stopper', 'stop@example.net', ['The Arches']);
    await browser.get('/members/sign-in');
    await browser.post('/members/sign-in', { code });
    await publishWarning(t, 'safe-streets', {
      title: 'First arches warning',
      body: 'Grey hatchback.',
      area: 'The Arches',
    });
    mail.received.length = 0;
    // The member stops before the email goes: it is dropped from the outbox.
    await browser.get('/members/account');
    const stopped = await browser.post('/members/alerts/stop', {});
    expect(stopped.headers.location).toBe('/members/account?done=alerts-off');
    await t.services.memberAlerts.deliverPending();
    expect(mail.received.flatMap((m) => m.to)).not.toContain('stop@example.net');
    const profile = (
      await t.services.db
        .selectFrom('members')
        .select(['email_enc', 'email_index', 'alerts_from'])
        .where('email_index', 'is', null)
        .execute()
    ).length;
    expect(profile).toBeGreaterThan(0);

    // Starting again from the account page.
    await browser.get('/members/account');
    const bad = await browser.post('/members/alerts', { email: 'not an email', areas: ['The Arches'] });
    expect(bad.statusCode).toBe(400);
    const unknownArea = await browser.post('/members/alerts', { email: 'stop@example.net', areas: ['Nowhere'] });
    expect(unknownArea.statusCode).toBe(400);
    const on = await browser.post('/members/alerts', { email: 'stop@example.net', areas: ['The Arches'] });
    expect(on.headers.location).toBe('/members/account?done=alerts-on');
    await publishWarning(t, 'safe-streets', {
      title: 'Second arches warning',
      body: 'Same car again.',
      area: 'The Arches',
    });
    await t.services.memberAlerts.deliverPending();
    expect(mail.received.filter((m) => m.to.includes('stop@example.net'))).toHaveLength(1);
  });

  it('sends nothing to a suspended member or to one whose code waits for approval', async () => {
    const orgId = (await t.services.organisations.findBySlug('safe-streets'))!.id;
    const admin = await createStaff(t, { role: 'admin', orgSlug: 'safe-streets' });
    const staff = { userId: admin.userId, orgId };
    const suspended = await t.services.members.join(orgId, {
      name: 'Stopped',
      email: 'stopped@example.net',
      areas: [],
    });
    await t.services.members.suspend(staff, suspended.memberId);
    await t.services.members.setJoinMode(staff, 'approval');
    await t.services.members.join(orgId, { name: 'Waiting', email: 'waiting@example.net', areas: [] });
    await t.services.members.setJoinMode(staff, 'open');
    mail.received.length = 0;
    await publishWarning(t, 'safe-streets', { title: 'For active members only', body: 'Black saloon.', area: null });
    await t.services.memberAlerts.deliverPending();
    const recipients = mail.received.flatMap((m) => m.to);
    expect(recipients).toContain('all@example.net');
    expect(recipients).not.toContain('stopped@example.net');
    expect(recipients).not.toContain('waiting@example.net');
  });

  it('does not send an alert for a warning withdrawn before its email went', async () => {
    await joinWithEmail(t, 'Late', 'late@example.net', []);
    const warning = await publishWarning(t, 'safe-streets', {
      title: 'Withdrawn quickly',
      body: 'Published by mistake.',
      area: null,
    });
    const caseworker = await createStaff(t, { role: 'caseworker', orgSlug: 'safe-streets' });
    await t.services.warnings.withdraw(
      { kind: 'user', id: caseworker.userId, orgId: warning.orgId },
      warning.id,
      'Published by mistake',
    );
    mail.received.length = 0;
    const result = await t.services.memberAlerts.deliverPending();
    expect(result.sent).toBe(0);
    expect(result.dropped).toBeGreaterThan(0);
    expect(mail.received).toEqual([]);
    expect(
      await t.services.db.selectFrom('alert_outbox').select('id').where('warning_id', '=', warning.id).execute(),
    ).toEqual([]);
  });
});

describe('email alerts when the mail server is down', () => {
  let t: TestApp;
  let port: number;

  beforeAll(async () => {
    port = await freePort();
    t = await startTestApp(testDatabases.at(-1)!, { SMTP_URL: `smtp://127.0.0.1:${port}`, ...ENV });
    const org = await t.services.organisations.create(
      { kind: 'support', name: 'Safe Streets', slug: 'safe-streets' },
      { kind: 'system' },
    );
    await t.services.organisations.setAreas(org.id, ['Canal Street'], { kind: 'system' });
  }, 60_000);
  afterAll(async () => t.close());

  it('publishes anyway, keeps the email in the outbox and sends it on a later attempt', async () => {
    await joinWithEmail(t, 'Waiting', 'waiting@example.net', []);
    const published = await publishWarning(t, 'safe-streets', {
      title: 'Published while mail is down',
      body: 'Tall man, red cap.',
      area: 'Canal Street',
    });
    expect((await t.services.warnings.published(published.orgId)).map((w) => w.id)).toContain(published.id);

    const failed = await t.services.memberAlerts.deliverPending();
    expect(failed.sent).toBe(0);
    expect(failed.failed).toHaveLength(1);
    expect(failed.failed[0]!.code).not.toContain('@');
    let row = await t.services.db.selectFrom('alert_outbox').selectAll().executeTakeFirstOrThrow();
    expect(row.sent_at).toBeNull();
    expect(row.attempts).toBe(1);
    expect(row.last_error).toMatch(/^[A-Z_:0-9a-z]+$/);
    expect(row.last_error).not.toContain('@');
    // Not due again straight away (back-off).
    expect(await t.services.memberAlerts.deliverPending()).toEqual({ sent: 0, failed: [], dropped: 0 });

    const mail = await startMailServer(port);
    try {
      t.clock.advance(61_000);
      expect((await t.services.memberAlerts.deliverPending()).sent).toBe(1);
      expect(mail.received.map((m) => m.to)).toEqual([['waiting@example.net']]);
      expect(mail.received[0]!.raw).toContain('Published while mail is down');
      row = await t.services.db.selectFrom('alert_outbox').selectAll().executeTakeFirstOrThrow();
      expect(row.sent_at).not.toBeNull();
      expect(row.attempts).toBe(2);
    } finally {
      await mail.close();
    }
    expect(MAX_ATTEMPTS).toBeGreaterThan(2);
  });
});
