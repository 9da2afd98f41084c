import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../../test/support/databases.ts';
import { consentedReport } from '../../../test/support/policeLiaison.ts';
import { signedInStaff, type SignedInStaff } from '../../../test/support/staff.ts';
import { startTestApp, type TestApp } from '../../../test/support/testApp.ts';
import { ReferralError } from './referralService.ts';

/**
 * A charity can only ask to work with a force: until the force's administrator
 * accepts, it cannot refer reports there or see the force's officers. Either
 * side can end it; referrals already sent stay with the force.
 */
describe.each(testDatabases)('police partnerships, asked and accepted, on %s', (kind) => {
  let t: TestApp;
  let supportId = '';
  let westId = '';
  let admin: SignedInStaff;
  let liaison: SignedInStaff;
  let westAdmin: SignedInStaff;
  let southAdmin: SignedInStaff;
  let westSupervisor: SignedInStaff;
  let westOfficer: SignedInStaff;

  beforeAll(async () => {
    t = await startTestApp(kind);
    supportId = (
      await t.services.organisations.create(
        { kind: 'support', name: 'Safe Streets', slug: 'safe-streets' },
        { kind: 'system' },
      )
    ).id;
    westId = (
      await t.services.organisations.create(
        { kind: 'police', name: 'Westshire Police', slug: 'westshire' },
        { kind: 'system' },
      )
    ).id;
    await t.services.organisations.create(
      { kind: 'police', name: 'Southshire Police', slug: 'southshire' },
      { kind: 'system' },
    );
    admin = await signedInStaff(t, { role: 'admin', orgSlug: 'safe-streets' });
    liaison = await signedInStaff(t, { role: 'liaison', orgSlug: 'safe-streets' });
    westAdmin = await signedInStaff(t, { role: 'admin', orgKind: 'police', orgSlug: 'westshire' });
    southAdmin = await signedInStaff(t, { role: 'admin', orgKind: 'police', orgSlug: 'southshire' });
    westSupervisor = await signedInStaff(t, { role: 'supervisor', orgKind: 'police', orgSlug: 'westshire' });
    westOfficer = await signedInStaff(t, { role: 'officer', orgKind: 'police', orgSlug: 'westshire' });
  }, 120_000);
  afterAll(async () => t.close());

  const refer = async () => {
    const { reportId } = await consentedReport(t, 'safe-streets');
    return t.services.referrals.send({ kind: 'user', id: liaison.userId, orgId: supportId }, reportId, {
      force: 'westshire',
      level: 'full',
      summary: 'Please call us first',
    });
  };
  const trainingPage = async () => (await liaison.browser.get('/admin/training')).body;
  const partnershipAudit = async () =>
    (
      await t.services.db
        .selectFrom('audit_entries')
        .select(['action', 'actor_id', 'org_id'])
        .where('action', 'like', 'partnership.%')
        .orderBy('seq')
        .execute()
    ).map(
      (e) =>
        `${e.action} ${e.actor_id === admin.userId ? 'charity' : e.actor_id === westAdmin.userId ? 'force' : e.actor_id} ${e.org_id === supportId ? 'charity' : 'force'}`,
    );

  it('a request gives the charity nothing until the force accepts; then referrals and officers; either side ends it', async () => {
    const page = await admin.browser.get('/admin/partnerships');
    expect(page.body).toContain(`<option value="${westId}">Westshire Police</option>`);
    expect((await admin.browser.post('/admin/partnerships', { police: westId })).headers.location).toBe(
      '/admin/partnerships?saved=requested',
    );
    const asked = await admin.browser.get('/admin/partnerships');
    expect(asked.body).toMatch(/id="requested-forces"[\s\S]*Westshire Police/);
    expect(asked.body).not.toContain('id="linked-forces"');
    const again = await admin.browser.post('/admin/partnerships', { police: westId });
    expect(again.statusCode).toBe(400);
    expect(again.body).toContain('You have already asked that force');

    // Asked, not accepted: no referral, no officer names, no training choices.
    expect(await t.services.partnerships.linkedForces(supportId)).toEqual([]);
    await expect(refer()).rejects.toBeInstanceOf(ReferralError);
    expect(await trainingPage()).not.toContain(westOfficer.email);
    const training = await liaison.browser.post('/admin/training', {
      officer: westOfficer.userId,
      name: '',
      email: '',
      force: '',
      completedOn: '2026-03-12',
      module: 'Trauma-informed interviewing',
      trainer: 'Kerina',
    });
    expect(training.statusCode).toBe(400);
    expect(await t.services.db.selectFrom('officer_training').select('id').execute()).toEqual([]);

    // Another force cannot accept a request made to Westshire; the charity cannot accept its own.
    const wrongForce = await southAdmin.browser.post(
      '/admin/partnerships/accept',
      { support: supportId },
      (await southAdmin.browser.get('/admin/partnerships')).body,
    );
    expect(wrongForce.statusCode).toBe(400);
    expect(wrongForce.body).toContain('That organisation has not asked to work with your force');
    expect((await admin.browser.post('/admin/partnerships/accept', { support: supportId }, page.body)).statusCode).toBe(
      403,
    );
    expect(await t.services.partnerships.linkedForces(supportId)).toEqual([]);

    // The force's administrator sees the request and accepts it.
    const inbox = await westAdmin.browser.get('/admin/partnerships');
    expect(inbox.statusCode).toBe(200);
    expect(inbox.body).toMatch(/id="partnership-requests"[\s\S]*Safe Streets/);
    expect((await westAdmin.browser.post('/admin/partnerships/accept', { support: supportId })).headers.location).toBe(
      '/admin/partnerships?saved=accepted',
    );
    expect((await westAdmin.browser.get('/admin/partnerships')).body).toMatch(
      /id="partner-organisations"[\s\S]*Safe Streets/,
    );
    expect((await t.services.partnerships.linkedForces(supportId)).map((f) => f.slug)).toEqual(['westshire']);
    const sent = await refer();
    expect(await trainingPage()).toContain(westOfficer.email);

    // The force ends it: no new referrals, the officers leave the charity's pages, the referral sent stays.
    expect((await westAdmin.browser.post('/admin/partnerships/remove', { partner: supportId })).headers.location).toBe(
      '/admin/partnerships?saved=removed',
    );
    await expect(refer()).rejects.toBeInstanceOf(ReferralError);
    expect(await trainingPage()).not.toContain(westOfficer.email);
    expect((await westSupervisor.browser.get(`/police/referrals/${sent}`)).statusCode).toBe(200);

    // Asked again, the charity withdraws; asked once more, the force declines.
    await admin.browser.get('/admin/partnerships');
    await admin.browser.post('/admin/partnerships', { police: westId });
    expect((await admin.browser.post('/admin/partnerships/remove', { partner: westId })).headers.location).toBe(
      '/admin/partnerships?saved=removed',
    );
    await admin.browser.post('/admin/partnerships', { police: westId });
    await westAdmin.browser.get('/admin/partnerships');
    expect((await westAdmin.browser.post('/admin/partnerships/remove', { partner: supportId })).headers.location).toBe(
      '/admin/partnerships?saved=removed',
    );
    const notPartner = await westAdmin.browser.post('/admin/partnerships/remove', { partner: supportId });
    expect(notPartner.statusCode).toBe(400);
    expect(notPartner.body).toContain('That organisation is not a partner');
    expect(await t.services.db.selectFrom('partnerships').select('id').execute()).toEqual([]);

    expect(await partnershipAudit()).toEqual([
      'partnership.requested charity charity',
      'partnership.accepted force force',
      'partnership.removed force force',
      'partnership.requested charity charity',
      'partnership.withdrawn charity charity',
      'partnership.requested charity charity',
      'partnership.declined force force',
    ]);
  });

  it('refuses a request for something that is not a police force, changing nothing', async () => {
    const page = await admin.browser.get('/admin/partnerships');
    const notPolice = await admin.browser.post('/admin/partnerships', { police: supportId }, page.body);
    expect(notPolice.statusCode).toBe(400);
    expect(notPolice.body).toContain('Choose a police force');
    const empty = await admin.browser.post('/admin/partnerships', {}, page.body);
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('Choose a police force');
    expect(await t.services.db.selectFrom('partnerships').select('id').execute()).toEqual([]);
  });

  it('an operator links both sides at once from the command line path', async () => {
    await t.services.partnerships.linkBySlug('safe-streets', 'southshire', { kind: 'cli' });
    expect((await t.services.partnerships.linkedForces(supportId)).map((f) => f.slug)).toEqual(['southshire']);
    const row = await t.services.db
      .selectFrom('partnerships')
      .select(['accepted_at', 'accepted_by_kind'])
      .executeTakeFirstOrThrow();
    expect(row.accepted_by_kind).toBe('cli');
    expect(row.accepted_at).not.toBeNull();
  });
});
