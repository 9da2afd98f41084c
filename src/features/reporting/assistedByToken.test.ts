import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../../test/support/databases.ts';
import { signedInStaff } from '../../../test/support/staff.ts';
import { startTestApp, type TestApp } from '../../../test/support/testApp.ts';

/** A staff API token files assisted reports only into its own organisation, and the report names it. */
describe.each(testDatabases)('assisted reports through a staff token on %s', (kind) => {
  let t: TestApp;
  let token = '';
  let tokenId = '';
  beforeAll(async () => {
    t = await startTestApp(kind);
    await t.services.organisations.create(
      { kind: 'support', name: 'Safe Streets', slug: 'safe-streets' },
      { kind: 'system' },
    );
    await t.services.organisations.create(
      { kind: 'support', name: 'Other Project', slug: 'other-project' },
      { kind: 'system' },
    );
    ({ token, id: tokenId } = await t.services.apiTokens.create(
      { orgSlug: 'safe-streets', role: 'outreach', name: 'Van tablet' },
      { kind: 'system' },
    ));
  });
  afterAll(async () => t.close());

  const post = (body: unknown) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/reports',
      payload: JSON.stringify(body),
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    });
  const count = async () => (await t.services.db.selectFrom('reports').select('id').execute()).length;

  it("refuses to file into another organisation's inbox, storing nothing", async () => {
    const before = await count();
    const res = await post({ account: 'Met on outreach', org: 'other-project', consents: { support: true } });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.message).toContain('only for its own organisation');
    expect(await count()).toBe(before);
  });

  it('files into its own organisation, naming the token as who recorded it (report, consent, audit, case history)', async () => {
    for (const body of [
      { account: 'Met on outreach', consents: { support: true } },
      { account: 'Met on outreach again', org: 'safe-streets', consents: { support: true } },
    ]) {
      const res = await post(body);
      expect(res.statusCode).toBe(201);
      const { reference } = res.json() as { reference: string };
      const row = await t.services.db
        .selectFrom('reports')
        .innerJoin('organisations', 'organisations.id', 'reports.org_id')
        .select(['reports.id', 'organisations.slug', 'reports.recorded_by', 'reports.recorded_by_token'])
        .where('reference', '=', reference)
        .executeTakeFirstOrThrow();
      expect(row).toMatchObject({ slug: 'safe-streets', recorded_by: null, recorded_by_token: tokenId });
      const consent = await t.services.db
        .selectFrom('consent_entries')
        .select(['recorded_by', 'recorded_by_token'])
        .where('report_id', '=', row.id)
        .execute();
      expect(consent.length).toBeGreaterThan(0);
      for (const entry of consent) expect(entry).toEqual({ recorded_by: null, recorded_by_token: tokenId });
      const audit = await t.services.db
        .selectFrom('audit_entries')
        .select(['actor_kind', 'actor_id'])
        .where('action', '=', 'report.submitted')
        .where('target_id', '=', row.id)
        .executeTakeFirstOrThrow();
      expect(audit).toEqual({ actor_kind: 'api-token', actor_id: tokenId });
    }
    const caseworker = await signedInStaff(t, { role: 'caseworker', orgSlug: 'safe-streets' });
    const [first] = await t.services.db
      .selectFrom('reports')
      .select('reference')
      .where('recorded_by_token', '=', tokenId)
      .execute();
    expect((await caseworker.browser.get(`/staff/reports/${first!.reference}`)).body).toContain('API: Van tablet');
  });
});
