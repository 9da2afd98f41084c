import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessControl, staffOf, type Authenticator } from './access.ts';
import type { AccessRule, OrgKind, Principal, Role } from './principal.ts';

/**
 * Deny by default and the role rules, on a bare Fastify with the access plugin and a stand-in
 * authenticator: the caller is named by a header, so every kind of caller can be tried quickly.
 */
const staff = (role: Role, orgKind: OrgKind, caseworkRole: Role | null = null): Principal => ({
  kind: 'staff',
  staff: { userId: `u-${role}`, orgId: 'org', orgKind, orgSlug: 'org', orgName: 'Org', role, caseworkRole },
  sessionIdHash: 'session',
  stepUpAt: null,
});
const SESSIONS: Record<string, Principal> = {
  caseworker: staff('caseworker', 'support'),
  outreach: staff('outreach', 'support'),
  admin: staff('admin', 'support'),
  'admin-who-works-cases': staff('admin', 'support', 'caseworker'),
  'police-officer': staff('officer', 'police'),
  mfa: { kind: 'signing-in', userId: 'u', stage: 'mfa', sessionIdHash: 's' },
  enrol: { kind: 'signing-in', userId: 'u', stage: 'enrol', sessionIdHash: 's' },
};
const TOKENS: Record<string, Principal> = {
  'support-caseworker': { kind: 'api', tokenId: 't1', orgId: 'org', orgKind: 'support', role: 'caseworker' },
  'police-supervisor': { kind: 'api', tokenId: 't2', orgId: 'force', orgKind: 'police', role: 'supervisor' },
};
const MEMBER_CODE = '1234 5678 9012 3456';

const authenticator: Authenticator = {
  async fromSessionCookie(request) {
    return SESSIONS[String(request.headers['x-session'])] ?? { kind: 'anonymous' };
  },
  async fromBearerToken(token) {
    return TOKENS[token] ?? { kind: 'anonymous' };
  },
  async fromMemberCode(code, address) {
    return code === MEMBER_CODE && address === '127.0.0.1'
      ? { kind: 'member', memberId: 'm1', orgId: 'org' }
      : { kind: 'anonymous' };
  },
};

async function appWith(
  routes: Record<string, AccessRule | undefined>,
  options: { metricsGate?: (r: unknown) => boolean; withMemberCodes?: boolean } = {},
): Promise<FastifyInstance> {
  const app = Fastify();
  const { fromMemberCode: _, ...withoutMembers } = authenticator;
  await app.register(accessControl, {
    authenticator: options.withMemberCodes === false ? withoutMembers : authenticator,
    ...(options.metricsGate ? { metricsGate: options.metricsGate } : {}),
  });
  for (const [url, access] of Object.entries(routes))
    app.get(url, access ? { config: { access } } : {}, async (request) => ({ principal: request.principal }));
  await app.ready();
  return app;
}

const ask = (app: FastifyInstance, url: string, headers: Record<string, string> = {}) =>
  app.inject({ method: 'GET', url, headers });

describe('deny by default', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await appWith({ '/forgot': undefined, '/open': { kind: 'public' }, '/desk': { kind: 'staff' } });
  });
  afterAll(() => app.close());

  it('refuses a route that declared nothing to everybody, signed in or not, and names it', async () => {
    const callers: Record<string, string>[] = [
      {},
      { 'x-session': 'admin' },
      { authorization: 'Bearer police-supervisor' },
    ];
    for (const headers of callers) {
      const res = await ask(app, '/forgot', headers);
      expect(res.statusCode).toBe(403);
      expect(res.json()).toMatchObject({ code: 'forbidden', message: 'This page is not available.' });
    }
    expect(app.undeclaredRoutes()).toEqual(['GET /forgot', 'HEAD /forgot']);
    expect(app.registeredRoutes()).toEqual(
      expect.arrayContaining([
        { route: 'GET /forgot', access: 'nobody' },
        { route: 'GET /open', access: 'public' },
        { route: 'GET /desk', access: 'staff' },
      ]),
    );
  });

  it('refuses a route whose configuration says other things but not who may call it', async () => {
    const other = Fastify();
    await other.register(accessControl, { authenticator });
    other.get('/limited', { config: { rateLimit: { max: 1 } } as never }, async () => 'secret');
    await other.ready();
    expect(other.registeredRoutes()).toEqual(expect.arrayContaining([{ route: 'GET /limited', access: 'nobody' }]));
    expect(other.undeclaredRoutes()).toContain('GET /limited');
    expect((await ask(other, '/limited', { 'x-session': 'admin' })).statusCode).toBe(403);
    await other.close();
  });

  it('lets anyone call a public route, as nobody in particular', async () => {
    const res = await ask(app, '/open', { 'x-session': 'admin' });
    expect(res.statusCode).toBe(200);
    expect(res.json().principal).toEqual({ kind: 'anonymous' });
  });

  it('leaves an unknown address to the not-found answer', async () => {
    expect((await ask(app, '/no-such-page')).statusCode).toBe(404);
  });
});

describe('monitoring', () => {
  it('answers 404 unless the gate lets the caller in, and 404 when no gate is configured', async () => {
    const gated = await appWith(
      { '/metrics': { kind: 'metrics' } },
      { metricsGate: (r) => (r as { headers: Record<string, string> }).headers['x-ok'] === '1' },
    );
    expect((await ask(gated, '/metrics', { 'x-ok': '1' })).statusCode).toBe(200);
    const refused = await ask(gated, '/metrics');
    expect(refused.statusCode).toBe(404);
    expect(refused.json()).toMatchObject({ code: 'not_found' });
    await gated.close();
    const ungated = await appWith({ '/metrics': { kind: 'metrics' } });
    expect((await ask(ungated, '/metrics', { 'x-ok': '1' })).statusCode).toBe(404);
    await ungated.close();
  });
});

describe('staff pages', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await appWith({
      '/desk': { kind: 'staff' },
      '/cases': { kind: 'staff', roles: ['caseworker'], orgKind: 'support' },
      '/cases-hidden': { kind: 'staff', roles: ['caseworker'], orgKind: 'support', conceal: true },
      '/support-only': { kind: 'staff', orgKind: 'support' },
      '/mfa': { kind: 'signing-in', stage: 'mfa' },
    });
  });
  afterAll(() => app.close());

  it('send anyone not signed in, or half-way through signing in, to sign in', async () => {
    for (const session of [undefined, 'mfa', 'enrol']) {
      const res = await ask(app, '/desk', session ? { 'x-session': session } : {});
      expect(res.statusCode, session).toBe(303);
      expect(res.headers.location).toBe('/sign-in');
    }
    // A bearer token is not a session.
    expect((await ask(app, '/desk', { authorization: 'Bearer support-caseworker' })).statusCode).toBe(303);
  });

  it('let any signed-in staff in when no role is named, as themselves', async () => {
    const res = await ask(app, '/desk', { 'x-session': 'police-officer' });
    expect(res.statusCode).toBe(200);
    expect(res.json().principal).toEqual(SESSIONS['police-officer']);
  });

  it('refuse other roles with 403, or 404 where the rule conceals the page', async () => {
    expect((await ask(app, '/cases', { 'x-session': 'caseworker' })).statusCode).toBe(200);
    const refused = await ask(app, '/cases', { 'x-session': 'outreach' });
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({
      code: 'forbidden',
      message: 'You do not have permission to see this page.',
    });
    const concealed = await ask(app, '/cases-hidden', { 'x-session': 'outreach' });
    expect(concealed.statusCode).toBe(404);
    expect(concealed.json()).toMatchObject({
      code: 'not_found',
      message: 'If you typed the web address, check it is correct.',
    });
    expect((await ask(app, '/cases-hidden', { 'x-session': 'caseworker' })).statusCode).toBe(200);
  });

  it('admit an administrator who also works cases by that role', async () => {
    expect((await ask(app, '/cases', { 'x-session': 'admin' })).statusCode).toBe(403);
    expect((await ask(app, '/cases', { 'x-session': 'admin-who-works-cases' })).statusCode).toBe(200);
  });

  it('refuse the other kind of organisation, whatever the role', async () => {
    expect((await ask(app, '/support-only', { 'x-session': 'police-officer' })).statusCode).toBe(403);
    expect((await ask(app, '/support-only', { 'x-session': 'outreach' })).statusCode).toBe(200);
  });

  it('keep the sign-in steps to the person at that step', async () => {
    expect((await ask(app, '/mfa', { 'x-session': 'mfa' })).statusCode).toBe(200);
    for (const session of [undefined, 'enrol', 'caseworker']) {
      const res = await ask(app, '/mfa', session ? { 'x-session': session } : {});
      expect(res.statusCode, session).toBe(303);
      expect(res.headers.location).toBe('/sign-in');
    }
  });
});

describe('the API', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await appWith({
      '/api/any': { kind: 'api' },
      '/api/police': { kind: 'api', roles: ['supervisor'], orgKind: 'police' },
      '/api/police-hidden': { kind: 'api', roles: ['supervisor'], orgKind: 'police', conceal: true },
      '/api/warnings': { kind: 'member-or-api', roles: ['caseworker'] },
    });
  });
  afterAll(() => app.close());

  it('needs a valid bearer token: none, a malformed one, an unknown one and a session all get 401', async () => {
    const callers: Record<string, string>[] = [
      {},
      { authorization: 'Bearer' },
      { authorization: 'Bearer support caseworker' },
      { authorization: 'bearer support-caseworker' },
      { authorization: 'Basic support-caseworker' },
      { authorization: 'Bearer nobody-knows-this' },
      { authorization: 'Bearer support-caseworker extra' },
      { 'x-session': 'caseworker' },
    ];
    for (const headers of callers) {
      const res = await ask(app, '/api/any', headers);
      expect(res.statusCode, JSON.stringify(headers)).toBe(401);
      expect(res.json()).toMatchObject({ code: 'unauthenticated', message: 'A valid bearer token is required.' });
    }
    const ok = await ask(app, '/api/any', { authorization: 'Bearer support-caseworker' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().principal).toEqual(TOKENS['support-caseworker']);
  });

  it('refuses a token of another role or organisation kind with 403, or 404 where concealed', async () => {
    expect((await ask(app, '/api/police', { authorization: 'Bearer police-supervisor' })).statusCode).toBe(200);
    const refused = await ask(app, '/api/police', { authorization: 'Bearer support-caseworker' });
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ code: 'forbidden', message: 'This token may not use this endpoint.' });
    expect((await ask(app, '/api/police-hidden', { authorization: 'Bearer support-caseworker' })).statusCode).toBe(404);
  });

  it('lets a member in by their code, and tokens as for the API', async () => {
    const member = await ask(app, '/api/warnings', { authorization: `Member ${MEMBER_CODE}` });
    expect(member.statusCode).toBe(200);
    expect(member.json().principal).toEqual({ kind: 'member', memberId: 'm1', orgId: 'org' });
    expect((await ask(app, '/api/warnings', { authorization: 'Bearer support-caseworker' })).statusCode).toBe(200);
    expect((await ask(app, '/api/warnings', { authorization: 'Bearer police-supervisor' })).statusCode).toBe(403);
    const wrongCode = await ask(app, '/api/warnings', { authorization: 'Member 9999 9999 9999 9999' });
    expect(wrongCode.statusCode).toBe(401);
    expect(wrongCode.json()).toMatchObject({
      code: 'unauthenticated',
      message: 'A valid member code or bearer token is required.',
    });
    // Not a member code at all: it is read as a (missing) bearer token.
    for (const authorization of ['Member 1234', `Member ${MEMBER_CODE}x`, `member ${MEMBER_CODE}`]) {
      const res = await ask(app, '/api/warnings', { authorization });
      expect(res.statusCode, authorization).toBe(401);
      expect(res.json().message, authorization).toBe('A valid bearer token is required.');
    }
    // Only a header that starts with the word counts.
    for (const authorization of [
      `NotMember ${MEMBER_CODE}`,
      `x Bearer support-caseworker`,
      'NotBearer support-caseworker',
    ])
      expect((await ask(app, '/api/warnings', { authorization })).statusCode, authorization).toBe(401);
    expect((await ask(app, '/api/warnings')).statusCode).toBe(401);
    // A member code does not open an API-only operation.
    expect((await ask(app, '/api/any', { authorization: `Member ${MEMBER_CODE}` })).statusCode).toBe(401);
  });

  it('admits tokens only when no member lookup is configured', async () => {
    const tokensOnly = await appWith({ '/api/warnings': { kind: 'member-or-api' } }, { withMemberCodes: false });
    const res = await ask(tokensOnly, '/api/warnings', { authorization: `Member ${MEMBER_CODE}` });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ message: 'A valid member code or bearer token is required.' });
    expect((await ask(tokensOnly, '/api/warnings', { authorization: 'Bearer police-supervisor' })).statusCode).toBe(
      200,
    );
    await tokensOnly.close();
  });
});

describe('the member of staff behind a request', () => {
  it('is the signed-in staff identity, and anyone else is refused', () => {
    const identity = (SESSIONS.caseworker as Extract<Principal, { kind: 'staff' }>).staff;
    expect(staffOf({ principal: SESSIONS.caseworker } as never)).toBe(identity);
    expect(() => staffOf({ principal: TOKENS['support-caseworker'] } as never)).toThrow('Sign in first.');
    try {
      staffOf({ principal: { kind: 'anonymous' } } as never);
    } catch (error) {
      expect(error).toMatchObject({ statusCode: 403, code: 'forbidden' });
    }
    expect.assertions(3);
  });
});
