import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../../test/support/databases.ts';
import { signedInStaff } from '../../../test/support/staff.ts';
import { startTestApp, type TestApp } from '../../../test/support/testApp.ts';
import { fillPending, rebuildDerived } from '../../derivedData.ts';

const run = promisify(execFile);

/**
 * Where an attack happened, typed as free text, is someone's own words and is
 * stored encrypted; one of the organisation's configured areas stays as it is
 * so the inbox can filter on it.
 */
describe.each(testDatabases)('free-text areas encrypted at rest on %s', (kind) => {
  let t: TestApp;
  let caseworker = '';
  const REPORT_AREA = 'Behind the MARKERAREA5521 tyre yard';
  const WARNING_AREA = 'Near the MARKERWARN5521 arches';
  const OLD_AREA = 'By the MARKEROLD5521 canal lock';

  beforeAll(async () => {
    t = await startTestApp(kind);
    // One charity without configured areas (everything typed), one with them.
    await t.services.organisations.create(
      { kind: 'support', name: 'Safe Streets', slug: 'safe-streets' },
      { kind: 'system' },
    );
    const areas = await t.services.organisations.create(
      { kind: 'support', name: 'Area Project', slug: 'area-project' },
      { kind: 'system' },
    );
    await t.services.organisations.setAreas(areas.id, ['Northside', 'Docklands'], { kind: 'system' });
    caseworker = (
      await t.services.apiTokens.create(
        { orgSlug: 'safe-streets', role: 'caseworker', name: 'Case system' },
        { kind: 'system' },
      )
    ).token;
  });
  afterAll(async () => t.close());

  const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
    t.app.inject({
      method: 'POST',
      url,
      payload: JSON.stringify(body),
      headers: { 'content-type': 'application/json', ...headers },
    });
  const report = async (org: string, area: string) => {
    const res = await post('/api/v1/reports', {
      org,
      incidentTypes: ['physical-assault'],
      account: 'He hit me.',
      area,
      consents: { support: true, warnOthers: true },
    });
    expect(res.statusCode).toBe(201);
    return (res.json() as { reference: string }).reference;
  };

  /** Every byte the database keeps: the SQLite file and its WAL, or a PostgreSQL dump. */
  async function everythingStored(): Promise<string> {
    if (kind === 'sqlite') {
      const dir = t.services.config.dataDir;
      return fs
        .readdirSync(dir)
        .map((file) => fs.readFileSync(`${dir}/${file}`).toString('latin1'))
        .join('');
    }
    const { rows } = await sql<{ name: string }>`select current_database() as name`.execute(t.services.db);
    const url = new URL(process.env.TEST_DATABASE_URL!);
    url.pathname = `/${rows[0]!.name}`;
    const { stdout } = await run('pg_dump', ['--data-only', url.toString()], { maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  }

  it('stores free-text areas of reports and warnings only encrypted, and shows them to staff', async () => {
    const reference = await report('safe-streets', REPORT_AREA);
    const bearer = { authorization: `Bearer ${caseworker}` };
    const drafted = await post(
      '/api/v1/warnings',
      { reports: [reference], title: 'Man in a van', body: 'Take care.', type: 'physical-assault', area: WARNING_AREA },
      bearer,
    );
    expect(drafted.statusCode).toBe(201);

    const stored = await everythingStored();
    expect(stored.length).toBeGreaterThan(10_000);
    for (const marker of ['MARKERAREA5521', 'MARKERWARN5521']) expect(stored).not.toContain(marker);

    expect((await t.app.inject({ url: `/api/v1/reports/${reference}`, headers: bearer })).json().area).toBe(
      REPORT_AREA,
    );
    const warning = await t.services.db
      .selectFrom('warnings')
      .select(['area', 'area_enc'])
      .where('id', '=', drafted.json().id)
      .executeTakeFirstOrThrow();
    expect(warning.area).toBeNull();
    expect(warning.area_enc).not.toBeNull();
  });

  it('keeps a configured area as it is, so the inbox filters on it; typed text there is encrypted and matches no filter', async () => {
    const configured = await report('area-project', 'Docklands');
    const typed = await report('area-project', 'Docklands MARKERTYPED5521 car park');
    const rows = await t.services.db
      .selectFrom('reports')
      .select(['reference', 'area'])
      .where('reference', 'in', [configured, typed])
      .execute();
    expect(Object.fromEntries(rows.map((r) => [r.reference, r.area]))).toEqual({
      [configured]: 'Docklands',
      [typed]: null,
    });
    const orgId = (await t.services.organisations.findBySlug('area-project'))!.id;
    expect((await t.services.reports.inbox(orgId, 1, 50, { area: 'Docklands' })).items.map((r) => r.reference)).toEqual(
      [configured],
    );
    expect(
      (await t.services.reports.inbox(orgId, 1, 50, { area: 'Docklands MARKERTYPED5521 car park' })).items,
    ).toEqual([]);
    expect(await everythingStored()).not.toContain('MARKERTYPED5521');

    // Filtering on anything but a configured area is refused with a reason, on the page and in the API.
    const worker = await signedInStaff(t, { role: 'caseworker', orgSlug: 'area-project' });
    const refused = await worker.browser.get(
      `/staff/reports?area=${encodeURIComponent('Docklands MARKERTYPED5521 car park')}`,
    );
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('an area typed in a report is kept encrypted and cannot be filtered on');
    expect((await worker.browser.get('/staff/reports?area=Docklands')).statusCode).toBe(200);
    const token = (
      await t.services.apiTokens.create(
        { orgSlug: 'area-project', role: 'caseworker', name: 'Area system' },
        { kind: 'system' },
      )
    ).token;
    const api = await t.app.inject({
      url: '/api/v1/reports?area=Nowhere',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(api.statusCode).toBe(400);
    expect(api.json().error.message).toContain('query.area: Choose one of your organisation');
    const ok = await t.app.inject({
      url: '/api/v1/reports?area=Docklands',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(ok.json().items.map((r: { reference: string }) => r.reference)).toEqual([configured]);
  });

  it('moves areas typed before this into the encrypted column once, at start-up or on rebuild, leaving configured ones', async () => {
    // As stored before: free text in clear, beside a configured area.
    const old = await report('safe-streets', 'anything');
    const kept = await report('area-project', 'Northside');
    await t.services.db
      .updateTable('reports')
      .set({ area: OLD_AREA, area_enc: null })
      .where('reference', '=', old)
      .execute();
    await t.services.db.insertInto('derived_data_pending').values({ name: 'area_text' }).execute();

    expect(await fillPending(t.services.db, t.services.cipher)).toEqual(['area_text']);
    const rows = await t.services.db
      .selectFrom('reports')
      .select(['reference', 'area', 'area_enc'])
      .where('reference', 'in', [old, kept])
      .execute();
    const byRef = Object.fromEntries(rows.map((r) => [r.reference, r]));
    expect(byRef[old]!.area).toBeNull();
    expect(await t.services.cipher.decrypt(byRef[old]!.area_enc!, 'reports.area')).toBe(OLD_AREA);
    expect(byRef[kept]).toMatchObject({ area: 'Northside', area_enc: null });
    // Nothing left to do; a rebuild finds nothing to move either.
    expect(await fillPending(t.services.db, t.services.cipher)).toEqual([]);
    expect(await rebuildDerived(t.services.db, t.services.cipher)).toContain('area_text');
    expect(
      await t.services.db
        .selectFrom('reports')
        .select('area_enc')
        .where('reference', '=', old)
        .executeTakeFirstOrThrow(),
    ).toEqual({ area_enc: byRef[old]!.area_enc });
    expect(await everythingStored()).not.toContain('MARKEROLD5521');
  });
});
