import { describe, expect, it } from 'vitest';
import { createStaff } from '../support/staff.ts';
import { chromiumAvailable, expectAccessible, newPage, signIn, useBrowserWorld, visit } from './browserHarness.ts';

describe.skipIf(!chromiumAvailable)('warnings to others in a real browser', () => {
  const world = useBrowserWorld();

  it('drafts a warning from a report, a second member of staff approves it, it is listed and the number check finds it', async () => {
    const author = await createStaff(world.t, { role: 'caseworker', orgSlug: 'safe-streets' });
    const approver = await createStaff(world.t, { role: 'liaison', orgSlug: 'safe-streets' });
    const org = (await world.t.services.organisations.findBySlug('safe-streets'))!;
    await world.t.services.organisations.setAreas(org.id, ['Canal Street', 'The Arches'], { kind: 'system' });
    const { reference } = await world.t.services.reports.submit(
      {
        org: 'safe-streets',
        incidentTypes: ['sexual-assault'],
        account: 'He would not stop when I said no.',
        occurredOn: '2026-09-03',
        timeOfDay: 'around 2am',
        area: 'Canal Street',
        placeDetails: 'behind the launderette at number 9',
        contactStarted: 'phone-or-text',
        consents: {
          support: true,
          warnOthers: true,
          policeIntelligence: false,
          policeReport: false,
          policeContact: false,
        },
        perpetrator: {
          names: [],
          phones: ['07700 900123'],
          emails: [],
          handles: [],
          vehicle: { colour: 'red', make: 'Vauxhall', registration: 'KX?? ?BC' },
          description: 'Short, shaved head',
        },
        contact: {
          name: 'Jade Personal',
          methods: [{ kind: 'phone-call', value: '07700 900987', safeToLeaveMessage: false }],
        },
      },
      { source: 'online', recordedBy: null, idempotencyKey: undefined },
    );

    // The author drafts it beside the report; nothing identifying the reporter is on the page.
    const first = await newPage(world);
    await signIn(world, first, author);
    await visit(world, first, '/staff/warnings');
    await visit(world, first, `/staff/warnings/new?reports=${reference}`);
    const editor = await first.content();
    for (const secret of ['Jade Personal', '07700 900987', 'launderette', 'around 2am'])
      expect(editor, secret).not.toContain(secret);
    expect(await first.getByLabel('Phone numbers').inputValue()).toBe('07700 900123');
    expect(await first.getByLabel('Vehicle registrations').inputValue()).toBe('KX?? ?BC');
    expect(await first.getByLabel('Area').inputValue()).toBe('Canal Street');
    await first.getByLabel('Title').fill('Red Vauxhall, Canal Street');
    await first.getByRole('button', { name: 'Save draft' }).click();
    await first.waitForURL(/\/staff\/warnings\/[0-9a-f-]{36}$/);
    await expectAccessible(first);
    const warningPath = new URL(first.url()).pathname;
    expect(await first.locator('main').innerText()).toContain('needs approval from a different member of staff');
    expect(await first.getByRole('button', { name: 'Approve and publish' }).count()).toBe(0);

    // On a phone the two columns stack: the form comes below the report.
    const narrow = await newPage(world, { viewport: { width: 360, height: 640 } });
    await narrow.context().addCookies(await first.context().cookies());
    await visit(world, narrow, `/staff/warnings/new?reports=${reference}`);
    const reportBox = await narrow.locator('#source-reports').boundingBox();
    const formBox = await narrow.getByLabel('Title').boundingBox();
    expect(formBox!.y).toBeGreaterThan(reportBox!.y + reportBox!.height - 1);
    await narrow.context().close();
    await first.context().close();

    // A second member of staff approves it.
    const second = await newPage(world);
    await signIn(world, second, approver);
    await visit(world, second, warningPath);
    await second.getByRole('button', { name: 'Approve and publish' }).click();
    await second.waitForURL(`${world.baseUrl}${warningPath}?published=1`);
    await expectAccessible(second);
    expect(await second.locator('#state').innerText()).toBe('Published');

    // It is in the published list and on the printable sheet.
    await visit(world, second, '/staff/warnings');
    expect(await second.locator('main').innerText()).toContain('Red Vauxhall, Canal Street');
    await visit(world, second, '/staff/warnings/print');
    expect(await second.locator('main').innerText()).toContain('Red Vauxhall, Canal Street');

    // The number check finds it by the number in another form, and by a plate that fits the partial one.
    await visit(world, second, '/staff/warnings/check');
    await second.getByLabel('Phone number or registration').fill('+44 7700 900123');
    await second.getByRole('button', { name: 'Check' }).click();
    await second.waitForSelector('#results');
    await expectAccessible(second);
    expect(await second.locator('#results').innerText()).toContain('Red Vauxhall, Canal Street');
    await second.getByLabel('Phone number or registration').fill('kx12 abc');
    await second.getByRole('button', { name: 'Check' }).click();
    await second.waitForSelector('#results');
    expect(await second.locator('#results').innerText()).toContain('Red Vauxhall, Canal Street');
    await second.getByLabel('Phone number or registration').fill('kx12 abd');
    await second.getByRole('button', { name: 'Check' }).click();
    await second.waitForSelector('#results');
    expect(await second.locator('#results').innerText()).toContain('Not in any active warning');
    await expectAccessible(second);
    await second.context().close();
  }, 120_000);
});
