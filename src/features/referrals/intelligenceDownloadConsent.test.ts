import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../../test/support/databases.ts';
import { charityWithForces, policeLiaisonStaff } from '../../../test/support/policeLiaison.ts';
import type { SignedInStaff } from '../../../test/support/staff.ts';
import { startTestApp, type TestApp } from '../../../test/support/testApp.ts';

// Consent is checked again at every download of a single intelligence referral,
// not only when it was sent: a person who withdraws police consent afterwards
// must not have their referral handed out again, in either format.
describe.each(testDatabases)('downloading one intelligence referral after consent is withdrawn, on %s', (kind) => {
  let t: TestApp;
  let liaison: SignedInStaff;
  let supervisor: SignedInStaff;

  beforeAll(async () => {
    t = await startTestApp(kind);
    await charityWithForces(t, ['northshire']);
    ({ liaison, supervisor } = await policeLiaisonStaff(t));
  });
  afterAll(async () => t.close());

  it('refuses the JSON and CSV downloads once the person withdraws police intelligence consent, and records no download', async () => {
    const { reference, reportId } = await t.services.reports.submit(
      {
        org: 'safe-streets',
        incidentTypes: ['physical-assault'],
        account: 'He hit me by the bus station',
        occurredOn: '2026-03-14',
        area: 'Station Road',
        consents: {
          support: true,
          warnOthers: false,
          policeIntelligence: true,
          policeReport: false,
          policeContact: false,
        },
        perpetrator: { names: [], phones: [], emails: [], handles: [] },
      },
      { source: 'online', recordedBy: null, idempotencyKey: undefined },
    );
    await liaison.browser.get(`/staff/reports/${reference}/referrals/new?force=northshire&level=intelligence`);
    const sent = await liaison.browser.post(`/staff/reports/${reference}/referrals`, {
      force: 'northshire',
      level: 'intelligence',
      summary: 'Tall man near the bus station 7731',
    });
    expect(sent.statusCode).toBe(303);
    const referral = await t.services.db
      .selectFrom('referrals')
      .select('id')
      .where('report_id', '=', reportId)
      .executeTakeFirstOrThrow();
    const downloads = async () =>
      (
        await t.services.db
          .selectFrom('audit_entries')
          .select('detail')
          .where('action', '=', 'referral.downloaded')
          .where('target_id', '=', referral.id)
          .execute()
      ).length;

    // While consent is current, both formats are served.
    const before = await supervisor.browser.get(`/police/referrals/${referral.id}/download.json`);
    expect(before.statusCode).toBe(200);
    expect(before.body).toContain('Tall man near the bus station 7731');
    expect((await supervisor.browser.get(`/police/referrals/${referral.id}/download.csv`)).body).toContain(
      'Tall man near the bus station 7731',
    );
    expect(await downloads()).toBe(2);

    await t.services.reports.changeConsent(reportId, 'policeIntelligence', false, 'online', null);

    for (const format of ['json', 'csv']) {
      const after = await supervisor.browser.get(`/police/referrals/${referral.id}/download.${format}`);
      expect(after.statusCode).toBe(409);
      expect(after.headers['content-disposition']).toBeUndefined();
      expect(after.body).not.toContain('Tall man near the bus station');
      expect(after.body).toContain(
        'The person has withdrawn their consent: this referral can no longer be downloaded.',
      );
    }
    expect(await downloads()).toBe(2);
  });
});
