import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../../test/support/databases.ts';
import { TestBrowser } from '../../../test/support/httpClient.ts';
import { signedInStaff, type SignedInStaff } from '../../../test/support/staff.ts';
import { startTestApp, type TestApp } from '../../../test/support/testApp.ts';

function codeIn(html: string): string {
  const match = /id="member-code"[^>]*>([\d ]{19})</.exec(html);
  if (!match?.[1]) throw new Error('no member code on the page');
  return match[1];
}

describe.each(testDatabases)('who may join as a member, and suspension, on %s', (kind) => {
  let t: TestApp;
  const orgIds: Record<string, string> = {};

  const signIn = async (code: string) => {
    const browser = new TestBrowser(t.app);
    await browser.get('/members/sign-in');
    return { browser, response: await browser.post('/members/sign-in', { code }) };
  };
  const api = (code: string) =>
    t.app.inject({ method: 'GET', url: '/api/v1/warnings', headers: { authorization: `Member ${code}` } });
  const memberCount = async (orgId: string) =>
    (await t.services.db.selectFrom('members').select('id').where('org_id', '=', orgId).execute()).length;
  const audited = (action: string, orgId: string) =>
    t.services.db
      .selectFrom('audit_entries')
      .select(['actor_id', 'target_id', 'detail'])
      .where('action', '=', action)
      .where('org_id', '=', orgId)
      .orderBy('seq')
      .execute();
  const setMode = async (admin: SignedInStaff, mode: string) => {
    await admin.browser.get('/admin/members');
    return admin.browser.post('/admin/members', { joinMode: mode });
  };

  beforeAll(async () => {
    t = await startTestApp(kind);
    for (const slug of ['open-project', 'approval-project', 'staff-project', 'other-project']) {
      orgIds[slug] = (
        await t.services.organisations.create({ kind: 'support', name: `${slug} name`, slug }, { kind: 'system' })
      ).id;
    }
  }, 120_000);
  afterAll(async () => t.close());

  it('is open by default; only administrators choose, with the trade-off explained, and each change is audited', async () => {
    const orgId = orgIds['open-project']!;
    expect(await t.services.members.joinMode(orgId)).toBe('open');
    const admin = await signedInStaff(t, { role: 'admin', orgSlug: 'open-project' });
    const page = await admin.browser.get('/admin/members');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('National Ugly Mugs');
    expect(page.body).toMatch(/value="open" checked/);
    for (const role of ['outreach', 'caseworker', 'liaison', 'analyst'] as const) {
      const other = await signedInStaff(t, { role, orgSlug: 'open-project' });
      expect((await other.browser.get('/admin/members')).statusCode, role).toBe(404);
    }

    const bad = await setMode(admin, 'anyone-ish');
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Choose how people can become members');
    expect(await t.services.members.joinMode(orgId)).toBe('open');

    // Open: the code works at once.
    const visitor = new TestBrowser(t.app);
    await visitor.get('/o/open-project/members/join');
    const joined = await visitor.post('/o/open-project/members/join', { name: 'Kaz' });
    expect(joined.body).toContain('You are a member');
    expect((await signIn(codeIn(joined.body))).response.headers.location).toBe('/members/warnings');

    expect((await setMode(admin, 'approval')).headers.location).toBe('/admin/members?saved=1');
    expect(await t.services.members.joinMode(orgId)).toBe('approval');
    expect((await setMode(admin, 'open')).statusCode).toBe(303);
    const changes = await audited('member.join-mode-changed', orgId);
    expect(changes.map((c) => JSON.parse(c.detail) as unknown)).toEqual([
      { mode: 'approval', was: 'open' },
      { mode: 'open', was: 'approval' },
    ]);
    expect(changes.every((c) => c.actor_id === admin.userId)).toBe(true);
  });

  it('approved by staff: the code waits until outreach or a caseworker types it, and says so', async () => {
    const orgId = orgIds['approval-project']!;
    const admin = await signedInStaff(t, { role: 'admin', orgSlug: 'approval-project' });
    await setMode(admin, 'approval');

    const visitor = new TestBrowser(t.app);
    const form = await visitor.get('/o/approval-project/members/join');
    expect(form.body).toContain('Your code will only work once an outreach worker or caseworker');
    const joined = await visitor.post('/o/approval-project/members/join', { name: 'Waiting Wendy' });
    expect(joined.statusCode).toBe(200);
    expect(joined.body).toContain('Your code is waiting for approval');
    expect(joined.body).toContain('ask them to approve it');
    const code = codeIn(joined.body);
    expect((await audited('member.joined', orgId)).map((a) => JSON.parse(a.detail) as unknown)).toEqual([
      { alerts: false, waiting: true },
    ]);

    // Not yet: no session, no API, and the person is told what to do.
    const early = await signIn(code);
    expect(early.response.statusCode).toBe(400);
    expect(early.response.body).toContain('Your code has not been approved yet');
    expect(early.browser.cookie(t.services.cookies.memberSession)).toBeUndefined();
    expect((await api(code)).statusCode).toBe(401);

    const outreach = await signedInStaff(t, { role: 'outreach', orgSlug: 'approval-project' });
    const list = await outreach.browser.get('/staff/members');
    expect(list.body).toContain('Waiting Wendy');
    expect(list.body).toContain('Waiting for approval');
    expect(list.body).toContain('1 code is waiting for approval');
    expect(list.body).toContain('People can join online, but their code works only once');

    // A wrong code, or another organisation's, changes nothing.
    const elsewhere = await t.services.members.issue(
      {
        userId: (await signedInStaff(t, { role: 'outreach', orgSlug: 'other-project' })).userId,
        orgId: orgIds['other-project']!,
      },
      'Elsewhere',
    );
    for (const wrong of ['1111 2222 3333 4444', elsewhere.code, 'not a code']) {
      const refused = await outreach.browser.post('/staff/members/approve', { code: wrong });
      expect(refused.statusCode, wrong).toBe(400);
      expect(refused.body, wrong).toContain('That code did not work');
    }
    expect((await signIn(code)).response.statusCode).toBe(400);

    const approved = await outreach.browser.post('/staff/members/approve', { code });
    expect(approved.headers.location).toBe('/staff/members?done=approved');
    expect((await outreach.browser.follow(approved)).body).toContain('The code now works');
    const entries = await audited('member.approved', orgId);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actor_id: outreach.userId });
    expect((await signIn(code)).response.headers.location).toBe('/members/warnings');
    expect((await api(code)).statusCode).toBe(200);

    const again = await outreach.browser.post('/staff/members/approve', { code });
    expect(again.statusCode).toBe(400);
    expect(again.body).toContain('That code already works');

    // Codes issued on outreach work at once: the person was met.
    const issued = await t.services.members.issue({ userId: outreach.userId, orgId }, 'Met on Canal St');
    expect((await api(issued.code)).statusCode).toBe(200);
  });

  it('staff only: the join page says to ask an outreach worker and issues nothing', async () => {
    const orgId = orgIds['staff-project']!;
    const admin = await signedInStaff(t, { role: 'admin', orgSlug: 'staff-project' });
    await setMode(admin, 'staff');
    const visitor = new TestBrowser(t.app);
    const page = await visitor.get('/o/staff-project/members/join');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('gives member codes in person');
    expect(page.body).not.toContain('Get my member code');
    const before = await memberCount(orgId);
    // A post made anyway (with a real CSRF token from another form) is refused.
    const posted = await visitor.post(
      '/o/staff-project/members/join',
      { name: 'Someone' },
      (await visitor.get('/members/sign-in')).body,
    );
    expect(posted.statusCode).toBe(403);
    expect(posted.body).toContain('gives member codes in person');
    expect(posted.body).not.toContain('member-code');
    expect(await memberCount(orgId)).toBe(before);
    await expect(t.services.members.join(orgId, { name: 'Direct' })).rejects.toMatchObject({ code: 'closed' });

    const outreach = await signedInStaff(t, { role: 'outreach', orgSlug: 'staff-project' });
    await outreach.browser.get('/staff/members/new');
    const issued = await outreach.browser.post('/staff/members/new', { name: 'Given a card' });
    expect((await signIn(codeIn(issued.body))).response.headers.location).toBe('/members/warnings');
  });

  it('a suspended code stops at once: the open session, sign-in and the member API; restoring lets it back', async () => {
    const orgId = orgIds['open-project']!;
    const { memberId, code } = await t.services.members.join(orgId, { name: 'Suspect Sam' });
    const { browser: member } = await signIn(code);
    expect((await member.get('/members/warnings')).statusCode).toBe(200);
    expect((await api(code)).statusCode).toBe(200);

    // Another organisation's staff cannot touch the member: the same 404 as no member at all.
    const stranger = await signedInStaff(t, { role: 'caseworker', orgSlug: 'other-project' });
    await stranger.browser.get('/staff/members');
    expect((await stranger.browser.post(`/staff/members/${memberId}/suspend`, {})).statusCode).toBe(404);

    const caseworker = await signedInStaff(t, { role: 'caseworker', orgSlug: 'open-project' });
    const list = await caseworker.browser.get('/staff/members');
    expect(list.body).toContain(`/staff/members/${memberId}/suspend`);
    const suspended = await caseworker.browser.post(`/staff/members/${memberId}/suspend`, {});
    expect(suspended.headers.location).toBe('/staff/members?done=suspended');

    expect((await member.get('/members/warnings')).headers.location).toBe('/members/sign-in');
    expect(
      await t.services.db.selectFrom('member_sessions').select('id_hash').where('member_id', '=', memberId).execute(),
    ).toEqual([]);
    expect((await api(code)).statusCode).toBe(401);
    const refused = await signIn(code);
    expect(refused.response.statusCode).toBe(400);
    expect(refused.response.body).toContain('This code has been stopped');
    const listed = await caseworker.browser.get('/staff/members');
    expect(listed.body).toContain('Suspended');
    expect((await caseworker.browser.post(`/staff/members/${memberId}/suspend`, {}, listed.body)).statusCode).toBe(409);
    expect(await audited('member.suspended', orgId)).toEqual([
      expect.objectContaining({ actor_id: caseworker.userId, target_id: memberId }),
    ]);

    // An administrator lifts it; the same code works again.
    const admin = await signedInStaff(t, { role: 'admin', orgSlug: 'open-project' });
    await admin.browser.get('/staff/members');
    expect((await admin.browser.post(`/staff/members/${memberId}/restore`, {})).headers.location).toBe(
      '/staff/members?done=restored',
    );
    expect(await audited('member.restored', orgId)).toEqual([
      expect.objectContaining({ actor_id: admin.userId, target_id: memberId }),
    ]);
    expect((await api(code)).statusCode).toBe(200);
    expect((await signIn(code)).response.headers.location).toBe('/members/warnings');

    // Outreach can suspend too.
    const outreach = await signedInStaff(t, { role: 'outreach', orgSlug: 'open-project' });
    await outreach.browser.get('/staff/members');
    expect((await outreach.browser.post(`/staff/members/${memberId}/suspend`, {})).statusCode).toBe(303);
    expect((await api(code)).statusCode).toBe(401);
  });
});
