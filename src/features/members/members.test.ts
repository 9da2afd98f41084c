import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../../test/support/databases.ts';
import { TestBrowser } from '../../../test/support/httpClient.ts';
import { signedInStaff } from '../../../test/support/staff.ts';
import { startTestApp, type TestApp } from '../../../test/support/testApp.ts';
import { MEMBER_IDLE_MS } from './memberService.ts';
import { publishWarning } from '../../../test/support/publishWarning.ts';

/** The code shown on the page after joining or issuing, as printed (four groups of four). */
function codeIn(html: string): string {
  const match = /id="member-code"[^>]*>([\d ]{19})</.exec(html);
  if (!match?.[1]) throw new Error('no member code on the page');
  return match[1];
}

async function join(
  t: TestApp,
  slug: string,
  fields: Record<string, string | string[]> = {},
): Promise<{ browser: TestBrowser; code: string }> {
  const browser = new TestBrowser(t.app);
  const form = await browser.get(`/o/${slug}/members/join`);
  expect(form.statusCode).toBe(200);
  const joined = await browser.post(`/o/${slug}/members/join`, { name: 'Kaz', ...fields });
  expect(joined.statusCode).toBe(200);
  return { browser, code: codeIn(joined.body) };
}

async function signIn(browser: TestBrowser, code: string) {
  await browser.get('/members/sign-in');
  return browser.post('/members/sign-in', { code });
}

describe.each(testDatabases)('members on %s', (kind) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp(kind);
    const home = await t.services.organisations.create(
      { kind: 'support', name: 'Safe Streets', slug: 'safe-streets' },
      { kind: 'system' },
    );
    await t.services.organisations.setAreas(home.id, ['Canal Street', 'The Arches'], { kind: 'system' });
    await t.services.organisations.create(
      { kind: 'support', name: 'Other Project', slug: 'other-project' },
      { kind: 'system' },
    );
    await t.services.organisations.create(
      { kind: 'police', name: 'Northshire Police', slug: 'northshire' },
      { kind: 'system' },
    );
    await publishWarning(t, 'safe-streets', {
      title: 'Silver estate car, KX12',
      body: 'Refused to pay and took phone.',
      area: 'Canal Street',
      phones: ['07700 900123'],
      registrations: ['KX?? ?BC'],
    });
    await publishWarning(t, 'safe-streets', {
      title: 'Man at the arches',
      body: 'Threatened two women.',
      area: 'The Arches',
      type: 'threats-or-harassment',
    });
    await publishWarning(t, 'other-project', {
      title: 'OTHER ORG WARNING',
      body: 'Not for safe streets members.',
      phones: ['07700 900999'],
    });
  }, 120_000);
  afterAll(async () => t.close());

  it('joins, shows the code once, keeps only hashes, and the code signs in; a wrong code does not', async () => {
    const { browser, code } = await join(t, 'safe-streets', { name: 'Kaz Moonlight' });
    expect(code).toMatch(/^\d{4} \d{4} \d{4} \d{4}$/);
    expect(browser.lastPage).toContain('keep it safe');

    // Only a keyed lookup hash and an argon2id verifier: neither the code nor the name is in the table.
    const rows = await t.services.db.selectFrom('members').selectAll().execute();
    const dump = JSON.stringify(rows);
    expect(dump).not.toContain(code.replace(/ /g, ''));
    expect(dump).not.toContain('Kaz Moonlight');
    const row = rows.find((r) => r.source === 'self')!;
    expect(row.code_verifier).toMatch(/^\$argon2id\$/);
    expect(row.code_lookup).toMatch(/^[0-9a-f]{64}$/);
    // No email offered when SMTP is not configured.
    expect(browser.lastPage).not.toContain('Email address');

    const wrong = await signIn(new TestBrowser(t.app), '1111 2222 3333 4444');
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('That code did not work');

    const member = new TestBrowser(t.app);
    const ok = await signIn(member, code);
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toBe('/members/warnings');
    const session = member.cookie(t.services.cookies.memberSession)!;
    expect(session).toBeTruthy();
    // The session is stored only as a hash.
    const sessions = JSON.stringify(await t.services.db.selectFrom('member_sessions').selectAll().execute());
    expect(sessions).not.toContain(session);
    const account = await member.get('/members/account');
    expect(account.body).toContain('You are signed in as Kaz Moonlight');
  });

  it('shows signed-in members only their organisation’s published warnings, newest first, filtered by area and type', async () => {
    const { code } = await join(t, 'safe-streets');
    const member = new TestBrowser(t.app);
    await signIn(member, code);
    const list = await member.get('/members/warnings');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('Silver estate car, KX12');
    expect(list.body).toContain('Man at the arches');
    expect(list.body).not.toContain('OTHER ORG WARNING');
    expect(list.body.indexOf('Man at the arches')).toBeLessThan(list.body.indexOf('Silver estate car, KX12'));
    expect(list.body).toContain('Leave this site');

    const byArea = await member.get('/members/warnings?area=Canal+Street');
    expect(byArea.body).toContain('Silver estate car, KX12');
    expect(byArea.body).not.toContain('Man at the arches');
    const byType = await member.get('/members/warnings?type=threats-or-harassment');
    expect(byType.body).toContain('Man at the arches');
    expect(byType.body).not.toContain('Silver estate car, KX12');
    const print = await member.get('/members/warnings/print?area=The+Arches');
    expect(print.statusCode).toBe(200);
    expect(print.body).toContain('Man at the arches');
    expect(print.body).not.toContain('Silver estate car');

    // Without a session: sent to sign in.
    const anonymous = await new TestBrowser(t.app).get('/members/warnings');
    expect(anonymous.statusCode).toBe(303);
    expect(anonymous.headers.location).toBe('/members/sign-in');
  });

  it('lets an administrator make warnings public, so anyone can read them without signing in', async () => {
    const visitor = new TestBrowser(t.app);
    const closed = await visitor.get('/o/safe-streets/warnings');
    expect(closed.statusCode).toBe(303);
    expect(closed.headers.location).toBe('/members/sign-in');

    const outreach = await signedInStaff(t, { role: 'outreach', orgSlug: 'safe-streets' });
    expect((await outreach.browser.get('/admin/warnings-settings')).statusCode).toBe(403);
    const admin = await signedInStaff(t, { role: 'admin', orgSlug: 'safe-streets' });
    await admin.browser.get('/admin/warnings-settings');
    const bad = await admin.browser.post('/admin/warnings-settings', { visibility: 'everyone-ish' });
    expect(bad.statusCode).toBe(400);
    expect(
      await t.services.members.warningsPublic((await t.services.organisations.findBySlug('safe-streets'))!.id),
    ).toBe(false);
    const saved = await admin.browser.post('/admin/warnings-settings', { visibility: 'public' });
    expect(saved.headers.location).toBe('/admin/warnings-settings?saved=1');

    const open = await visitor.get('/o/safe-streets/warnings');
    expect(open.statusCode).toBe(200);
    expect(open.body).toContain('Silver estate car, KX12');
    expect(open.body).not.toContain('OTHER ORG WARNING');
    expect((await visitor.get('/o/safe-streets/warnings/print')).body).toContain('Man at the arches');
    // Another organisation's list is still closed; a police force has none.
    expect((await visitor.get('/o/other-project/warnings')).statusCode).toBe(303);
    expect((await visitor.get('/o/northshire/warnings')).statusCode).toBe(404);
    // The number check still needs a member code.
    expect((await visitor.get('/members/check')).headers.location).toBe('/members/sign-in');

    await admin.browser.get('/admin/warnings-settings');
    await admin.browser.post('/admin/warnings-settings', { visibility: 'members' });
    expect((await visitor.get('/o/safe-streets/warnings')).statusCode).toBe(303);
  });

  it('checks a phone number or registration against active warnings of the member’s organisation', async () => {
    const { code } = await join(t, 'safe-streets');
    const member = new TestBrowser(t.app);
    await signIn(member, code);
    await member.get('/members/check');
    for (const phone of ['07700 900123', '+44 7700 900123', '447700900123']) {
      const hit = await member.post('/members/check', { value: phone });
      expect(hit.statusCode).toBe(200);
      expect(hit.body).toContain('This is in 1 warning');
      expect(hit.body).toContain('Silver estate car, KX12');
    }
    // One box: a registration is recognised without choosing a type, whole or partial.
    const reg = await member.post('/members/check', { value: 'kx12 abc' });
    expect(reg.body).toContain('We checked the registration KX12ABC');
    expect(reg.body).toContain('Silver estate car, KX12');
    const partial = await member.post('/members/check', { value: 'KX?? ?BC' });
    expect(partial.body).toContain('We checked the partial registration KX???BC');
    expect(partial.body).toContain('Silver estate car, KX12');
    // Another organisation's warning is not found.
    const other = await member.post('/members/check', { value: '07700 900999' });
    expect(other.body).toContain('It is not in any warning');
    const empty = await member.post('/members/check', { value: '' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('There is a problem');
    // What cannot be read is said so, never answered with the all-clear.
    for (const unreadable of ['call me', '07700 90012', 'KX12 ABC DEF']) {
      const bad = await member.post('/members/check', { value: unreadable });
      expect(bad.statusCode, unreadable).toBe(400);
      expect(bad.body, unreadable).toContain('We could not read that as a phone number or a registration');
      expect(bad.body, unreadable).not.toContain('not in any warning');
    }
    // Digits that could be either: the page asks, then checks what was chosen.
    const asked = await member.post('/members/check', { value: '50051234' });
    expect(asked.statusCode).toBe(400);
    expect(asked.body).toContain('Is 50051234 a phone number or a vehicle registration?');
    expect(asked.body).not.toContain('not in any warning');
    const answered = await member.post('/members/check', { value: '50051234', kind: 'registration' });
    expect(answered.statusCode).toBe(200);
    expect(answered.body).toContain('We checked the registration 50051234');
  });

  it('rate-limits checks per member', async () => {
    const { code } = await join(t, 'safe-streets');
    const member = await t.services.members.openWithCode(code, '198.51.100.7');
    expect(member).toBeDefined();
    for (let i = 0; i < 60; i += 1)
      expect(await t.services.members.allowCheck(`member:${member!.memberId}`)).toBe(true);
    expect(await t.services.members.allowCheck(`member:${member!.memberId}`)).toBe(false);
    t.clock.advance(11 * 60_000);
    expect(await t.services.members.allowCheck(`member:${member!.memberId}`)).toBe(true);
  });

  it('throttles wrong codes per address', async () => {
    for (let i = 0; i < 10; i += 1)
      expect(await t.services.members.openWithCode('9999 9999 9999 9999', '203.0.113.9')).toBeUndefined();
    const { code } = await join(t, 'safe-streets');
    // Locked: even the right code is refused from that address for now.
    expect(await t.services.members.openWithCode(code, '203.0.113.9')).toBeUndefined();
    expect(await t.services.members.openWithCode(code, '203.0.113.10')).toBeDefined();
  });

  it('answers the API for a member code and for support staff tokens, and nobody else', async () => {
    const { code } = await join(t, 'safe-streets');
    const get = (url: string, authorization?: string) =>
      t.app.inject({ method: 'GET', url, headers: authorization ? { authorization } : {} });

    const list = await get('/api/v1/warnings', `Member ${code}`);
    expect(list.statusCode).toBe(200);
    const titles = (list.json() as { warnings: { title: string }[] }).warnings.map((w) => w.title);
    expect(titles).toEqual(['Man at the arches', 'Silver estate car, KX12']);
    const filtered = await get('/api/v1/warnings?area=Canal%20Street', `Member ${code.replace(/ /g, '')}`);
    expect((filtered.json() as { warnings: unknown[] }).warnings).toHaveLength(1);

    const check = await get('/api/v1/warnings/check?phone=%2B447700900123', `Member ${code}`);
    expect(check.statusCode).toBe(200);
    const matches = (check.json() as { matches: { id: string; title: string; publishedAt: string }[] }).matches;
    expect(matches).toHaveLength(1);
    expect(Object.keys(matches[0]!).sort()).toEqual(['id', 'publishedAt', 'title']);
    expect((await get('/api/v1/warnings/check?registration=KX55%20ZBC', `Member ${code}`)).json()).toEqual({
      matches: [expect.objectContaining({ title: 'Silver estate car, KX12' })],
    });
    expect((await get('/api/v1/warnings/check?registration=KX%3F%3F%20%3FBC', `Member ${code}`)).json()).toEqual({
      matches: [expect.objectContaining({ title: 'Silver estate car, KX12' })],
    });
    expect((await get('/api/v1/warnings/check?q=kx55zbc', `Member ${code}`)).json()).toEqual({
      matches: [expect.objectContaining({ title: 'Silver estate car, KX12' })],
    });
    expect((await get('/api/v1/warnings/check?q=07700%20900123', `Member ${code}`)).json()).toEqual({
      matches: [expect.objectContaining({ title: 'Silver estate car, KX12' })],
    });
    expect((await get('/api/v1/warnings/check', `Member ${code}`)).statusCode).toBe(400);
    expect((await get('/api/v1/warnings/check?phone=1234&registration=AB12', `Member ${code}`)).statusCode).toBe(400);
    // Unreadable or ambiguous: a 400 that says so, never an empty list of matches.
    for (const [query, message] of [
      ['q=call%20me', 'query.q: we could not read that as a phone number or a registration'],
      ['phone=KX12ABC', 'query.phone: we could not read that as a phone number'],
      ['registration=07700900123', 'query.registration: we could not read that as a registration'],
      [
        'q=50051234',
        'query.q: this could be a phone number or a registration: give it as phone or registration instead',
      ],
    ] as const) {
      const res = await get(`/api/v1/warnings/check?${query}`, `Member ${code}`);
      expect(res.statusCode, query).toBe(400);
      expect(res.json(), query).toEqual({ error: { code: 'invalid_request', message } });
    }

    expect((await get('/api/v1/warnings')).statusCode).toBe(401);
    expect((await get('/api/v1/warnings', 'Member 0000 0000 0000 0000')).statusCode).toBe(401);
    expect((await get('/api/v1/warnings', 'Receipt 0000000000000000')).statusCode).toBe(401);

    const outreach = (
      await t.services.apiTokens.create({ orgSlug: 'safe-streets', role: 'outreach', name: 'Van' }, { kind: 'system' })
    ).token;
    const analyst = (
      await t.services.apiTokens.create({ orgSlug: 'safe-streets', role: 'analyst', name: 'Stats' }, { kind: 'system' })
    ).token;
    const otherOrg = (
      await t.services.apiTokens.create(
        { orgSlug: 'other-project', role: 'caseworker', name: 'Other' },
        { kind: 'system' },
      )
    ).token;
    const police = (
      await t.services.apiTokens.create({ orgSlug: 'northshire', role: 'officer', name: 'Force' }, { kind: 'system' })
    ).token;
    const staff = await get('/api/v1/warnings', `Bearer ${outreach}`);
    expect(staff.statusCode).toBe(200);
    expect((staff.json() as { warnings: unknown[] }).warnings).toHaveLength(2);
    expect((await get('/api/v1/warnings', `Bearer ${analyst}`)).statusCode).toBe(404);
    expect((await get('/api/v1/warnings', `Bearer ${police}`)).statusCode).toBe(404);
    const theirs = await get('/api/v1/warnings', `Bearer ${otherOrg}`);
    expect((theirs.json() as { warnings: { title: string }[] }).warnings.map((w) => w.title)).toEqual([
      'OTHER ORG WARNING',
    ]);
    expect((await get('/api/v1/warnings/check?phone=07700900123', `Bearer ${otherOrg}`)).json()).toEqual({
      matches: [],
    });

    // It is in the OpenAPI document with both ways in.
    const doc = (await get('/api/v1/openapi.json')).json() as {
      paths: Record<string, { get: { security: unknown[] } }>;
    };
    expect(doc.paths['/api/v1/warnings/check']!.get.security).toEqual([{ memberCode: [] }, { bearerToken: [] }]);
  });

  it('lets outreach issue a member code (shown once) and lists members without codes; others get 404', async () => {
    const outreach = await signedInStaff(t, { role: 'outreach', orgSlug: 'safe-streets' });
    await outreach.browser.get('/staff/members/new');
    const empty = await outreach.browser.post('/staff/members/new', { name: ' ' });
    expect(empty.statusCode).toBe(400);
    const issued = await outreach.browser.post('/staff/members/new', { name: 'Jade on Canal St' });
    expect(issued.statusCode).toBe(200);
    const code = codeIn(issued.body);
    const list = await outreach.browser.get('/staff/members');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('Jade on Canal St');
    expect(list.body).toContain('On outreach');
    expect(list.body).not.toContain(code);
    expect(
      await t.services.db
        .selectFrom('audit_entries')
        .select('action')
        .where('action', '=', 'member.list-viewed')
        .executeTakeFirst(),
    ).toBeDefined();

    const member = new TestBrowser(t.app);
    expect((await signIn(member, code)).headers.location).toBe('/members/warnings');

    const analyst = await signedInStaff(t, { role: 'analyst', orgSlug: 'safe-streets' });
    expect((await analyst.browser.get('/staff/members')).statusCode).toBe(404);
    expect((await analyst.browser.get('/staff/members/new')).statusCode).toBe(404);
    // Administrators see the list (to suspend someone) but do not issue codes.
    const admin = await signedInStaff(t, { role: 'admin', orgSlug: 'safe-streets' });
    expect((await admin.browser.get('/staff/members')).body).toContain('Jade on Canal St');
    expect((await admin.browser.get('/staff/members')).body).not.toContain('Give someone a member code');
    expect((await admin.browser.get('/staff/members/new')).statusCode).toBe(404);
    const police = await signedInStaff(t, { role: 'officer', orgKind: 'police', orgSlug: 'northshire' });
    expect((await police.browser.get('/staff/members')).statusCode).toBe(404);
    const elsewhere = await signedInStaff(t, { role: 'outreach', orgSlug: 'other-project' });
    expect((await elsewhere.browser.get('/staff/members')).body).not.toContain('Jade on Canal St');
  });

  it('ends the member session on "Leave this site", after idling, and on leaving membership', async () => {
    const { code } = await join(t, 'safe-streets');
    const member = new TestBrowser(t.app);
    await signIn(member, code);
    expect((await member.get('/members/warnings')).statusCode).toBe(200);
    const before = await t.services.db.selectFrom('member_sessions').select('id_hash').execute();
    await member.get('/leave');
    const after = await t.services.db.selectFrom('member_sessions').select('id_hash').execute();
    expect(after.length).toBe(before.length - 1);

    const again = new TestBrowser(t.app);
    await signIn(again, code);
    t.clock.advance(MEMBER_IDLE_MS + 1000);
    expect((await again.get('/members/warnings')).headers.location).toBe('/members/sign-in');

    const leaving = new TestBrowser(t.app);
    await signIn(leaving, code);
    await leaving.get('/members/account');
    const left = await leaving.post('/members/leave', {});
    expect(left.body).toContain('You have left');
    expect(await t.services.members.openWithCode(code, '192.0.2.50')).toBeUndefined();
    expect((await leaving.get('/members/warnings')).headers.location).toBe('/members/sign-in');
  });

  it('answers 429 once a token has checked too often', async () => {
    const token = (
      await t.services.apiTokens.create(
        { orgSlug: 'safe-streets', role: 'caseworker', name: 'Busy' },
        { kind: 'system' },
      )
    ).token;
    const check = () =>
      t.app.inject({
        method: 'GET',
        url: '/api/v1/warnings/check?phone=07700900123',
        headers: { authorization: `Bearer ${token}` },
      });
    for (let i = 0; i < 60; i += 1) expect((await check()).statusCode).toBe(200);
    const limited = await check();
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toEqual({ error: { code: 'rate_limited', message: expect.any(String) } });
  });

  it('joins through /members/join by choosing the organisation', async () => {
    const browser = new TestBrowser(t.app);
    const choose = await browser.get('/members/join');
    expect(choose.statusCode).toBe(200);
    expect(choose.body).toContain('/o/safe-streets/members/join');
    expect(choose.body).toContain('/o/other-project/members/join');
    expect(choose.body).not.toContain('/o/northshire/members/join');
    expect((await browser.get('/o/northshire/members/join')).statusCode).toBe(404);
    const empty = await browser.post(
      '/o/safe-streets/members/join',
      { name: '' },
      (await browser.get('/o/safe-streets/members/join')).body,
    );
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('Enter a name we can call you');
  });
});
