import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../../test/support/databases.ts';
import { createStaff } from '../../../test/support/staff.ts';
import { startTestApp, type TestApp } from '../../../test/support/testApp.ts';

describe.each(testDatabases)('the JSON API on %s', (kind) => {
  let t: TestApp;
  let adminToken: string;
  let officerToken: string;
  let officerTokenId: string;

  beforeAll(async () => {
    t = await startTestApp(kind);
    await t.services.organisations.create({ kind: 'support', name: 'Safe Streets', slug: 'safe-streets' }, { kind: 'system' });
    await t.services.organisations.create({ kind: 'police', name: 'Northshire Police', slug: 'northshire' }, { kind: 'system' });
    adminToken = (await t.services.apiTokens.create({ orgSlug: 'safe-streets', role: 'admin', name: 'Admin script' }, { kind: 'system' })).token;
    const officer = await t.services.apiTokens.create({ orgSlug: 'northshire', role: 'officer', name: 'Force system' }, { kind: 'system' });
    officerToken = officer.token;
    officerTokenId = officer.id;
    await createStaff(t, { role: 'caseworker', orgSlug: 'safe-streets' });
  });
  afterAll(async () => t.close());

  const get = (url: string, token?: string) => t.app.inject({ url, headers: token ? { authorization: `Bearer ${token}` } : {} });

  it('tells a token who it acts for', async () => {
    const res = await get('/api/v1/me', officerToken);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('application/json');
    expect(res.json()).toMatchObject({ organisation: { slug: 'northshire', kind: 'police', name: 'Northshire Police' }, role: 'officer', tokenName: 'Force system' });
  });

  it('answers 401 in JSON without a token or with a bad one', async () => {
    for (const res of [await get('/api/v1/me'), await get('/api/v1/me', 'lia_not-a-real-token')]) {
      expect(res.statusCode).toBe(401);
      expect(res.json()).toEqual({ error: { code: 'unauthenticated', message: expect.any(String) } });
    }
  });

  it('answers 403 for a role the operation does not allow', async () => {
    const res = await get('/api/v1/staff', officerToken);
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('forbidden');
  });

  it('lists staff of the token organisation only, without contact details', async () => {
    const res = await get('/api/v1/staff', adminToken);
    expect(res.statusCode).toBe(200);
    const { items } = res.json() as { items: { role: string }[] };
    expect(items.map((i) => i.role)).toEqual(['caseworker']);
    expect(res.body).not.toContain('@example.org');
  });

  it('gives a 400 naming the field for bad input', async () => {
    const res = await get(`/api/v1/staff?role=${'x'.repeat(30)}`, adminToken);
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'invalid_request', message: expect.stringContaining('query.role') });
  });

  it('answers unknown API paths with a JSON 404', async () => {
    const res = await get('/api/v1/nothing-here', adminToken);
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('not_found');
  });

  it('verifies the audit trail for administrators', async () => {
    const res = await get('/api/v1/audit/verify', adminToken);
    expect(res.json()).toMatchObject({ ok: true });
  });

  it('stops a revoked token at once', async () => {
    await t.services.apiTokens.revoke(officerTokenId, { kind: 'system' });
    expect((await get('/api/v1/me', officerToken)).statusCode).toBe(401);
  });

  it('publishes an OpenAPI 3 document listing every /api/v1 operation', async () => {
    const res = await get('/api/v1/openapi.json');
    expect(res.statusCode).toBe(200);
    const doc = res.json() as { openapi: string; paths: Record<string, Record<string, { responses: object; security: unknown[] }>>; components: { securitySchemes: object } };
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.components.securitySchemes).toHaveProperty('bearerToken');
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    const registered = t.app
      .registeredRoutes()
      .map((r) => r.route.replace(/:(\w+)/g, '{$1}'))
      .filter((r) => r.includes(' /api/v1/') && !r.startsWith('HEAD') && !r.endsWith('/openapi.json'));
    expect(registered.length).toBeGreaterThanOrEqual(3);
    expect(documented.sort()).toEqual(registered.sort());
    for (const [, ops] of Object.entries(doc.paths)) for (const op of Object.values(ops)) expect(op.responses).toHaveProperty('400');
  });
});
