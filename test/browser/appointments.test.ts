import { describe, expect, it } from 'vitest';
import { charityWithForces, consentedReport } from '../support/policeLiaison.ts';
import { createStaff } from '../support/staff.ts';
import { chromiumAvailable, expectAccessible, newPage, signIn, useBrowserWorld, visit } from './browserHarness.ts';

describe.skipIf(!chromiumAvailable)('safe-place appointments in a real browser', () => {
  const world = useBrowserWorld();

  it('the officer proposes at a police station (flagged), the liaison confirms with the person on a phone-sized screen and gets a reminder; every page passes axe', async () => {
    const { t } = world;
    const {
      support,
      forces: { northshire: force },
    } = await charityWithForces(t, ['northshire']);
    const liaison = await createStaff(t, { role: 'liaison', orgSlug: 'safe-streets' });
    const supervisor = await createStaff(t, { role: 'supervisor', orgKind: 'police', orgSlug: 'northshire' });
    const officer = await createStaff(t, { role: 'officer', orgKind: 'police', orgSlug: 'northshire' });
    const { reportId, reference } = await consentedReport(t, 'safe-streets');
    const referralId = await t.services.referrals.send(
      { kind: 'user', id: liaison.userId, orgId: support.id },
      reportId,
      { force: 'northshire', level: 'full' },
    );
    const caseId = await t.services.referrals.accept(
      { kind: 'user', id: supervisor.userId, orgId: force.id, role: 'supervisor' },
      referralId,
      { crimeReference: 'NS/7001/26', officer: officer.userId },
    );

    // The officer in the case proposes a statement at the police station; a missing date shows the error summary.
    const police = await newPage(world);
    await signIn(world, police, officer);
    await visit(world, police, `/police/cases/${caseId}/appointments`);
    expect(await police.locator('main').innerText()).toContain('No appointments yet.');
    await police.getByLabel('Statement', { exact: true }).check();
    await police.getByLabel('Police station', { exact: true }).check();
    expect(await police.locator('main').innerText()).toContain('The person may not feel safe here.');
    await police.getByLabel('Venue details').fill('Central police station, side entrance');
    await police.getByLabel('Start time (UK, 24-hour clock)').fill('10:00');
    await police.locator('#interpreter-2').check();
    await police.getByLabel('Female', { exact: true }).check();
    await police.getByLabel('Screens in court').check();
    await police.getByRole('button', { name: 'Propose appointment' }).click();
    await police.waitForSelector('.govuk-error-summary');
    expect(await police.locator('.govuk-error-summary').innerText()).toContain('Enter the date as YYYY-MM-DD');
    expect(await police.getByLabel('Venue details').inputValue()).toBe('Central police station, side entrance');
    await expectAccessible(police);
    await police.getByLabel('Date', { exact: true }).fill('2030-12-27');
    await police.getByRole('button', { name: 'Propose appointment' }).click();
    await police.waitForURL(`${world.baseUrl}/police/cases/${caseId}/appointments?saved=proposed`);
    const proposed = await police.locator('main').innerText();
    expect(proposed).toContain('Statement: Friday 27 December 2030 at 10:00');
    expect(proposed).toContain('Police station: The person may not feel safe here.');
    expect(proposed).toContain('Proposed');
    expect(proposed).not.toContain('07700900456');
    await expectAccessible(police);
    await police.context().close();

    // The liaison officer, on a phone, confirms it with the person by a call.
    const phone = await newPage(world, { viewport: { width: 375, height: 812 } });
    await signIn(world, phone, liaison);
    await visit(world, phone, `/staff/cases/${caseId}/appointments`);
    expect(await phone.locator('main').innerText()).toContain('Police station: The person may not feel safe here.');
    await phone.getByRole('button', { name: 'Confirm with the person' }).click();
    await phone.waitForSelector('.govuk-error-summary');
    expect(await phone.locator('.govuk-error-summary').innerText()).toContain('Choose how the person confirmed it');
    await expectAccessible(phone);
    await phone.getByLabel('Call', { exact: true }).check();
    await phone.getByRole('button', { name: 'Confirm with the person' }).click();
    await phone.waitForURL(/saved=confirmed/);
    const confirmed = await phone.locator('main').innerText();
    expect(confirmed).toContain('A reminder task is due 2030-12-24.');
    expect(confirmed).toContain('Confirmed with the person');
    await expectAccessible(phone);
    // The reminder is on the liaison's task list.
    await visit(world, phone, '/staff/tasks');
    expect(await phone.locator('main').innerText()).toContain(
      'Remind the person: Statement on Friday 27 December 2030 at 10:00',
    );
    // Rearranged from the same page: the outcome form opens and the new appointment is linked.
    await visit(world, phone, `/staff/cases/${caseId}/appointments`);
    await phone.getByText('Record the outcome').click();
    await phone.getByLabel('Rearranged', { exact: true }).check();
    await phone.getByLabel('New date (rearranged only)').fill('2031-01-07');
    await phone.getByLabel('New time (UK, 24-hour clock)').fill('11:00');
    await phone.getByRole('button', { name: 'Record outcome' }).click();
    await phone.waitForURL(/saved=rearranged/);
    const rearranged = await phone.locator('main').innerText();
    expect(rearranged).toContain('Statement: Tuesday 7 January 2031 at 11:00');
    expect(rearranged).toContain('See the new appointment');
    await expectAccessible(phone);
    expect(reference).toMatch(/^R-/);
    await phone.context().close();
  }, 180_000);
});
