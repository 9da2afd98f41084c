import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../../test/support/databases.ts';
import { signedInStaff } from '../../../test/support/staff.ts';
import { startTestApp, type TestApp } from '../../../test/support/testApp.ts';
import { addWorkingDays } from './workingDays.ts';

describe.each(testDatabases)('administering bank holidays on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(async () => t.close());

  it('is seeded with the England and Wales list', async () => {
    const holidays = await t.services.policeCases.holidays();
    expect(holidays.has('2026-12-28')).toBe(true);
    expect(holidays.has('2030-08-26')).toBe(true);
    expect(holidays.size).toBe(56);
  });

  it('lets a support administrator add a one-off holiday, which moves a deadline, and remove it; audited', async () => {
    const admin = await signedInStaff(t, { role: 'admin' });
    const page = await admin.browser.get('/admin/bank-holidays');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Boxing Day (substitute day)');
    // Thursday 3 June 2027 + 1 working day is Friday 4 June, until that Friday is a holiday.
    expect(addWorkingDays('2027-06-03', 1, await t.services.policeCases.holidays())).toBe('2027-06-04');

    const bad = await admin.browser.post('/admin/bank-holidays', { date: '2027-02-30', title: 'Nope' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('There is a problem');
    expect(bad.body).toContain('value="Nope"');
    const dup = await admin.browser.post('/admin/bank-holidays', { date: '2027-12-27', title: 'Again' });
    expect(dup.statusCode).toBe(400);
    expect(dup.body).toContain('already a bank holiday');

    const added = await admin.browser.post('/admin/bank-holidays', { date: '2027-06-04', title: 'Jubilee bank holiday' });
    expect(added.statusCode).toBe(303);
    expect(added.headers.location).toBe('/admin/bank-holidays?changed=1');
    expect((await admin.browser.get('/admin/bank-holidays?changed=1')).body).toContain('Jubilee bank holiday');
    expect(addWorkingDays('2027-06-03', 1, await t.services.policeCases.holidays())).toBe('2027-06-07');

    const removed = await admin.browser.post('/admin/bank-holidays/2027-06-04/remove', {});
    expect(removed.statusCode).toBe(303);
    expect((await t.services.policeCases.holidays()).has('2027-06-04')).toBe(false);
    const entries = await t.services.db.selectFrom('audit_entries').select(['action', 'actor_id', 'target_id']).where('action', 'like', 'bank-holiday.%').execute();
    expect(entries).toEqual(expect.arrayContaining([
      { action: 'bank-holiday.added', actor_id: admin.userId, target_id: '2027-06-04' },
      { action: 'bank-holiday.removed', actor_id: admin.userId, target_id: '2027-06-04' },
    ]));
  });

  it('refuses non-administrators, and police administrators may look but not change', async () => {
    const caseworker = await signedInStaff(t, { role: 'caseworker' });
    expect((await caseworker.browser.get('/admin/bank-holidays')).statusCode).toBe(403);
    await caseworker.browser.get('/staff');
    expect((await caseworker.browser.post('/admin/bank-holidays', { date: '2027-06-11', title: 'Sneaky' })).statusCode).toBe(403);
    const policeAdmin = await signedInStaff(t, { role: 'admin', orgKind: 'police' });
    const page = await policeAdmin.browser.get('/admin/bank-holidays');
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('Add bank holiday');
    expect((await policeAdmin.browser.post('/admin/bank-holidays', { date: '2027-06-11', title: 'Sneaky' })).statusCode).toBe(403);
    expect((await t.services.policeCases.holidays()).has('2027-06-11')).toBe(false);
  });
});
