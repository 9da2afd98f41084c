import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomId } from '../../platform/crypto/index.ts';
import type { Role } from '../../platform/http/principal.ts';
import { testDatabases } from '../../../test/support/databases.ts';
import type { TestBrowser } from '../../../test/support/httpClient.ts';
import { signedInStaff } from '../../../test/support/staff.ts';
import { startTestApp, type TestApp } from '../../../test/support/testApp.ts';

/**
 * The referrals role matrix: a user and an API token of every role in the
 * support organisation, the force it referred to ("north") and another force
 * ("south") call every referral page and operation. Only the callers named
 * may; everyone else is refused without learning anything. Every route under
 * the prefixes below must be listed here.
 */
type Who = `${'support' | 'north' | 'south'} ${Role}`;
const SUPPORT_WORKERS: Who[] = ['support caseworker', 'support liaison'];
const POLICE_READERS: Who[] = ['north officer', 'north supervisor'];
const SUPERVISOR: Who[] = ['north supervisor'];

const EXPECTED: Record<string, Who[]> = {
  'GET /admin/partnerships': ['support admin'],
  'POST /admin/partnerships': ['support admin'],
  'POST /admin/partnerships/remove': ['support admin'],
  'GET /staff/reports/:reference/referrals/new': SUPPORT_WORKERS,
  'POST /staff/reports/:reference/referrals': SUPPORT_WORKERS,
  'POST /api/v1/reports/:reference/referrals': SUPPORT_WORKERS,
  'GET /police/referrals': [...POLICE_READERS, 'south officer', 'south supervisor'],
  'GET /police/referrals/:id': POLICE_READERS,
  'GET /police/referrals/intelligence.json': [...POLICE_READERS, 'south officer', 'south supervisor'],
  'GET /police/referrals/intelligence.csv': [...POLICE_READERS, 'south officer', 'south supervisor'],
  'GET /police/referrals/:id/download.json': POLICE_READERS,
  'GET /police/referrals/:id/download.csv': POLICE_READERS,
  'POST /police/referrals/:id/accept': SUPERVISOR,
  'POST /police/referrals/:id/decline': SUPERVISOR,
  // Tokens are not people: only supervisor tokens use the police side of the API.
  'GET /api/v1/referrals': ['north supervisor', 'south supervisor'],
  'GET /api/v1/referrals/:id': SUPERVISOR,
  'POST /api/v1/referrals/:id/accept': SUPERVISOR,
  'POST /api/v1/referrals/:id/decline': SUPERVISOR,
  // Police cases (police-cases/caseRoutes.ts): officers see the cases they hold, supervisors all of the force's.
  'GET /police/cases': [...POLICE_READERS, 'south officer', 'south supervisor'],
  'GET /police/cases/:caseId': POLICE_READERS,
  'POST /police/cases/:caseId/events': POLICE_READERS,
  'POST /police/cases/:caseId/duties/:dutyId/met': POLICE_READERS,
  'POST /police/cases/:caseId/duties/:dutyId/not-met': POLICE_READERS,
  'POST /police/cases/:caseId/messages': POLICE_READERS,
  'POST /police/cases/:caseId/contact-requests': POLICE_READERS,
  // Safe-place appointments (appointments/routes.ts): the same readers as the case.
  'GET /police/cases/:caseId/appointments': POLICE_READERS,
  'POST /police/cases/:caseId/appointments': POLICE_READERS,
  'POST /police/cases/:caseId/appointments/:id/outcome': POLICE_READERS,
  'GET /police/duties': [...POLICE_READERS, 'south officer', 'south supervisor'],
};

/** Allowed POSTs that need nothing typed: an empty form does the thing (the reason for a contact request is optional). */
const EMPTY_FORM_IS_ENOUGH = new Set(['POST /police/cases/:caseId/contact-requests']);

const isReferralRoute = (route: string) => {
  const url = route.split(' ')[1] ?? '';
  return url.startsWith('/police/') || url === '/police/referrals' || url.startsWith('/api/v1/referrals') || url.startsWith('/admin/partnerships') || url.includes('/referrals');
};

interface Caller {
  who: Who;
  browser: TestBrowser;
  token: string;
}

describe.each(testDatabases)('the referrals role matrix on %s', (kind) => {
  let t: TestApp;
  const callers: Caller[] = [];
  const fixture: Record<string, string> = {};
  const SECRET = 'MATRIX-SECRET grey transit van';

  beforeAll(async () => {
    t = await startTestApp(kind);
    const support = await t.services.organisations.create({ kind: 'support', name: 'Safe Streets', slug: 'support' }, { kind: 'system' });
    const north = await t.services.organisations.create({ kind: 'police', name: 'Northshire Police', slug: 'north' }, { kind: 'system' });
    await t.services.organisations.create({ kind: 'police', name: 'Southshire Police', slug: 'south' }, { kind: 'system' });
    await t.services.partnerships.link(support.id, north.id, { kind: 'system' });
    const people: [string, 'support' | 'police', Role[]][] = [
      ['support', 'support', ['admin', 'caseworker', 'liaison', 'outreach', 'analyst']],
      ['north', 'police', ['admin', 'officer', 'supervisor', 'analyst']],
      ['south', 'police', ['officer', 'supervisor']],
    ];
    for (const [slug, orgKind, roles] of people) {
      for (const role of roles) {
        const staff = await signedInStaff(t, { role, orgKind, orgSlug: slug });
        const { token } = await t.services.apiTokens.create({ orgSlug: slug, role, name: `${role} token` }, { kind: 'system' });
        callers.push({ who: `${slug} ${role}` as Who, browser: staff.browser, token });
        if (slug === 'north' && role === 'officer') fixture.officer = staff.userId;
        if (slug === 'north' && role === 'supervisor') fixture.supervisor = staff.userId;
      }
    }
    const report = await t.services.reports.submit(
      { org: 'support', incidentTypes: ['robbery-or-theft'], account: 'Robbed', consents: { support: true, warnOthers: false, policeIntelligence: true, policeReport: false, policeContact: false }, perpetrator: { names: [], phones: [], emails: [], handles: [] }, contact: { name: 'Ruby', methods: [] } },
      { source: 'online', recordedBy: null, idempotencyKey: undefined },
    );
    fixture.reference = report.reference;
    fixture.id = await t.services.referrals.send({ kind: 'user', id: randomId(), orgId: support.id }, report.reportId, { force: 'north', level: 'intelligence', summary: SECRET });
    // The police case (issue 5's case pages hang from :caseId).
    fixture.caseId = await t.services.referrals.accept({ kind: 'user', id: fixture.supervisor!, orgId: north.id, role: 'supervisor' }, fixture.id, { crimeReference: 'N/1', officer: fixture.officer! });
    fixture.dutyId = (await t.services.policeCases.recordEvent(fixture.caseId, { kind: 'user', id: fixture.officer!, orgId: north.id }, { type: 'suspect-arrested', occurredAt: '2026-11-27T10:00:00Z' })).dutyId!;
  }, 180_000);
  afterAll(async () => t.close());

  const concrete = (pattern: string) => pattern.replace(/:(\w+)/g, (_, name: string) => fixture[name]!);

  const call = async (caller: Caller, method: string, url: string): Promise<LightMyRequestResponse> => {
    if (url.startsWith('/api/')) {
      return t.app.inject({ method: method as 'GET', url, headers: { authorization: `Bearer ${caller.token}`, ...(method === 'GET' ? {} : { 'content-type': 'application/json' }) }, ...(method === 'GET' ? {} : { payload: '{}' }) });
    }
    if (method === 'GET') return caller.browser.get(url);
    await caller.browser.get('/staff');
    return caller.browser.post(url, {});
  };

  it('lists who may call every referral route', () => {
    const routes = t.app.registeredRoutes().map((r) => r.route).filter((r) => !r.startsWith('HEAD') && isReferralRoute(r));
    expect(routes.sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it('refuses everyone else, and shows nothing of the referral to them', async () => {
    for (const [route, allowed] of Object.entries(EXPECTED)) {
      const [method, pattern] = route.split(' ') as [string, string];
      for (const caller of callers) {
        const res = await call(caller, method, concrete(pattern));
        const label = `${caller.who} ${pattern.startsWith('/api/') ? 'token' : 'session'} → ${route}`;
        const sameRoleOtherForce = !allowed.includes(caller.who) && pattern.includes(':id') && caller.who.startsWith('south') && allowed.includes(caller.who.replace('south', 'north') as Who);
        if (sameRoleOtherForce) {
          // The right role in another force: the same answer as for a referral that does not exist.
          const missing = await call(caller, method, pattern.replace(':id', randomId()));
          expect(res.statusCode, label).toBe(missing.statusCode);
          if (method === 'GET') expect(res.statusCode, label).toBe(404);
        } else if (!allowed.includes(caller.who)) {
          // Partnerships are an administration page (403, like the other admin pages); everything else is concealed.
          expect(res.statusCode, label).toBe(route.includes('/admin/') ? 403 : 404);
        } else if (method === 'GET') {
          expect(res.statusCode, label).toBe(200);
        } else if (EMPTY_FORM_IS_ENOUGH.has(route)) {
          expect(res.statusCode, label).toBe(303);
        } else {
          // Allowed: the empty request reaches validation.
          expect(res.statusCode, label).toBe(400);
        }
        if (!allowed.includes(caller.who) || caller.who.startsWith('south')) expect(res.body, label).not.toContain(SECRET);
      }
    }
  }, 120_000);
});
