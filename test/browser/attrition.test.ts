import { describe, expect, it } from 'vitest';
import { createStaff } from '../support/staff.ts';
import { chromiumAvailable, expectAccessible, newPage, signIn, useBrowserWorld, visit } from './browserHarness.ts';

describe.skipIf(!chromiumAvailable)('attrition watch and officer training in a real browser', () => {
  const world = useBrowserWorld();

  it('the liaison officer finds a case at risk, records the person wavering; an administrator records officer training; every page passes axe', async () => {
    const { t } = world;
    const support = await t.services.organisations.create(
      { kind: 'support', name: 'Safe Streets', slug: 'safe-streets' },
      { kind: 'system' },
    );
    const force = await t.services.organisations.create(
      { kind: 'police', name: 'Northshire Police', slug: 'northshire' },
      { kind: 'system' },
    );
    await t.services.partnerships.link(support.id, force.id, { kind: 'system' });
    const liaison = await createStaff(t, { role: 'liaison', orgSlug: 'safe-streets' });
    const admin = await createStaff(t, { role: 'admin', orgSlug: 'safe-streets' });
    const officer = await createStaff(t, { role: 'officer', orgKind: 'police', orgSlug: 'northshire' });
    const { reportId, reference } = await t.services.reports.submit(
      {
        org: 'safe-streets',
        incidentTypes: ['physical-assault'],
        account: 'Punched by the arches',
        consents: {
          support: true,
          warnOthers: false,
          policeIntelligence: false,
          policeReport: false,
          policeContact: false,
        },
        perpetrator: { names: [], phones: [], emails: [], handles: [] },
        contact: { name: 'Ruby', methods: [{ kind: 'text', value: '07700900456', safeToLeaveMessage: false }] },
      },
      { source: 'online', recordedBy: null, idempotencyKey: undefined },
    );
    const worker = { kind: 'user' as const, id: liaison.userId, orgId: support.id };
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
    await t.services.people.retireContactPoint(worker, person.id, point.id, 'not-in-service');

    const page = await newPage(world);
    await signIn(world, page, liaison);
    await page.getByRole('link', { name: 'At risk' }).click();
    await page.waitForURL(`${world.baseUrl}/staff/at-risk`);
    expect(await page.locator('#at-risk').innerText()).toContain('Every contact point has been retired');
    await expectAccessible(page);
    await page.getByRole('link', { name: `Not recorded – engagement for ${reference}` }).click();
    await page.waitForURL(`${world.baseUrl}/staff/reports/${reference}/engagement`);
    await expectAccessible(page);
    await page.getByLabel('Wavering').check();
    await page.getByLabel('Note (optional)').fill('Worried about court');
    await page.getByRole('button', { name: 'Record engagement' }).click();
    await page.waitForSelector('.govuk-error-summary');
    expect(await page.locator('.govuk-error-summary').innerText()).toContain('Choose at least one reason');
    expect(await page.getByLabel('Note (optional)').inputValue()).toBe('Worried about court');
    await expectAccessible(page);
    await page.getByLabel('Court delays').check();
    await page.getByRole('button', { name: 'Record engagement' }).click();
    await page.waitForURL(`${world.baseUrl}/staff/reports/${reference}/engagement?recorded=1`);
    expect(await page.locator('#engagement-history').innerText()).toContain('Court delays');
    await expectAccessible(page);
    await visit(world, page, '/staff/at-risk');
    expect(await page.locator('#at-risk').innerText()).toContain('Recorded as wavering');
    await page.context().close();

    const adminPage = await newPage(world);
    await signIn(world, adminPage, admin);
    await adminPage.getByRole('link', { name: 'Officer training' }).click();
    await adminPage.waitForURL(`${world.baseUrl}/admin/training`);
    await expectAccessible(adminPage);
    await adminPage.getByLabel('Officer', { exact: true }).selectOption(officer.userId);
    await adminPage.getByLabel('Date completed').fill('2026-03-12');
    await adminPage.getByLabel('Trainer').fill('Kerina');
    await adminPage.getByRole('button', { name: 'Add training record' }).click();
    await adminPage.waitForSelector('.govuk-error-summary');
    expect(await adminPage.locator('.govuk-error-summary').innerText()).toContain('Enter the module or course');
    await expectAccessible(adminPage);
    await adminPage.getByLabel('Module or course').fill('Trauma-informed interviewing');
    await adminPage.getByRole('button', { name: 'Add training record' }).click();
    await adminPage.waitForURL(`${world.baseUrl}/admin/training?added=1`);
    expect(await adminPage.locator('#training-records').innerText()).toContain('12 March 2026');
    await expectAccessible(adminPage);
    await adminPage.getByRole('link', { name: /^Remove/ }).click();
    await expectAccessible(adminPage);
    await adminPage.getByLabel('Why is it removed?').fill('Wrong officer');
    await adminPage.getByRole('button', { name: 'Remove record' }).click();
    await adminPage.waitForURL(`${world.baseUrl}/admin/training?removed=1`);
    expect(await adminPage.locator('main').innerText()).toContain('No training recorded yet.');
    await expectAccessible(adminPage);
    await adminPage.context().close();
  });
});
