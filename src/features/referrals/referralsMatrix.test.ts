import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomId } from '../../platform/crypto/index.ts';
import type { Role } from '../../platform/http/principal.ts';
import { testDatabases } from '../../../test/support/databases.ts';
import { callAs } from '../../../test/support/matrix.ts';
import type { TestBrowser } from '../../../test/support/httpClient.ts';
import { signedInStaff } from '../../../test/support/staff.ts';
import { startTestApp, type TestApp } from '../../../test/support/testApp.ts';

/**
 * The police liaison role matrix: a user and an API token of every role in the
 * support organisation, the force it referred to ("north") and another force
 * ("south") call every referral, police case, duty, appointment, training and
 * bank holiday page and operation, on both sides. Only the callers named
 * may; everyone else is refused without learning anything. Every route under
 * the prefixes below must be listed here.
 */
type Who = `${'support' | 'north' | 'south'} ${Role}`;
const SUPPORT_WORKERS: Who[] = ['support caseworker', 'support liaison'];
const POLICE_READERS: Who[] = ['north officer', 'north supervisor'];
const SUPERVISOR: Who[] = ['north supervisor'];
const CASE_TOKENS: Who[] = ['north supervisor', 'support liaison'];

const EXPECTED: Record<string, Who[]> = {
  // The charity's administrator asks, the force's administrator accepts; either ends it.
  'GET /admin/partnerships': ['support admin', 'north admin'],
  'POST /admin/partnerships': ['support admin'],
  'POST /admin/partnerships/accept': ['north admin'],
  'POST /admin/partnerships/remove': ['support admin', 'north admin'],
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
  // The charity's side of the same case (police-cases/caseRoutes.ts, appointments/routes.ts).
  'GET /staff/cases/:caseId': SUPPORT_WORKERS,
  'POST /staff/cases/:caseId/duties/:dutyId/met': SUPPORT_WORKERS,
  'POST /staff/cases/:caseId/duties/:dutyId/not-met': SUPPORT_WORKERS,
  // Telling the person through Check your report is the charity's alone.
  'POST /staff/cases/:caseId/duties/:dutyId/tell': SUPPORT_WORKERS,
  'POST /staff/cases/:caseId/messages': SUPPORT_WORKERS,
  'GET /staff/cases/:caseId/appointments': SUPPORT_WORKERS,
  'POST /staff/cases/:caseId/appointments': SUPPORT_WORKERS,
  'POST /staff/cases/:caseId/appointments/:id/confirm': SUPPORT_WORKERS,
  'POST /staff/cases/:caseId/appointments/:id/outcome': SUPPORT_WORKERS,
  'GET /staff/duties': SUPPORT_WORKERS,
  // The case API: police supervisor tokens and the charity's liaison tokens (caseworkers too for appointments);
  // the service scopes each case to its force and charity.
  'GET /api/v1/cases/:caseId': CASE_TOKENS,
  'POST /api/v1/cases/:caseId/events': CASE_TOKENS,
  'GET /api/v1/cases/:caseId/messages': CASE_TOKENS,
  'POST /api/v1/cases/:caseId/messages': CASE_TOKENS,
  'POST /api/v1/cases/:caseId/contact-requests': SUPERVISOR,
  'GET /api/v1/cases/:caseId/appointments': [...CASE_TOKENS, 'support caseworker'],
  'POST /api/v1/cases/:caseId/appointments': [...CASE_TOKENS, 'support caseworker'],
  'PATCH /api/v1/appointments/:id': [...CASE_TOKENS, 'support caseworker', 'south supervisor'],
  'GET /api/v1/duties': [...CASE_TOKENS, 'south supervisor'],
  'POST /api/v1/duties/:id/met': [...CASE_TOKENS, 'south supervisor'],
  'POST /api/v1/duties/:id/told-through-check': ['support liaison'],
  // Administration: training records (the charity's admins and liaison officer), bank holidays.
  'GET /admin/training': ['support admin', 'support liaison'],
  'POST /admin/training': ['support admin', 'support liaison'],
  'GET /admin/training/:id/remove': ['support admin', 'support liaison'],
  'POST /admin/training/:id/remove': ['support admin', 'support liaison'],
  'GET /admin/bank-holidays': ['support admin', 'north admin'],
  'POST /admin/bank-holidays': ['support admin'],
  'POST /admin/bank-holidays/:date/remove': ['support admin'],
};

/** Allowed POSTs that need nothing typed: an empty form does the thing (the reason for a contact request is optional). */
const EMPTY_FORM_IS_ENOUGH = new Set([
  'POST /police/cases/:caseId/contact-requests',
  'POST /api/v1/cases/:caseId/contact-requests',
]);

/** Administration pages refuse with 403, like the other admin pages; training records are concealed (404) like case work. */
const REFUSED_WITH_403 = ['/admin/partnerships', '/admin/bank-holidays'];

/** Allowed callers whose request names no record: the answer says so (others get 403 there). */
const ALLOWED_ANSWER: Record<string, number> = { 'POST /admin/bank-holidays/:date/remove': 404 };

/** Ids that an operation reaches only after validating the request: a made-up one shows the access rule alone. */
// 2 January 2031 is a working day under the standing rules, so there is no holiday to remove.
const NOT_A_RECORD: Record<string, string> = { date: '2031-01-02' };

const isReferralRoute = (route: string) => {
  const url = route.split(' ')[1] ?? '';
  return (
    url.startsWith('/police/') ||
    url.includes('/referrals') ||
    [
      '/admin/partnerships',
      '/admin/training',
      '/admin/bank-holidays',
      '/staff/cases',
      '/staff/duties',
      '/api/v1/cases',
      '/api/v1/duties',
      '/api/v1/appointments',
    ].some((prefix) => url.startsWith(prefix))
  );
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
    const support = await t.services.organisations.create(
      { kind: 'support', name: 'Safe Streets', slug: 'support' },
      { kind: 'system' },
    );
    const north = await t.services.organisations.create(
      { kind: 'police', name: 'Northshire Police', slug: 'north' },
      { kind: 'system' },
    );
    await t.services.organisations.create(
      { kind: 'police', name: 'Southshire Police', slug: 'south' },
      { kind: 'system' },
    );
    await t.services.partnerships.link(support.id, north.id, { kind: 'system' });
    const people: [string, 'support' | 'police', Role[]][] = [
      ['support', 'support', ['admin', 'caseworker', 'liaison', 'outreach', 'analyst']],
      ['north', 'police', ['admin', 'officer', 'supervisor', 'analyst']],
      ['south', 'police', ['officer', 'supervisor']],
    ];
    for (const [slug, orgKind, roles] of people) {
      for (const role of roles) {
        const staff = await signedInStaff(t, { role, orgKind, orgSlug: slug });
        const { token } = await t.services.apiTokens.create(
          { orgSlug: slug, role, name: `${role} token` },
          { kind: 'system' },
        );
        callers.push({ who: `${slug} ${role}` as Who, browser: staff.browser, token });
        if (slug === 'north' && role === 'officer') fixture.officer = staff.userId;
        if (slug === 'north' && role === 'supervisor') fixture.supervisor = staff.userId;
      }
    }
    const report = await t.services.reports.submit(
      {
        org: 'support',
        incidentTypes: ['robbery-or-theft'],
        account: 'Robbed',
        consents: {
          support: true,
          warnOthers: false,
          policeIntelligence: true,
          policeReport: false,
          policeContact: false,
        },
        perpetrator: { names: [], phones: [], emails: [], handles: [] },
        contact: { name: 'Ruby', methods: [] },
      },
      { source: 'online', recordedBy: null, idempotencyKey: undefined },
    );
    fixture.reference = report.reference;
    fixture.id = await t.services.referrals.send({ kind: 'user', id: randomId(), orgId: support.id }, report.reportId, {
      force: 'north',
      level: 'intelligence',
      summary: SECRET,
    });
    // The police case (its pages hang from :caseId).
    fixture.caseId = await t.services.referrals.accept(
      { kind: 'user', id: fixture.supervisor!, orgId: north.id, role: 'supervisor' },
      fixture.id,
      { crimeReference: 'N/1', officer: fixture.officer! },
    );
    fixture.dutyId = (
      await t.services.caseTimeline.recordEvent(
        fixture.caseId,
        { kind: 'user', id: fixture.officer!, orgId: north.id },
        { type: 'suspect-arrested', occurredAt: '2026-11-27T10:00:00Z' },
      )
    ).dutyId!;
    fixture.trainingId = await t.services.training.add(
      { kind: 'user', id: randomId(), orgId: support.id },
      {
        officer: fixture.officer!,
        name: '',
        email: '',
        force: '',
        completedOn: '2026-03-12',
        module: 'Trauma-informed interviewing',
        trainer: 'Kerina',
      },
    );
  }, 180_000);
  afterAll(async () => t.close());

  /** `:id` names the referral, except under /admin/training where it names the training record. */
  const concrete = (pattern: string) =>
    pattern.replace(
      /:(\w+)/g,
      (_, name: string) =>
        (name === 'id' && pattern.startsWith('/admin/training') ? fixture.trainingId : fixture[name]) ??
        NOT_A_RECORD[name] ??
        randomId(),
    );

  const call = (caller: Caller, method: string, url: string) => callAs(t.app, caller, method, url);

  it('lists who may call every referral route', () => {
    const routes = t.app
      .registeredRoutes()
      .map((r) => r.route)
      .filter((r) => !r.startsWith('HEAD') && isReferralRoute(r));
    expect(routes.sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it('refuses everyone else, and shows nothing of the referral to them', async () => {
    for (const [route, allowed] of Object.entries(EXPECTED)) {
      const [method, pattern] = route.split(' ') as [string, string];
      for (const caller of callers) {
        const res = await call(caller, method, concrete(pattern));
        const label = `${caller.who} ${pattern.startsWith('/api/') ? 'token' : 'session'} → ${route}`;
        const sameRoleOtherForce =
          !allowed.includes(caller.who) &&
          /:\w/.test(pattern) &&
          caller.who.startsWith('south') &&
          allowed.includes(caller.who.replace('south', 'north') as Who);
        if (sameRoleOtherForce) {
          // The right role in another force: the same answer as for a referral that does not exist.
          const missing = await call(
            caller,
            method,
            pattern.replace(/:(\w+)/g, (_, name: string) => NOT_A_RECORD[name] ?? randomId()),
          );
          expect(res.statusCode, label).toBe(missing.statusCode);
          if (method === 'GET') expect(res.statusCode, label).toBe(404);
        } else if (!allowed.includes(caller.who)) {
          // Partnerships are an administration page (403, like the other admin pages); everything else is concealed.
          expect(res.statusCode, label).toBe(REFUSED_WITH_403.some((prefix) => pattern.startsWith(prefix)) ? 403 : 404);
        } else if (method === 'GET') {
          expect(res.statusCode, label).toBe(200);
        } else if (ALLOWED_ANSWER[route]) {
          expect(res.statusCode, label).toBe(ALLOWED_ANSWER[route]);
        } else if (EMPTY_FORM_IS_ENOUGH.has(route)) {
          expect(res.statusCode, label).toBe(pattern.startsWith('/api/') ? 201 : 303);
        } else {
          // Allowed: the empty request reaches validation.
          expect(res.statusCode, label).toBe(400);
        }
        if (!allowed.includes(caller.who) || caller.who.startsWith('south'))
          expect(res.body, label).not.toContain(SECRET);
      }
    }
  }, 120_000);
});
