import { describe, expect, it } from 'vitest';
import { charityWithForces, consentedReport } from '../support/policeLiaison.ts';
import { createStaff } from '../support/staff.ts';
import { chromiumAvailable, expectAccessible, newPage, signIn, useBrowserWorld, visit } from './browserHarness.ts';

const PHONE = { width: 360, height: 640 };
const DESKTOP = { width: 1280, height: 800 };

describe.skipIf(!chromiumAvailable)('"Check your report" on a small phone without JavaScript', () => {
  const world = useBrowserWorld();

  it('shows what is happening, confirms changes of choice, stop and delete with banners, and the report to print; every page passes axe', async () => {
    const { t } = world;
    const {
      support,
      forces: { northshire: force },
    } = await charityWithForces(t, ['northshire']);
    const liaison = await createStaff(t, { role: 'liaison', orgSlug: 'safe-streets' });
    const supervisor = await createStaff(t, { role: 'supervisor', orgKind: 'police', orgSlug: 'northshire' });
    const officer = await createStaff(t, { role: 'officer', orgKind: 'police', orgSlug: 'northshire' });
    const { reportId, receiptCode } = await consentedReport(t, 'safe-streets');
    const liaisonActor = { kind: 'user' as const, id: liaison.userId, orgId: support.id };
    const referralId = await t.services.referrals.send(liaisonActor, reportId, { force: 'northshire', level: 'full' });
    const caseId = await t.services.referrals.accept(
      { kind: 'user', id: supervisor.userId, orgId: force.id, role: 'supervisor' },
      referralId,
      { crimeReference: 'NS/9001/26', officer: officer.userId },
    );
    const { dutyId } = await t.services.caseTimeline.recordEvent(
      caseId,
      { kind: 'user', id: officer.userId, orgId: force.id },
      { type: 'suspect-arrested', occurredAt: t.clock.now().toISOString() },
    );
    const { id: appointmentId } = await t.services.appointments.propose(caseId, liaisonActor, {
      kind: 'statement',
      venueKind: 'charity-premises',
      venueDetails: 'Drop-in, 4 Mill Lane',
      startsAt: '2030-12-27T10:00:00.000Z',
      interpreter: false,
      interviewerGender: 'no-preference',
      specialMeasures: [],
    });
    await t.services.appointments.change(appointmentId, liaisonActor, { status: 'confirmed', how: 'call' });

    // The liaison, on a phone, passes the arrest on through Check your report (the sentence is prefilled).
    const staff = await newPage(world, { viewport: PHONE });
    await signIn(world, staff, liaison);
    await visit(world, staff, `/staff/cases/${caseId}`);
    const tell = staff.locator(`#duty-${dutyId}-tell`);
    expect(await tell.inputValue()).toBe('Someone has been arrested.');
    await tell.fill('Someone has been arrested. They are being questioned.');
    await staff.getByRole('button', { name: 'Tell the person through Check your report' }).click();
    await staff.waitForURL(`${world.baseUrl}/staff/cases/${caseId}?saved=told#duties`);
    expect(await staff.locator(`#duty-${dutyId}-state`).innerText()).toBe('Met');
    await expectAccessible(staff);
    await visit(world, staff, '/staff/shown-name');
    await staff.context().close();

    const page = await newPage(world, { javaScriptEnabled: false, viewport: PHONE });
    await visit(world, page, '/check');
    await page.getByLabel('Receipt code').fill(receiptCode!);
    await page.getByRole('button', { name: 'Open my report' }).click();
    await page.waitForURL(`${world.baseUrl}/check/report`);
    await expectAccessible(page);
    const happening = await page.locator('.liaison-progress').innerText();
    expect(happening).toContain('Someone has been arrested. They are being questioned.');
    expect(happening).toContain('Northshire Police accepted it.');
    expect(happening).toContain(
      'Appointment confirmed: giving a statement to the police, on Friday 27 December 2030 at 10:00am',
    );
    expect(await page.locator('main').innerText()).not.toContain('NS/9001/26');

    // Taking a choice back: a success banner says what that stopped.
    await page.locator('button', { hasText: 'Take back: The police may contact me directly' }).click();
    await page.waitForURL(`${world.baseUrl}/check/report?done=withdrawn&scope=policeContact`);
    expect(await page.locator('.govuk-notification-banner--success').innerText()).toContain(
      'Northshire Police can no longer see your contact details in our system.',
    );
    await expectAccessible(page);

    // Giving it again: "Are you sure?", then a success banner.
    await page.locator('button', { hasText: 'Agree: The police may contact me directly' }).click();
    expect(await page.locator('h1').innerText()).toBe('Are you sure?');
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Yes, I agree' }).click();
    await page.waitForURL(`${world.baseUrl}/check/report?done=given&scope=policeContact`);
    expect(await page.locator('.govuk-notification-banner--success').innerText()).toContain(
      'You agreed to “The police may contact me directly”',
    );
    await expectAccessible(page);

    // Ask to change the appointment: it becomes a message in the thread.
    await page.getByLabel('What would suit you better? (optional)').fill('An afternoon, please');
    await page.getByRole('button', { name: 'Ask to change this' }).click();
    await page.waitForURL(`${world.baseUrl}/check/report?done=change`);
    expect(await page.locator('#messages ~ ul').first().innerText()).toContain('An afternoon, please');
    await expectAccessible(page);

    // Re-read the report as sent.
    await visit(world, page, '/check/my-report');
    expect(await page.locator('#account').innerText()).toBe('Punched outside the station');
    // On paper: the report shows, the exit button and navigation do not.
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('#account').evaluate((el) => getComputedStyle(el).visibility)).toBe('visible');
    expect(await page.locator('.govuk-exit-this-page').isVisible()).toBe(false);
    expect(await page.getByText('Back to your report').isVisible()).toBe(false);
    await page.emulateMedia({ media: 'screen' });

    // Stop, then delete: each confirmed on its own page, then a banner; what went to the police stays there.
    await visit(world, page, '/check/stop');
    expect(await page.locator('main').innerText()).toContain(
      'What was already shared with the police stays with the police.',
    );
    await page.getByRole('button', { name: 'Yes, stop working on my report' }).click();
    await page.waitForURL(`${world.baseUrl}/check/report?done=stop`);
    expect(await page.locator('.govuk-notification-banner--success').innerText()).toContain(
      'You asked us to stop working on your report',
    );
    await expectAccessible(page);
    await visit(world, page, '/check/delete');
    await page.getByRole('button', { name: 'Yes, ask for my report to be deleted' }).click();
    await page.waitForURL(`${world.baseUrl}/check/report?done=delete`);
    expect(await page.locator('.govuk-notification-banner--success').innerText()).toContain(
      'A person at the charity will do this',
    );
    await expectAccessible(page);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${world.baseUrl}/`);
    expect(world.foreignRequests).toEqual([]);
    await page.context().close();
  }, 120_000);

  for (const viewport of [PHONE, DESKTOP]) {
    it(`with JavaScript (forms posted in place), a change of choice still asks "Are you sure?" and shows its banner (${viewport.width}×${viewport.height})`, async () => {
      const { t } = world;
      const { receiptCode } = await consentedReport(t, 'safe-streets', 'Pushed me over by the arches');
      const page = await newPage(world, { viewport });
      await visit(world, page, '/check');
      await page.getByLabel('Receipt code').fill(receiptCode!);
      await page.getByRole('button', { name: 'Open my report' }).click();
      await page.waitForURL(`${world.baseUrl}/check/report`);
      expect(await page.locator('#shared-police').innerText()).toContain(
        'Nothing from your report has been shared with the police.',
      );
      await expectAccessible(page);
      await page.locator('button', { hasText: 'Take back: Tell the police without my name' }).click();
      await page.waitForURL(`${world.baseUrl}/check/report?done=withdrawn&scope=policeIntelligence`);
      expect(await page.locator('.govuk-notification-banner--success').innerText()).toContain(
        'Nothing had been shared with the police at this level.',
      );
      await page.locator('button', { hasText: 'Agree: Tell the police without my name' }).click();
      await page.getByRole('heading', { name: 'Are you sure?' }).waitFor();
      await expectAccessible(page);
      await page.getByRole('button', { name: 'Yes, I agree' }).click();
      await page.waitForURL(`${world.baseUrl}/check/report?done=given&scope=policeIntelligence`);
      expect(await page.locator('.govuk-notification-banner--success').innerText()).toContain(
        'You agreed to “Tell the police without my name”',
      );
      await expectAccessible(page);
      await page.context().close();
    }, 120_000);
  }
});
