import { describe, expect, it } from 'vitest';
import { addCalendarDays } from '../../src/features/calendar/workingDays.ts';
import { charityWithForces, consentedReport } from '../support/policeLiaison.ts';
import { createStaff } from '../support/staff.ts';
import { chromiumAvailable, expectAccessible, newPage, signIn, useBrowserWorld, visit } from './browserHarness.ts';

describe.skipIf(!chromiumAvailable)('a police case in a real browser', () => {
  const world = useBrowserWorld();

  it('refer → accept → the officer records an arrest → the duty reaches the charity → the liaison records "told by call"; every page passes axe', async () => {
    const { t } = world;
    await charityWithForces(t, ['northshire']);
    const liaison = await createStaff(t, { role: 'liaison', orgSlug: 'safe-streets' });
    const supervisor = await createStaff(t, { role: 'supervisor', orgKind: 'police', orgSlug: 'northshire' });
    const officer = await createStaff(t, { role: 'officer', orgKind: 'police', orgSlug: 'northshire' });
    const { reference } = await consentedReport(t, 'safe-streets');

    // The liaison officer refers the report to the force.
    const page = await newPage(world);
    await signIn(world, page, liaison);
    await visit(world, page, `/staff/reports/${reference}`);
    await page.getByLabel('Full crime report').check();
    await page.getByRole('button', { name: 'Prepare a referral' }).click();
    await page.waitForURL(/\/referrals\/new\?/);
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Send referral' }).click();
    await page.waitForURL(`${world.baseUrl}/staff/reports/${reference}?referred=1#referrals`);
    await expectAccessible(page);

    // The supervisor accepts it for the officer in the case.
    const boss = await newPage(world);
    await signIn(world, boss, supervisor);
    await visit(world, boss, '/police/referrals');
    await boss.locator('table a').first().click();
    await boss.waitForURL(/\/police\/referrals\/[0-9a-f-]{36}$/);
    await expectAccessible(boss);
    await boss.getByLabel('Crime reference number').fill('NS/5150/26');
    await boss.getByLabel('Officer in the case').selectOption({ label: officer.email });
    await boss.getByRole('button', { name: 'Accept referral' }).click();
    await boss.waitForSelector('text=Police case');
    await expectAccessible(boss);
    await boss.context().close();

    // The officer finds the case and records an arrest ten days ago: its duty is overdue.
    const police = await newPage(world);
    await signIn(world, police, officer);
    await visit(world, police, '/police/cases');
    await police.getByRole('link', { name: 'NS/5150/26' }).click();
    await police.waitForURL(/\/police\/cases\/[0-9a-f-]{36}$/);
    await expectAccessible(police);
    const caseUrl = police.url();
    const caseId = caseUrl.split('/').at(-1)!;
    expect(await police.locator('main').innerText()).not.toContain('Ruby');
    // A mistake first: closing needs the outcome type; the form keeps what was chosen.
    await police.getByLabel('What happened').selectOption('closed');
    await police.getByLabel('Date it happened').fill(t.services.dutyLists.today());
    await police.getByRole('button', { name: 'Record event' }).click();
    await police.waitForSelector('.govuk-error-summary');
    expect(await police.locator('.govuk-error-summary').innerText()).toContain('Give the Home Office outcome type');
    await expectAccessible(police);
    await police.getByLabel('What happened').selectOption('suspect-arrested');
    await police.getByLabel('Date it happened').fill(addCalendarDays(t.services.dutyLists.today(), -10));
    await police.getByRole('button', { name: 'Record event' }).click();
    await police.waitForURL(`${caseUrl}?saved=event#timeline`);
    expect(await police.locator('#stage').innerText()).toBe('Suspect arrested');
    await expectAccessible(police);
    // A message to the liaison officer, and a request for contact with the victim.
    await police.getByLabel('Message to Safe Streets').fill('Can she give a statement next week?');
    await police.getByRole('button', { name: 'Send message' }).click();
    await police.waitForURL(`${caseUrl}?saved=message#messages`);
    await expectAccessible(police);
    await police.getByLabel('Why you need to speak to them (optional)').fill('Statement about the second man');
    await police.getByRole('button', { name: 'Request contact with the victim' }).click();
    await police.waitForURL(`${caseUrl}?saved=contact#contact`);
    expect(await police.locator('#saved').innerText()).toContain('Your request is with Safe Streets');
    await expectAccessible(police);
    await visit(world, police, '/police/duties');
    expect(await police.locator('#overdue').innerText()).toContain('NS/5150/26');

    // On the charity's side: the referral panel links to the case, and the duty is on the overdue list.
    await visit(world, page, `/staff/reports/${reference}`);
    await page.getByRole('link', { name: /Police case: timeline, duties and messages/ }).click();
    await page.waitForURL(`${world.baseUrl}/staff/cases/${caseId}`);
    await expectAccessible(page);
    const main = await page.locator('main').innerText();
    expect(main).toContain('Can she give a statement next week?');
    expect(main).toContain('Statement about the second man');
    expect(main).toContain(`Task for ${liaison.email}`);
    await visit(world, page, '/staff/duties');
    expect(await page.locator('#overdue').innerText()).toContain('Suspect arrested');
    await page.locator('#overdue a', { hasText: 'NS/5150/26' }).click();
    await page.waitForURL(new RegExp(`/staff/cases/${caseId}#duty-`));
    await expectAccessible(page);
    await page.getByLabel('Call', { exact: true }).check();
    await page.getByLabel('Note (optional)').fill('Rang her after six, as she asked');
    await page.getByRole('button', { name: 'Record that they were told' }).click();
    await page.waitForURL(`${world.baseUrl}/staff/cases/${caseId}?saved=told#duties`);
    expect(await page.locator('#saved').innerText()).toContain('Recorded that the person was told.');
    expect(await page.locator('[id$="-state"]').first().innerText()).toBe('Met');
    await expectAccessible(page);
    await visit(world, page, '/staff/duties');
    expect(await page.locator('#overdue').innerText()).not.toContain('NS/5150/26');
    await page.context().close();

    // The officer sees the duty met.
    await visit(world, police, `/police/cases/${caseId}`);
    expect(await police.locator('[id$="-state"]').first().innerText()).toBe('Met');
    await police.context().close();
  }, 180_000);
});
