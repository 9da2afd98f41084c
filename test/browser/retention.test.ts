import { describe, expect, it } from 'vitest';
import { reportInputSchema } from '../../src/features/reporting/reportSchema.ts';
import { createStaff } from '../support/staff.ts';
import {
  browserRequired,
  chromiumAvailable,
  expectAccessible,
  newPage,
  signIn,
  useBrowserWorld,
  visit,
} from './browserHarness.ts';

if (browserRequired && !chromiumAvailable) throw new Error('REQUIRE_BROWSER=1 but chromium is missing');

describe.skipIf(!chromiumAvailable)('retention and erasure pages in a real browser', () => {
  const world = useBrowserWorld();

  it('the schedule, a legal hold on the case page, the erasure of a person record and the erased report pass axe, errors included', async () => {
    const { t } = world;
    const org = await t.services.organisations.create(
      { kind: 'support', name: 'Safe Streets', slug: 'safe-streets' },
      { kind: 'system' },
    );
    const admin = await createStaff(t, { role: 'admin', orgSlug: 'safe-streets' });
    const caseworker = await createStaff(t, { role: 'caseworker', orgSlug: 'safe-streets' });
    const sent = await t.services.reports.submit(
      reportInputSchema.parse({
        org: 'safe-streets',
        incidentTypes: ['other'],
        account: 'It happened',
        consents: { support: true },
      }),
      { source: 'online', recordedBy: null, idempotencyKey: undefined },
    );
    await t.services.personRequests.delete(sent.reportId);

    const adminPage = await newPage(world, { javaScriptEnabled: false });
    await signIn(world, adminPage, admin);
    await adminPage.getByRole('link', { name: 'Retention schedule' }).click();
    await adminPage.waitForURL(`${world.baseUrl}/admin/retention`);
    await expectAccessible(adminPage);
    await adminPage.getByLabel('Audit entries').fill('3');
    await adminPage.getByRole('button', { name: 'Save the schedule' }).click();
    await expectAccessible(adminPage);
    expect(await adminPage.locator('.govuk-error-summary').innerText()).toContain('between 7 and 25 years');
    await adminPage.getByLabel('Audit entries').fill('10');
    await adminPage.getByRole('button', { name: 'Save the schedule' }).click();
    await adminPage.waitForURL(`${world.baseUrl}/admin/retention?saved=1`);
    await expectAccessible(adminPage);
    expect(await adminPage.locator('#requests').isVisible()).toBe(true);

    const page = await newPage(world, { javaScriptEnabled: false });
    await signIn(world, page, caseworker);
    await visit(world, page, `/staff/reports/${sent.reference}`);
    await page.getByRole('button', { name: 'Place a legal hold' }).click();
    await expectAccessible(page);
    expect(await page.locator('.govuk-error-summary').innerText()).toContain('Say why the report must be kept');
    await page.getByLabel('Place a legal hold').fill('Inquest next month');
    await page.getByRole('button', { name: 'Place a legal hold' }).click();
    await expectAccessible(page);
    expect(await page.locator('#legal-hold').innerText()).toContain('Inquest next month');
    await page.getByRole('button', { name: 'Release the legal hold' }).click();
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Erase this report' }).click();
    await expectAccessible(page);
    expect(await page.locator('.govuk-error-summary').innerText()).toContain('Tick the box');

    const worker = { kind: 'user' as const, id: caseworker.userId, orgId: org.id };
    const person = await t.services.people.create(
      worker,
      { workingName: 'Ruby', otherNames: [], languages: [], interpreter: 'unknown', notes: '' },
      sent.reportId,
    );
    await visit(world, page, `/staff/people/${person.id}`);
    await page.getByRole('link', { name: 'Erase this person record' }).click();
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Ask for it to be erased' }).click();
    await expectAccessible(page);
    expect(await page.locator('.govuk-error-summary').innerText()).toContain('Choose why');
    await page.getByLabel('The person asked us to erase it').check();
    await page.getByRole('button', { name: 'Ask for it to be erased' }).click();
    await expectAccessible(page);
    expect(await page.locator('#needs-second').isVisible()).toBe(true);

    // Erasing the report at the person's request takes the record (its only report) with it, closing the request.
    await t.services.retention.eraseOnRequest(worker, sent.reportId);
    const request = await t.services.db
      .selectFrom('person_erasures')
      .selectAll()
      .where('person_id', '=', person.id)
      .executeTakeFirstOrThrow();
    expect(request.cancelled_at).not.toBeNull();
    expect(await t.services.db.selectFrom('people').select('id').where('id', '=', person.id).execute()).toEqual([]);
    await visit(world, page, `/staff/reports/${sent.reference}`);
    expect(await page.locator('#erased').innerText()).toMatch(/Erased at the person's request on/);
  });
});
