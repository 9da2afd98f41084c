import { describe, expect, it } from 'vitest';
import { createStaff } from '../support/staff.ts';
import { chromiumAvailable, expectAccessible, newPage, signIn, useBrowserWorld, visit } from './browserHarness.ts';

describe.skipIf(!chromiumAvailable)('who may join as a member, in a real browser', () => {
  const world = useBrowserWorld();

  it('an administrator asks for approval; the person is told to ask outreach, who approve the code; a suspended member is signed out; staff only gives no codes', async () => {
    await world.t.services.organisations.create(
      { kind: 'support', name: 'Night Shelter', slug: 'night-shelter' },
      { kind: 'system' },
    );
    const admin = await createStaff(world.t, { role: 'admin', orgSlug: 'night-shelter' });
    const adminPage = await newPage(world);
    await signIn(world, adminPage, admin);
    await visit(world, adminPage, '/admin/members');
    await adminPage.getByLabel('People join online, and staff approve each code').check();
    await adminPage.getByRole('button', { name: 'Save' }).click();
    await adminPage.waitForURL(/\/admin\/members\?saved=1$/);
    await expectAccessible(adminPage);

    // The person joins and is told their code waits for an outreach worker.
    const person = await newPage(world, { javaScriptEnabled: false, viewport: { width: 360, height: 640 } });
    await visit(world, person, '/o/night-shelter/members/join');
    expect(await person.locator('main').innerText()).toContain(
      'Your code will only work once an outreach worker or caseworker',
    );
    await person.getByLabel('What should we call you?').fill('Robin');
    await person.getByRole('button', { name: 'Get my member code' }).click();
    await person.getByText('Your code is waiting for approval').waitFor();
    await expectAccessible(person);
    const code = (await person.locator('#member-code').innerText()).trim();
    await visit(world, person, '/members/sign-in');
    await person.getByLabel('Member code').fill(code);
    await person.getByRole('button', { name: 'Sign in' }).click();
    await person.getByText('Your code has not been approved yet').first().waitFor();
    await expectAccessible(person);

    // Outreach types the code the person shows them.
    const outreach = await createStaff(world.t, { role: 'outreach', orgSlug: 'night-shelter' });
    const staff = await newPage(world);
    await signIn(world, staff, outreach);
    await visit(world, staff, '/staff/members');
    expect(await staff.locator('main').innerText()).toContain('Waiting for approval');
    await staff.getByLabel('Their member code').fill(code);
    await staff.getByRole('button', { name: 'Approve this code' }).click();
    await staff.getByText('The code now works').waitFor();
    await expectAccessible(staff);

    await visit(world, person, '/members/sign-in');
    await person.getByLabel('Member code').fill(code);
    await person.getByRole('button', { name: 'Sign in' }).click();
    await person.waitForURL(`${world.baseUrl}/members/warnings`);

    // Suspended: the open session ends at once.
    await visit(world, staff, '/staff/members');
    await staff.getByRole('button', { name: 'Suspend Robin' }).click();
    await staff.getByText('The member is suspended').waitFor();
    await expectAccessible(staff);
    await person.goto(`${world.baseUrl}/members/warnings`);
    expect(person.url()).toBe(`${world.baseUrl}/members/sign-in`);

    // Staff only: the join page explains and offers no form.
    await visit(world, adminPage, '/admin/members');
    await adminPage.getByLabel('Only staff give codes, on outreach').check();
    await adminPage.getByRole('button', { name: 'Save' }).click();
    await adminPage.waitForURL(/saved=1/);
    await visit(world, person, '/o/night-shelter/members/join');
    expect(await person.locator('main').innerText()).toContain('gives member codes in person');
    expect(await person.getByRole('button', { name: 'Get my member code' }).count()).toBe(0);
    for (const page of [adminPage, person, staff]) await page.context().close();
  }, 240_000);
});
