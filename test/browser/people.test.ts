import { describe, expect, it } from 'vitest';
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

describe.skipIf(!chromiumAvailable)('people and the reach-me list in a real browser', () => {
  const world = useBrowserWorld();

  it('links a report to a new person, adds and retires contact points, and every page passes axe', async () => {
    const { t } = world;
    await t.services.organisations.create(
      { kind: 'support', name: 'Safe Streets', slug: 'safe-streets' },
      { kind: 'system' },
    );
    const caseworker = await createStaff(t, { role: 'caseworker', orgSlug: 'safe-streets' });
    const { reference } = await t.services.reports.submit(
      {
        org: 'safe-streets',
        incidentTypes: ['stalking'],
        account: 'Followed from the station',
        consents: {
          support: true,
          warnOthers: false,
          policeIntelligence: false,
          policeReport: false,
          policeContact: false,
        },
        perpetrator: { names: [], phones: [], emails: [], handles: [] },
      },
      { source: 'online', recordedBy: null, idempotencyKey: undefined },
    );
    const page = await newPage(world);
    await signIn(world, page, caseworker);

    await visit(world, page, `/staff/reports/${reference}`);
    await page.getByRole('link', { name: 'Add a new person for this report' }).click();
    await page.waitForURL(/\/staff\/people\/new/);
    await expectAccessible(page);
    await page.getByLabel('Working name').fill('Jade');
    await page.getByLabel('Languages (optional)').fill('English, Portuguese');
    await page.getByRole('button', { name: 'Add person' }).click();
    await page.waitForURL(`${world.baseUrl}/staff/reports/${reference}#person`);
    await expectAccessible(page);
    expect(await page.locator('#person ~ p').first().innerText()).toContain('Jade');
    await page.locator('#person ~ p a', { hasText: 'Jade' }).click();
    await page.waitForURL(/\/staff\/people\/[\w-]+$/);
    await expectAccessible(page);
    const personUrl = page.url();

    // A number that cannot be one is a clear error, and what was typed stays.
    await page.getByText('Add a contact point').click();
    await page.getByLabel('Kind').selectOption('mobile');
    await page.getByLabel('Number, address or details').fill('0770');
    await page.getByRole('group', { name: 'Is it safe to leave a message?' }).getByLabel('No').check();
    await page.getByRole('button', { name: 'Add contact point' }).click();
    await page.waitForSelector('.govuk-error-summary');
    expect(await page.locator('.govuk-error-summary').innerText()).toContain('Enter a real phone number');
    await expectAccessible(page);
    await page.getByLabel('Number, address or details').fill('07700 900461');
    await page.getByLabel('Safe times (optional)').fill('after 6pm');
    await page.getByLabel('Code word (optional)').fill('sunflower');
    await page.getByRole('button', { name: 'Add contact point' }).click();
    await page.waitForURL(`${personUrl}#contact-points`);
    await expectAccessible(page);

    // The call view: rules first, then the number.
    await page.getByRole('link', { name: 'Mobile ending 461' }).click();
    await page.waitForURL(/contact-points\/[\w-]+$/);
    await expectAccessible(page);
    expect(await page.locator('#safe-contact-rules').innerText()).toMatch(
      /Do not leave a message[\s\S]*after 6pm[\s\S]*sunflower/,
    );
    expect(await page.locator('#contact-value').innerText()).toBe('07700 900461');
    await page.getByRole('group', { name: 'Why should it no longer be used?' }).getByLabel('Number changed').check();
    await page.getByRole('button', { name: 'Retire this contact point' }).click();
    await page.waitForURL(`${personUrl}#contact-points`);
    await expectAccessible(page);
    expect(await page.locator('#retired-points').innerText()).toContain('Number changed');

    await page.getByText('Add a contact point').click();
    await page.getByLabel('Kind').selectOption('mobile');
    await page.getByLabel('Number, address or details').fill('+44 7700 900462');
    await page.getByRole('group', { name: 'Is it safe to leave a message?' }).getByLabel('Yes').check();
    await page.getByRole('button', { name: 'Add contact point' }).click();
    await page.waitForURL(`${personUrl}#contact-points`);
    expect(await page.locator('#active-points').innerText()).toContain('Mobile ending 462');
    expect(await page.locator('#retired-points').innerText()).toContain('Mobile ending 461');
    await visit(world, page, '/staff/people');
    await visit(world, page, `/staff/people?name=jade&linkTo=${reference}`);
    expect(await page.locator('#people').innerText()).toContain('Jade');
    await visit(world, page, `${new URL(personUrl).pathname}/merge`);
    await page.context().close();
  }, 90_000);

  it('outreach records a new number on a 360×640 phone, and the caseworker sees it unconfirmed', async () => {
    const { t } = world;
    const caseworker = await createStaff(t, { role: 'caseworker', orgSlug: 'safe-streets' });
    const outreach = await createStaff(t, { role: 'outreach', orgSlug: 'safe-streets' });
    const actor = { kind: 'user' as const, id: caseworker.userId, orgId: caseworker.orgId };
    const { id } = await t.services.people.create(actor, {
      workingName: 'Sky',
      otherNames: [],
      languages: [],
      interpreter: 'unknown',
      notes: 'PRIVATE NOTE',
    });
    await t.services.people.addContactPoint(actor, id, {
      kind: 'mobile',
      value: '07700 900471',
      safeToLeaveMessage: false,
      safeTimes: undefined,
      codeWord: undefined,
    });

    const desk = await newPage(world);
    await signIn(world, desk, caseworker);
    await visit(world, desk, `/staff/people/${id}`);
    await desk.getByText('Ask outreach to pass on a message').click();
    await desk.getByLabel('How to recognise them (optional)').fill('Silver puffer jacket');
    await desk.getByLabel('Where they are usually seen').fill('Back of the bus station');
    await desk.getByLabel('Message to pass on').fill('Please ring Kerina at the drop-in');
    await desk.getByRole('button', { name: 'Add to the reach-me list' }).click();
    await desk.waitForURL(`${world.baseUrl}/staff/people/${id}#reach-me`);
    await expectAccessible(desk);

    const phone = await newPage(world, { viewport: { width: 360, height: 640 } });
    await signIn(world, phone, outreach);
    await visit(world, phone, '/outreach/reach-me');
    const main = await phone.locator('main').innerText();
    expect(main).toContain('Sky');
    expect(main).toContain('Please ring Kerina at the drop-in');
    expect(main).not.toContain('900471');
    expect(main).not.toContain('PRIVATE NOTE');
    // Nothing wider than the phone, and the buttons are big enough to tap.
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    const button = await phone.getByRole('button', { name: /^New number given\s*: Sky$/ }).boundingBox();
    expect(button?.height ?? 0).toBeGreaterThanOrEqual(44);
    await phone.getByLabel('New number for Sky').fill('0770');
    await phone.getByRole('button', { name: /^New number given\s*: Sky$/ }).click();
    await phone.waitForSelector('.govuk-error-summary');
    expect(await phone.locator('.govuk-error-summary').innerText()).toContain('Enter a real phone number');
    await expectAccessible(phone);
    const started = Date.now();
    await phone.getByLabel('New number for Sky').fill('07700 900472');
    await phone.getByRole('button', { name: /^New number given\s*: Sky$/ }).click();
    await phone.waitForURL(/\/outreach\/reach-me\?done=/);
    expect(Date.now() - started).toBeLessThan(10_000);
    await expectAccessible(phone);
    expect(await phone.locator('#recorded').innerText()).toContain('Sky: New number given');
    await phone.getByRole('button', { name: /^Seen, message passed\s*: Sky$/ }).click();
    await phone.waitForURL(/what=seen/);
    await expectAccessible(phone);

    await visit(world, desk, `/staff/people/${id}`);
    const points = await desk.locator('#active-points').innerText();
    expect(points).toContain('Mobile ending 472');
    expect(points).toContain('Given via outreach, not yet confirmed');
    expect(await desk.locator('#attempts ~ table').first().innerText()).toContain('Message passed via outreach');
    await desk.getByRole('link', { name: 'Mobile ending 472' }).click();
    await desk.waitForURL(/contact-points\/[\w-]+$/);
    await expectAccessible(desk);
    await desk.getByRole('button', { name: 'Confirm it works and is theirs' }).click();
    await desk.waitForURL(`${world.baseUrl}/staff/people/${id}#contact-points`);
    expect(await desk.locator('#active-points').innerText()).not.toContain('not yet confirmed');
    await phone.context().close();
    await desk.context().close();
  }, 90_000);
});
