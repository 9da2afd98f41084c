import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../../test/support/databases.ts';
import { createStaff } from '../../../test/support/staff.ts';
import { startTestApp, type TestApp } from '../../../test/support/testApp.ts';

describe.each(testDatabases)('the JSON API on %s', (kind) => {
  let t: TestApp;
  let adminToken: string;
  let policeAdminToken: string;
  let officerToken: string;
  let officerTokenId: string;
  let caseworkerEmail: string;

  beforeAll(async () => {
    t = await startTestApp(kind);
    await t.services.organisations.create(
      { kind: 'support', name: 'Safe Streets', slug: 'safe-streets' },
      { kind: 'system' },
    );
    await t.services.organisations.create(
      { kind: 'police', name: 'Northshire Police', slug: 'northshire' },
      { kind: 'system' },
    );
    adminToken = (
      await t.services.apiTokens.create(
        { orgSlug: 'safe-streets', role: 'admin', name: 'Admin script' },
        { kind: 'system' },
      )
    ).token;
    policeAdminToken = (
      await t.services.apiTokens.create(
        { orgSlug: 'northshire', role: 'admin', name: 'Force admin' },
        { kind: 'system' },
      )
    ).token;
    const officer = await t.services.apiTokens.create(
      { orgSlug: 'northshire', role: 'officer', name: 'Force system' },
      { kind: 'system' },
    );
    officerToken = officer.token;
    officerTokenId = officer.id;
    caseworkerEmail = (await createStaff(t, { role: 'caseworker', orgSlug: 'safe-streets' })).email;
  });
  afterAll(async () => t.close());

  const call = (method: 'GET' | 'DELETE' | 'POST', url: string, token?: string) =>
    t.app.inject({ method, url, headers: token ? { authorization: `Bearer ${token}` } : {} });
  const get = (url: string, token?: string) => call('GET', url, token);

  it('tells a token who it acts for', async () => {
    const res = await get('/api/v1/me', officerToken);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('application/json');
    expect(res.json()).toEqual({
      organisation: { id: expect.any(String), slug: 'northshire', kind: 'police', name: 'Northshire Police' },
      role: 'officer',
      tokenName: 'Force system',
    });
  });

  it('answers 401 in JSON without a token, with a bad one, or with another scheme', async () => {
    const attempts = [
      await get('/api/v1/me'),
      await get('/api/v1/me', 'lia_not-a-real-token'),
      await t.app.inject({ url: '/api/v1/me', headers: { authorization: `Basic ${officerToken}` } }),
      await t.app.inject({ url: '/api/v1/me', headers: { authorization: `Bearer ${officerToken} extra` } }),
    ];
    for (const res of attempts) {
      expect(res.statusCode).toBe(401);
      expect(res.json()).toEqual({ error: { code: 'unauthenticated', message: expect.any(String) } });
    }
  });

  it('answers 403 for a role or kind of organisation the operation does not allow', async () => {
    for (const res of [
      await get('/api/v1/staff', officerToken),
      await get('/api/v1/tokens', officerToken),
      await get('/api/v1/audit/verify', policeAdminToken),
    ]) {
      expect(res.statusCode).toBe(403);
      expect(res.json()).toEqual({ error: { code: 'forbidden', message: expect.any(String) } });
    }
  });

  it('lists staff of the token organisation only, without contact details', async () => {
    const res = await get('/api/v1/staff', adminToken);
    expect(res.statusCode).toBe(200);
    const { items } = res.json() as { items: { role: string }[] };
    expect(items.map((i) => i.role)).toEqual(['caseworker']);
    expect(res.body).not.toContain(caseworkerEmail);
    expect(res.body).not.toContain('@');
    expect((await get('/api/v1/staff?role=caseworker', adminToken)).json().items).toHaveLength(1);
    expect((await get('/api/v1/staff?role=analyst', adminToken)).json().items).toEqual([]);
    expect((await get('/api/v1/staff', policeAdminToken)).json().items).toEqual([]);
  });

  it('gives a 400 in JSON naming the field for bad input', async () => {
    const res = await get('/api/v1/staff?role=chief', adminToken);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      error: { code: 'invalid_request', message: expect.stringMatching(/^query\.role: Role must be one of/) },
    });
    const badId = await call('DELETE', '/api/v1/tokens/not-a-uuid', adminToken);
    expect(badId.statusCode).toBe(400);
    expect(badId.json().error).toEqual({ code: 'invalid_request', message: 'params.id: Token id must be a UUID' });
  });

  it('answers unknown API paths and methods with a JSON 404', async () => {
    for (const res of [
      await get('/api/v1/nothing-here', adminToken),
      await get('/api/nothing'),
      await call('POST', '/api/v1/me', adminToken),
    ]) {
      expect(res.statusCode).toBe(404);
      expect(res.headers['content-type']).toContain('application/json');
      expect(res.json().error.code).toBe('not_found');
    }
  });

  it('verifies the audit trail for support organisation administrators, and audits the check', async () => {
    const res = await get('/api/v1/audit/verify', adminToken);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ ok: true, checked: expect.any(Number) });
    const audited = await t.services.db
      .selectFrom('audit_entries')
      .select(['actor_kind', 'detail'])
      .where('action', '=', 'audit.verified')
      .execute();
    expect(audited).toEqual([{ actor_kind: 'api-token', detail: '{"ok":true}' }]);
  });

  it("lists the organisation's tokens without their secrets or hashes", async () => {
    const res = await get('/api/v1/tokens', policeAdminToken);
    expect(res.statusCode).toBe(200);
    const items = res.json().items as { name: string; role: string; revokedAt: string | null }[];
    expect(items.map((i) => [i.name, i.role, i.revokedAt])).toEqual([
      ['Force admin', 'admin', null],
      ['Force system', 'officer', null],
    ]);
    const hashes = await t.services.db.selectFrom('api_tokens').select('token_hash').execute();
    for (const secret of [policeAdminToken, officerToken, adminToken, ...hashes.map((h) => h.token_hash)])
      expect(res.body).not.toContain(secret);
    expect(res.body).not.toContain('Admin script');
  });

  it("cannot revoke another organisation's token, and cannot tell it exists", async () => {
    const res = await call('DELETE', `/api/v1/tokens/${officerTokenId}`, adminToken);
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('not_found');
    expect((await get('/api/v1/me', officerToken)).statusCode).toBe(200);
  });

  it('stops a revoked token at once, and audits who revoked it', async () => {
    const res = await call('DELETE', `/api/v1/tokens/${officerTokenId}`, policeAdminToken);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ id: officerTokenId, revoked: true });
    expect((await get('/api/v1/me', officerToken)).statusCode).toBe(401);
    expect((await call('DELETE', `/api/v1/tokens/${officerTokenId}`, policeAdminToken)).statusCode).toBe(404);
    const entry = await t.services.db
      .selectFrom('audit_entries')
      .selectAll()
      .where('action', '=', 'api-token.revoked')
      .executeTakeFirstOrThrow();
    expect(entry).toMatchObject({ actor_kind: 'api-token', target_id: officerTokenId });
    expect(JSON.stringify(entry)).not.toContain(officerToken);
  });

  it('publishes a valid OpenAPI 3 document, to anyone, listing exactly the registered /api/v1 operations', async () => {
    const res = await get('/api/v1/openapi.json');
    expect(res.statusCode).toBe(200);
    const doc = res.json() as {
      openapi: string;
      paths: Record<string, Record<string, { operationId: string; responses: object; security: unknown[] }>>;
      components: { securitySchemes: object };
    };
    const validation = await new Validator().validate(doc);
    expect(validation.errors ?? []).toEqual([]);
    expect(validation.valid).toBe(true);
    expect(doc.openapi).toMatch(/^3\.1\./);
    expect(doc.components.securitySchemes).toEqual({
      bearerToken: expect.objectContaining({ type: 'http', scheme: 'bearer' }),
      // Members' own operations (features/members/api.ts): `Authorization: Member <code>`.
      memberCode: expect.objectContaining({ type: 'apiKey', in: 'header', name: 'Authorization' }),
    });

    const documented = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
    );
    const registered = t.app
      .registeredRoutes()
      .map((r) => r.route.replace(/:(\w+)/g, '{$1}'))
      .filter((r) => r.includes(' /api/v1/') && !r.startsWith('HEAD ') && r !== 'GET /api/v1/openapi.json');
    for (const route of [
      'GET /api/v1/me',
      'GET /api/v1/staff',
      'GET /api/v1/tokens',
      'DELETE /api/v1/tokens/{id}',
      'GET /api/v1/audit/verify',
    ]) {
      expect(registered).toContain(route);
    }
    expect(documented.sort()).toEqual(registered.sort());

    const operations = Object.values(doc.paths).flatMap((ops) => Object.values(ops));
    expect(new Set(operations.map((op) => op.operationId)).size).toBe(operations.length);
    for (const op of operations) expect(op.responses).toHaveProperty('400');
    expect(doc.paths['/api/v1/me']!.get!.security).toEqual([{ bearerToken: [] }]);
    expect(doc.paths['/api/v1/tokens/{id}']!.delete).toMatchObject({
      parameters: [{ name: 'id', in: 'path', required: true }],
    });
  });
});
