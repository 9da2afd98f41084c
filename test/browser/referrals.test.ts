import { describe, expect, it } from 'vitest';
import { consentedReport } from '../support/policeLiaison.ts';
import { createStaff } from '../support/staff.ts';
import { chromiumAvailable, expectAccessible, newPage, signIn, useBrowserWorld, visit } from './browserHarness.ts';

describe.skipIf(!chromiumAvailable)('police referrals in a real browser', () => {
  const world = useBrowserWorld();

  it('the charity asks the force, whose administrator accepts; the liaison officer refers a report and the force supervisor accepts it with a crime reference; every page passes axe', async () => {
    const { t } = world;
    const support = await t.services.organisations.create(
      { kind: 'support', name: 'Safe Streets', slug: 'safe-streets' },
      { kind: 'system' },
    );
    await t.services.organisations.create(
      { kind: 'police', name: 'Northshire Police', slug: 'northshire' },
      { kind: 'system' },
    );
    const admin = await createStaff(t, { role: 'admin', orgSlug: 'safe-streets' });
    const liaison = await createStaff(t, { role: 'liaison', orgSlug: 'safe-streets' });
    const supervisor = await createStaff(t, { role: 'supervisor', orgKind: 'police', orgSlug: 'northshire' });
    const policeAdmin = await createStaff(t, { role: 'admin', orgKind: 'police', orgSlug: 'northshire' });
    const officer = await createStaff(t, { role: 'officer', orgKind: 'police', orgSlug: 'northshire' });
    const { reference } = await consentedReport(t, 'safe-streets');

    // The charity's administrator asks the force; the force's administrator accepts.
    const adminPage = await newPage(world);
    await signIn(world, adminPage, admin);
    await visit(world, adminPage, '/admin/partnerships');
    await adminPage.getByLabel('Police force').selectOption({ label: 'Northshire Police' });
    await adminPage.getByRole('button', { name: 'Send request' }).click();
    await adminPage.waitForURL(`${world.baseUrl}/admin/partnerships?saved=requested`);
    expect(await adminPage.locator('#requested-forces').innerText()).toContain('Northshire Police');
    await expectAccessible(adminPage);
    await adminPage.context().close();
    expect(await t.services.partnerships.linkedForces(support.id)).toEqual([]);
    const forcePage = await newPage(world);
    await signIn(world, forcePage, policeAdmin);
    await visit(world, forcePage, '/admin/partnerships');
    await forcePage.getByRole('button', { name: 'Accept Safe Streets' }).click();
    await forcePage.waitForURL(`${world.baseUrl}/admin/partnerships?saved=accepted`);
    expect(await forcePage.locator('#partner-organisations').innerText()).toContain('Safe Streets');
    await expectAccessible(forcePage);
    await forcePage.context().close();
    expect((await t.services.partnerships.linkedForces(support.id)).map((f) => f.slug)).toEqual(['northshire']);

    // The liaison officer prepares and sends a full referral from the case page.
    const page = await newPage(world);
    await signIn(world, page, liaison);
    await visit(world, page, `/staff/reports/${reference}`);
    await page.getByLabel('Full crime report').check();
    await page.getByRole('button', { name: 'Prepare a referral' }).click();
    await page.waitForURL(/\/referrals\/new\?/);
    await expectAccessible(page);
    await page.getByLabel('Covering note for the police (optional)').fill('She would like a female officer.');
    await page.getByRole('button', { name: 'Send referral' }).click();
    await page.waitForURL(`${world.baseUrl}/staff/reports/${reference}?referred=1#referrals`);
    expect(await page.locator('#referrals + table').innerText()).toContain('Northshire Police');
    await expectAccessible(page);

    // The supervisor sees it, reads it, and accepts it.
    const police = await newPage(world);
    await signIn(world, police, supervisor);
    await visit(world, police, '/police/referrals');
    await police.locator('table a').first().click();
    await police.waitForURL(/\/police\/referrals\/[0-9a-f-]{36}$/);
    await expectAccessible(police);
    const main = await police.locator('main').innerText();
    expect(main).toContain('She would like a female officer.');
    expect(main).toContain('Punched outside the station');
    expect(main).toContain('07700900456');
    await police.getByRole('button', { name: 'Accept referral' }).click();
    await police.waitForSelector('.govuk-error-summary');
    await expectAccessible(police);
    await police.getByLabel('Crime reference number').fill('NS/4455/26');
    await police.getByLabel('Officer in the case').selectOption({ label: officer.email });
    await police.getByRole('button', { name: 'Accept referral' }).click();
    await police.waitForSelector('text=Police case');
    expect(await police.locator('#status').innerText()).toBe('Accepted');
    expect(await police.locator('main').innerText()).toContain('NS/4455/26');
    await expectAccessible(police);

    // An anonymous intelligence referral from the redacted draft; the person then withdraws that consent.
    await visit(world, page, `/staff/reports/${reference}/referrals/new?force=northshire&level=intelligence`);
    const draft = await page.getByLabel('What the police will see').inputValue();
    expect(draft).toContain('Big Steve');
    expect(draft).not.toContain('Ruby');
    await page.getByRole('button', { name: 'Send referral' }).click();
    await page.waitForURL(`${world.baseUrl}/staff/reports/${reference}?referred=1#referrals`);
    const { id: reportId } = await t.services.db
      .selectFrom('reports')
      .select('id')
      .where('reference', '=', reference)
      .executeTakeFirstOrThrow();
    const intelligence = await t.services.db
      .selectFrom('referrals')
      .select('id')
      .where('report_id', '=', reportId)
      .where('level', '=', 'intelligence')
      .executeTakeFirstOrThrow();
    await visit(world, police, `/police/referrals/${intelligence.id}`);
    expect(await police.locator('#summary').innerText()).toContain('Big Steve');
    await t.services.reports.changeConsent(reportId, 'policeIntelligence', false, 'online', null);
    await visit(world, police, `/police/referrals/${intelligence.id}`);
    expect(await police.locator('#consent-withdrawn').innerText()).toContain(
      'The police keep only what their own systems already hold.',
    );
    expect(await police.locator('main').innerText()).not.toContain('Big Steve');
    await police.context().close();

    // Back on the case page, the liaison officer sees it accepted with the crime reference.
    await visit(world, page, `/staff/reports/${reference}`);
    const referrals = await page.locator('#referrals + table').innerText();
    expect(referrals).toContain('accepted');
    expect(referrals).toContain('NS/4455/26');
    await page.context().close();
  }, 180_000); // Four real sign-ins (argon2 on a shared machine) take longer than the default.
});
