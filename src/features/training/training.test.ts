import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../../test/support/databases.ts';
import { signedInStaff, type SignedInStaff } from '../../../test/support/staff.ts';
import { startTestApp, type TestApp } from '../../../test/support/testApp.ts';

describe.each(testDatabases)('officer training records on %s', (kind) => {
  let t: TestApp;
  let admin: SignedInStaff;
  let liaison: SignedInStaff;
  let supervisor: SignedInStaff;
  let trained: SignedInStaff;
  let byEmail: SignedInStaff;
  let untrained: SignedInStaff;
  let elsewhere: SignedInStaff;
  let supportId = '';

  beforeAll(async () => {
    t = await startTestApp(kind);
    const support = await t.services.organisations.create(
      { kind: 'support', name: 'Safe Streets', slug: 'safe-streets' },
      { kind: 'system' },
    );
    await t.services.organisations.create(
      { kind: 'support', name: 'Other Project', slug: 'other-project' },
      { kind: 'system' },
    );
    const north = await t.services.organisations.create(
      { kind: 'police', name: 'Northshire Police', slug: 'northshire' },
      { kind: 'system' },
    );
    await t.services.organisations.create(
      { kind: 'police', name: 'Westshire Police', slug: 'westshire' },
      { kind: 'system' },
    );
    await t.services.partnerships.link(support.id, north.id, { kind: 'system' });
    supportId = support.id;
    admin = await signedInStaff(t, { role: 'admin', orgSlug: 'safe-streets' });
    liaison = await signedInStaff(t, { role: 'liaison', orgSlug: 'safe-streets' });
    supervisor = await signedInStaff(t, { role: 'supervisor', orgKind: 'police', orgSlug: 'northshire' });
    trained = await signedInStaff(t, { role: 'officer', orgKind: 'police', orgSlug: 'northshire' });
    byEmail = await signedInStaff(t, { role: 'officer', orgKind: 'police', orgSlug: 'northshire' });
    untrained = await signedInStaff(t, { role: 'officer', orgKind: 'police', orgSlug: 'northshire' });
    elsewhere = await signedInStaff(t, { role: 'officer', orgKind: 'police', orgSlug: 'westshire' });
  }, 120_000);
  afterAll(async () => t.close());

  const records = () =>
    t.services.db.selectFrom('officer_training').selectAll().where('support_org_id', '=', supportId).execute();
  const add = async (who: SignedInStaff, fields: Record<string, string>) => {
    await who.browser.get('/admin/training');
    return who.browser.post('/admin/training', {
      officer: '',
      name: '',
      email: '',
      force: '',
      completedOn: '2026-03-12',
      module: 'Trauma-informed interviewing',
      trainer: 'Kerina Example',
      ...fields,
    });
  };
  const acceptPage = async () => {
    const { reportId } = await t.services.reports.submit(
      {
        org: 'safe-streets',
        incidentTypes: ['physical-assault'],
        account: 'He hit me',
        consents: {
          support: true,
          warnOthers: false,
          policeIntelligence: true,
          policeReport: true,
          policeContact: true,
        },
        perpetrator: { names: [], phones: [], emails: [], handles: [] },
      },
      { source: 'online', recordedBy: null, idempotencyKey: undefined },
    );
    const id = await t.services.referrals.send({ kind: 'user', id: liaison.userId, orgId: supportId }, reportId, {
      force: 'northshire',
      level: 'full',
      summary: 'Please call us first',
    });
    const page = await supervisor.browser.get(`/police/referrals/${id}`);
    expect(page.statusCode).toBe(200);
    return page.body;
  };
  const optionFor = (body: string, userId: string) =>
    new RegExp(`<option value="${userId}"[^>]*>([^<]*)</option>`).exec(body)?.[1] ?? '';

  it('refuses bad input with a clear message, keeping what was typed and recording nothing', async () => {
    const noModule = await add(admin, { officer: trained.userId, module: '', trainer: 'Kerina 5521' });
    expect(noModule.statusCode).toBe(400);
    expect(noModule.body).toContain('Enter the module or course');
    expect(noModule.body).toContain('Kerina 5521');
    const otherForce = await add(admin, { officer: elsewhere.userId });
    expect(otherForce.statusCode).toBe(400);
    expect(otherForce.body).toContain('Choose an officer of a force your organisation works with');
    const noEmail = await add(admin, { officer: 'other', name: 'PC Dee', email: 'not-an-email', force: 'northshire' });
    expect(noEmail.statusCode).toBe(400);
    expect(noEmail.body).toContain('Enter the officer’s email address');
    const notPartner = await add(admin, {
      officer: 'other',
      name: 'PC Dee',
      email: 'dee@west.example',
      force: 'westshire',
    });
    expect(notPartner.statusCode).toBe(400);
    expect(notPartner.body).toContain('Choose a police force your organisation works with');
    const future = await add(admin, { officer: trained.userId, completedOn: '2999-01-01' });
    expect(future.statusCode).toBe(400);
    expect(future.body).toContain('The date cannot be in the future');
    const badDate = await add(admin, { officer: trained.userId, completedOn: '2026-02-30' });
    expect(badDate.statusCode).toBe(400);
    expect(badDate.body).toContain('Enter a real date');
    expect(await records()).toEqual([]);
  });

  it('adds records (officers with an account, and by name and email), lists them, audits, and marks trained officers on the accept form', async () => {
    expect((await add(admin, { officer: trained.userId })).statusCode).toBe(303);
    // Recorded before we knew they had an account: the email matches their account.
    expect(
      (
        await add(liaison, {
          officer: 'other',
          name: 'PC Byemail',
          email: byEmail.email.toUpperCase(),
          force: 'northshire',
          completedOn: '2026-01-05',
          module: 'Working with sex workers',
        })
      ).statusCode,
    ).toBe(303);
    expect(
      (
        await add(admin, {
          officer: 'other',
          name: 'PC Noaccount',
          email: 'noaccount@north.example',
          force: 'northshire',
          module: 'Trauma-informed interviewing',
        })
      ).statusCode,
    ).toBe(303);

    const list = await admin.browser.get('/admin/training?added=1');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('Training record added');
    expect(list.body).toMatch(
      new RegExp(
        `${trained.email}[\\s\\S]*Northshire Police[\\s\\S]*12 March 2026[\\s\\S]*Trauma-informed interviewing[\\s\\S]*Kerina Example`,
      ),
    );
    expect(list.body).toContain('PC Noaccount (noaccount@north.example, no account)');
    // Names, emails and trainers are encrypted at rest.
    expect(JSON.stringify(await records())).not.toMatch(/Kerina|Noaccount|noaccount@/);
    expect(
      (
        await t.services.db
          .selectFrom('audit_entries')
          .select('actor_id')
          .where('action', '=', 'training.added')
          .execute()
      )
        .map((a) => a.actor_id)
        .sort(),
    ).toEqual([admin.userId, liaison.userId, admin.userId].sort());
    expect(
      (
        await t.services.db
          .selectFrom('audit_entries')
          .select('actor_id')
          .where('action', '=', 'training.viewed')
          .where('actor_id', '=', admin.userId)
          .execute()
      ).length,
    ).toBeGreaterThan(0);

    const page = await acceptPage();
    expect(optionFor(page, trained.userId)).toBe(
      `${trained.email} – Trained by Safe Streets, 12 March 2026: Trauma-informed interviewing`,
    );
    expect(optionFor(page, byEmail.userId)).toBe(
      `${byEmail.email} – Trained by Safe Streets, 5 January 2026: Working with sex workers`,
    );
    expect(optionFor(page, untrained.userId)).toBe(untrained.email);
  });

  it('removes a record with a reason, audited, and the officer is no longer marked', async () => {
    const [record] = (await records()).filter((r) => r.officer_user_id === trained.userId && r.removed_at === null);
    const url = `/admin/training/${record!.id}/remove`;
    expect((await admin.browser.get(url)).body).toContain('Trauma-informed interviewing');
    const noReason = await admin.browser.post(url, { reason: ' ' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.body).toContain('Say why the record is removed');
    expect((await admin.browser.post(url, { reason: 'Recorded against the wrong officer' })).statusCode).toBe(303);
    const after = (await records()).find((r) => r.id === record!.id)!;
    expect(after.removed_at).not.toBeNull();
    expect(after.removed_by_id).toBe(admin.userId);
    expect(after.removed_reason_enc).not.toContain('wrong officer');
    expect(
      await t.services.db
        .selectFrom('audit_entries')
        .select(['actor_id', 'target_id'])
        .where('action', '=', 'training.removed')
        .execute(),
    ).toEqual([{ actor_id: admin.userId, target_id: record!.id }]);
    const table = /<table[\s\S]*?<\/table>/.exec((await admin.browser.get('/admin/training')).body)?.[0] ?? '';
    expect(table).toContain('PC Noaccount');
    expect(table).not.toContain(trained.email);
    expect(optionFor(await acceptPage(), trained.userId)).toBe(trained.email);
    // Removing it again is the same 404 as a record that does not exist.
    expect((await admin.browser.post(url, { reason: 'Again' })).statusCode).toBe(404);
  });

  it('is only for the support organisation’s administrators and liaison officers', async () => {
    const [record] = (await records()).filter((r) => r.removed_at === null);
    for (const [role, orgKind, orgSlug] of [
      ['caseworker', 'support', 'safe-streets'],
      ['outreach', 'support', 'safe-streets'],
      ['analyst', 'support', 'safe-streets'],
      ['supervisor', 'police', 'northshire'],
      ['admin', 'police', 'northshire'],
    ] as const) {
      const s = await signedInStaff(t, { role, orgKind, orgSlug });
      expect((await s.browser.get('/admin/training')).statusCode, role).toBe(404);
      expect((await s.browser.get(`/admin/training/${record!.id}/remove`)).statusCode, role).toBe(404);
    }
    const otherAdmin = await signedInStaff(t, { role: 'admin', orgSlug: 'other-project' });
    const theirs = await otherAdmin.browser.get('/admin/training');
    expect(theirs.statusCode).toBe(200);
    expect(theirs.body).not.toContain('PC Noaccount');
    expect(theirs.body).toContain('not linked with a police force');
    expect((await otherAdmin.browser.get(`/admin/training/${record!.id}/remove`)).statusCode).toBe(404);
    expect(
      (await otherAdmin.browser.post(`/admin/training/${record!.id}/remove`, { reason: 'Not ours' })).statusCode,
    ).toBe(404);
    expect((await records()).find((r) => r.id === record!.id)?.removed_at).toBeNull();
  });
});
