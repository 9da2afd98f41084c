import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomId } from '../../src/platform/crypto/index.ts';
import type { Role } from '../../src/platform/http/principal.ts';
import { testDatabases } from '../support/databases.ts';
import { callAs } from '../support/matrix.ts';
import { TestBrowser } from '../support/httpClient.ts';
import { signedInStaff } from '../support/staff.ts';
import { startTestApp, type TestApp } from '../support/testApp.ts';

/**
 * The casework role matrix. One user (and one API token) of every role in two
 * support organisations and one police force calls every casework page and API
 * operation. Only the roles named below may call each one, and only for their
 * own organisation's records; everyone else gets 404, so not even the existence
 * of a case is revealed. Every casework route must be listed here: a new route
 * that is not fails this test until someone decides who may call it.
 */

type SupportRole = 'admin' | 'caseworker' | 'liaison' | 'outreach' | 'analyst';
const WORKERS: readonly SupportRole[] = ['caseworker', 'liaison'];
const REACH: readonly SupportRole[] = ['outreach', 'caseworker', 'liaison'];
const WARNING_READERS: readonly SupportRole[] = ['outreach', 'caseworker', 'liaison', 'admin'];
const MEMBER_APPROVERS: readonly SupportRole[] = ['outreach', 'caseworker'];
const MEMBER_SUSPENDERS: readonly SupportRole[] = ['outreach', 'caseworker', 'admin'];
const ADMINS: readonly SupportRole[] = ['admin'];

/** Which support roles may call each casework route. Police roles never may. */
const EXPECTED: Record<string, readonly SupportRole[]> = {
  // Inbox, triage and the case page.
  'GET /staff/reports': WORKERS,
  'GET /staff/reports/:reference': WORKERS,
  'POST /staff/reports/:reference/consents': WORKERS,
  'POST /staff/reports/:reference/triage': WORKERS,
  'POST /staff/reports/:reference/messages': WORKERS,
  'POST /staff/reports/:reference/notes': WORKERS,
  'POST /staff/reports/:reference/tasks': WORKERS,
  'POST /staff/reports/:reference/tasks/:taskId': WORKERS,
  'GET /staff/reports/:reference/referrals/new': WORKERS,
  'POST /staff/reports/:reference/referrals': WORKERS,
  // Keeping and erasing: a legal hold, and erasing at the person's request (with a fresh code).
  'POST /staff/reports/:reference/legal-hold': WORKERS,
  'POST /staff/reports/:reference/legal-hold/release': WORKERS,
  'POST /staff/reports/:reference/erase': WORKERS,
  'GET /staff/tasks': WORKERS,
  'GET /api/v1/reports': WORKERS,
  'GET /api/v1/reports/:reference': WORKERS,
  'PATCH /api/v1/reports/:reference': WORKERS,
  'POST /api/v1/reports/:reference/messages': WORKERS,
  'POST /api/v1/reports/:reference/consents': WORKERS,
  'POST /api/v1/reports/:reference/notes': WORKERS,
  'POST /api/v1/reports/:reference/tasks': WORKERS,
  'PATCH /api/v1/reports/:reference/tasks/:taskId': WORKERS,
  'GET /api/v1/reports/:reference/history': WORKERS,
  'POST /api/v1/reports/:reference/referrals': WORKERS,
  // People and their contact points: never outreach, who sees no contact details.
  'GET /staff/people': WORKERS,
  'GET /staff/people/new': WORKERS,
  'POST /staff/people': WORKERS,
  'GET /staff/people/:id': WORKERS,
  'POST /staff/people/:id/reports': WORKERS,
  'POST /staff/people/:id/contact-points': WORKERS,
  'POST /staff/people/:id/contact-attempts': WORKERS,
  'GET /staff/people/:id/contact-points/:cpId': WORKERS,
  'POST /staff/people/:id/contact-points/:cpId/retire': WORKERS,
  'POST /staff/people/:id/contact-points/:cpId/confirm': WORKERS,
  'GET /staff/people/:id/merge': WORKERS,
  'POST /staff/people/:id/merge': WORKERS,
  'POST /staff/people/:id/reach-me': WORKERS,
  'POST /staff/people/:id/reach-me/:entryId/close': WORKERS,
  // Erasing a person record: one asks, a different one confirms.
  'GET /staff/people/:id/erasure': WORKERS,
  'POST /staff/people/:id/erasure': WORKERS,
  'POST /staff/people/:id/erasure/cancel': WORKERS,
  'POST /staff/people/:id/erasure/confirm': WORKERS,
  // A subject access request made in person: the record's and its reports' own data, as a page and a file.
  'GET /staff/people/:id/subject-access': WORKERS,
  'GET /staff/people/:id/subject-access.json': WORKERS,
  'GET /api/v1/people': WORKERS,
  'POST /api/v1/people': WORKERS,
  'GET /api/v1/people/:id': WORKERS,
  'POST /api/v1/people/:id/contact-points': WORKERS,
  'POST /api/v1/people/:id/contact-points/:cpId/retire': WORKERS,
  'POST /api/v1/people/:id/contact-attempts': WORKERS,
  // The reach-me list: outreach too, seeing a working name and a message only.
  'GET /outreach/reach-me': REACH,
  'POST /outreach/reach-me/:entryId/sightings': REACH,
  'GET /api/v1/reach-me': REACH,
  'POST /api/v1/reach-me/:entryId/sightings': REACH,
  // Warnings: drafts are case work; published warnings and the checker are for everyone who meets people.
  'GET /staff/warnings': WARNING_READERS,
  'GET /staff/warnings/print': WARNING_READERS,
  'GET /staff/warnings/print.css': WARNING_READERS,
  'GET /staff/warnings/check': WARNING_READERS,
  'POST /staff/warnings/check': WARNING_READERS,
  'GET /staff/warnings/new': WORKERS,
  'POST /staff/warnings/new': WORKERS,
  'GET /staff/warnings/:id': WORKERS,
  'POST /staff/warnings/:id/approve': WORKERS,
  'POST /staff/warnings/:id/withdraw': WORKERS,
  'POST /api/v1/warnings': WORKERS,
  'POST /api/v1/warnings/:id/approve': WORKERS,
  'POST /api/v1/warnings/:id/withdraw': WORKERS,
  'GET /api/v1/warnings': WARNING_READERS,
  'GET /api/v1/warnings/check': WARNING_READERS,
  // Member codes are issued on outreach too; the list never shows a code. Join requests are approved by
  // those who meet people; anyone who may have to stop a member quickly can suspend one; administrators
  // choose how people join.
  'GET /staff/members': WARNING_READERS,
  'GET /staff/members/new': REACH,
  'POST /staff/members/new': REACH,
  'POST /staff/members/approve': MEMBER_APPROVERS,
  'POST /staff/members/:id/suspend': MEMBER_SUSPENDERS,
  'POST /staff/members/:id/restore': MEMBER_SUSPENDERS,
  'GET /admin/members': ADMINS,
  'POST /admin/members': ADMINS,
  // Attrition watch: the at-risk list and each case's engagement.
  'GET /staff/at-risk': WORKERS,
  'GET /api/v1/at-risk': WORKERS,
  'GET /staff/reports/:reference/engagement': WORKERS,
  'POST /staff/reports/:reference/engagement': WORKERS,
  'POST /api/v1/reports/:reference/engagement': WORKERS,
};

/** Queries a GET needs before it can answer 200. */
const QUERIES: Record<string, string> = { 'GET /api/v1/warnings/check': '?phone=07700900111' };

/** URL prefixes that belong to casework; every route under them must be in EXPECTED. */
const CASEWORK_PREFIXES = [
  '/staff/reports',
  '/staff/people',
  '/staff/tasks',
  '/staff/warnings',
  '/staff/members',
  '/outreach',
  '/api/v1/reports/',
  '/api/v1/people',
  '/api/v1/reach-me',
  '/api/v1/warnings',
  '/staff/at-risk',
  '/api/v1/at-risk',
  '/admin/members',
];
/** The person's own report, opened with a receipt code, and public submission: the reporting issue's, not casework. */
const PUBLIC_REPORTING = ['POST /api/v1/reports', 'GET /api/v1/reports/self', 'POST /api/v1/reports/self/'];
const isCasework = (route: string) => {
  const url = route.split(' ')[1] ?? '';
  if (PUBLIC_REPORTING.some((p) => route === p || (p.endsWith('/') && route.startsWith(p)))) return false;
  return CASEWORK_PREFIXES.some((prefix) => url === prefix.replace(/\/$/, '') || url.startsWith(prefix));
};

const SUPPORT: SupportRole[] = ['admin', 'caseworker', 'liaison', 'outreach', 'analyst'];
const POLICE: Role[] = ['admin', 'officer', 'supervisor', 'analyst'];

interface Caller {
  label: string;
  org: 'home' | 'other' | 'police';
  roles: readonly Role[];
  browser: TestBrowser;
  token: string;
}

describe.each(testDatabases)('the casework role matrix on %s', (kind) => {
  let t: TestApp;
  const callers: Caller[] = [];
  let fixture: Record<string, string>;
  let caseworkerId = '';
  /** A draft warning: `:id` under /warnings names it rather than the person. */
  let warningId = '';
  /** A member: `:id` under /members names them. */
  let memberId = '';
  const SECRET_ACCOUNT = 'MATRIX-ACCOUNT he hurt me by the canal';

  beforeAll(async () => {
    t = await startTestApp(kind);
    const orgs = {
      home: await t.services.organisations.create(
        { kind: 'support', name: 'Safe Streets', slug: 'safe-streets' },
        { kind: 'system' },
      ),
      other: await t.services.organisations.create(
        { kind: 'support', name: 'Other Project', slug: 'other-project' },
        { kind: 'system' },
      ),
      police: await t.services.organisations.create(
        { kind: 'police', name: 'Northshire Police', slug: 'northshire' },
        { kind: 'system' },
      ),
    };
    const people: { org: keyof typeof orgs; role: Role; caseworkRole?: Role }[] = [
      ...SUPPORT.map((role) => ({ org: 'home' as const, role })),
      { org: 'home', role: 'admin', caseworkRole: 'caseworker' },
      ...SUPPORT.map((role) => ({ org: 'other' as const, role })),
      ...POLICE.map((role) => ({ org: 'police' as const, role })),
    ];
    for (const person of people) {
      const slug = orgs[person.org].slug;
      const staff = await signedInStaff(t, {
        role: person.role,
        orgKind: person.org === 'police' ? 'police' : 'support',
        orgSlug: slug,
      });
      if (person.caseworkRole)
        await t.services.db
          .updateTable('users')
          .set({ casework_role: person.caseworkRole })
          .where('id', '=', staff.userId)
          .execute();
      if (person.org === 'home' && person.role === 'caseworker') caseworkerId = staff.userId;
      const { token } = await t.services.apiTokens.create(
        { orgSlug: slug, role: person.role, name: `${person.role} token` },
        { kind: 'system' },
      );
      await staff.browser.get('/staff');
      callers.push({
        label: `${person.org} ${person.role}${person.caseworkRole ? `+${person.caseworkRole}` : ''}`,
        org: person.org,
        roles: person.caseworkRole ? [person.role, person.caseworkRole] : [person.role],
        browser: staff.browser,
        // An administrator's working role belongs to the person, not to tokens.
        token: person.caseworkRole ? '' : token,
      });
    }
    const report = await t.services.reports.submit(
      {
        org: 'safe-streets',
        incidentTypes: ['physical-assault'],
        account: SECRET_ACCOUNT,
        consents: {
          support: true,
          warnOthers: true,
          policeIntelligence: false,
          policeReport: false,
          policeContact: false,
        },
        perpetrator: { names: [], phones: ['07700900111'], emails: [], handles: [] },
        contact: { name: 'Ruby', methods: [{ kind: 'text', value: '07700900456', safeToLeaveMessage: false }] },
      },
      { source: 'online', recordedBy: null, idempotencyKey: undefined },
    );
    const orgId = orgs.home.id;
    const worker = { kind: 'token' as const, id: 'matrix-fixture', orgId };
    const reportId = (await t.services.caseWork.reportId(orgId, report.reference)) ?? '';
    const person = await t.services.people.create(
      worker,
      { workingName: 'Ruby', otherNames: [], languages: [], interpreter: 'unknown', notes: '' },
      reportId,
    );
    const point = await t.services.people.addContactPoint(worker, person.id, {
      kind: 'mobile',
      value: '07700900456',
      safeToLeaveMessage: false,
      safeTimes: undefined,
      codeWord: undefined,
    });
    const entry = await t.services.reachMe.add(worker, person.id, {
      recognise: undefined,
      whereSeen: 'Canal Street, evenings',
      message: 'Please ring Kerina at the drop-in',
    });
    const task = await t.services.caseWork.addTask(worker, reportId, {
      title: 'Ring back',
      dueOn: '2026-12-01',
      owner: caseworkerId,
    });
    const warning = await t.services.warnings.draft(worker, {
      reports: [report.reference],
      title: 'Man at the arches',
      body: 'Be careful.',
      type: 'physical-assault',
      area: null,
      phones: ['07700900111'],
      registrations: [],
      handles: [],
      vehicle: '',
      description: '',
    });
    fixture = { reference: report.reference, id: person.id, cpId: point.id, entryId: entry.id, taskId: task.id };
    warningId = warning;
    memberId = (await t.services.members.join(orgId, { name: 'Matrix member' })).memberId;
  }, 120_000);
  afterAll(async () => t.close());

  /** The pattern with this organisation's records filled in, or (`missing`) ids that name nothing. */
  const concrete = (url: string, missing = false) =>
    url.replace(/:(\w+)/g, (_, name: string) => {
      if (missing) return name === 'reference' ? 'R-2222-2222' : randomId();
      const value =
        name === 'id' && url.includes('/warnings/')
          ? warningId
          : name === 'id' && url.includes('/members/')
            ? memberId
            : fixture[name];
      if (!value) throw new Error(`No fixture for :${name} in ${url}`);
      return value;
    });

  const call = (caller: Caller, method: string, url: string) => callAs(t.app, caller, method, url);

  it('lists who may call every casework route', () => {
    const routes = t.app
      .registeredRoutes()
      .map((r) => r.route)
      .filter((r) => !r.startsWith('HEAD') && isCasework(r));
    expect(routes.sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  // Every route times every caller: it grows with each route, so it gets more than the default 30 s.
  it('answers 404 to every other role, organisation and police user, and reveals nothing', async () => {
    for (const [route, allowedRoles] of Object.entries(EXPECTED)) {
      const [method, pattern] = route.split(' ') as [string, string];
      const url = concrete(pattern) + (QUERIES[route] ?? '');
      for (const caller of callers) {
        const api = url.startsWith('/api/');
        if (api && !caller.token) continue;
        const allowedRole =
          caller.org !== 'police' &&
          (api ? [caller.roles[0]] : caller.roles).some((r) => allowedRoles.includes(r as SupportRole));
        const res = await call(caller, method, url);
        const who = `${caller.label} ${api ? 'token' : 'session'} → ${route}`;
        if (!allowedRole) {
          expect(res.statusCode, who).toBe(404);
          expect(res.body, who).not.toContain(SECRET_ACCOUNT);
        } else if (caller.org === 'other' && pattern.includes(':')) {
          // The right role in another organisation: the answer is the one for a record that does not exist.
          const missing = await call(caller, method, concrete(pattern, true));
          expect(res.statusCode, who).toBe(missing.statusCode);
          if (method === 'GET') expect(res.statusCode, who).toBe(404);
          expect(res.body, who).not.toContain(SECRET_ACCOUNT);
        } else if (method === 'GET') {
          expect(res.statusCode, who).toBe(200);
        } else {
          // Allowed to call it: the request reaches validation or the action (tested in each feature);
          // 409 when an earlier caller already did it (approving a warning twice).
          expect([200, 201, 303, 400, 409], who).toContain(res.statusCode);
        }
      }
    }
  }, 180_000);

  it('shows the account to those who work the case, and audits each view', async () => {
    const reader = callers.find((c) => c.label === 'home caseworker');
    const page = await reader?.browser.get(`/staff/reports/${fixture.reference}`);
    expect(page?.body).toContain(SECRET_ACCOUNT);
    const adminCaseworker = callers.find((c) => c.label === 'home admin+caseworker');
    expect((await adminCaseworker?.browser.get(`/staff/reports/${fixture.reference}`))?.body).toContain(SECRET_ACCOUNT);
    const views = await t.services.db
      .selectFrom('audit_entries')
      .select(['actor_id'])
      .where('action', '=', 'report.viewed')
      .execute();
    expect(views.length).toBeGreaterThanOrEqual(2);
  });
});
