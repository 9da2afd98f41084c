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

  it('holds the published England and Wales years and computes the others by the standing rules', async () => {
    const rows = await t.services.db.selectFrom('bank_holidays').select(['date', 'source']).execute();
    expect(rows).toHaveLength(32);
    expect(rows.every((r) => r.source === 'bundled' && r.date < '2028-01-01')).toBe(true);
    const holidays = await t.services.bankHolidays.calendar();
    expect(holidays.has('2026-12-28')).toBe(true);
    expect(holidays.lookup('2030-08-26')).toEqual({
      date: '2030-08-26',
      title: 'Summer bank holiday',
      source: 'rules',
    });
    expect(holidays.lookup('2031-04-14')).toEqual({ date: '2031-04-14', title: 'Easter Monday', source: 'rules' });
  });

  it('warns when this year or next has no published list, until one is loaded', async () => {
    const at = (iso: string) => t.clock.advance(Date.parse(iso) - t.clock.now().getTime());
    // Signed in afresh at each moment: a session does not last for months.
    const page = async () => (await signedInStaff(t, { role: 'admin' })).browser.get('/admin/bank-holidays');
    at('2026-12-01T12:00:00Z');
    const now = await page();
    expect(now.statusCode).toBe(200);
    expect(now.body).not.toContain('unpublished-warning');
    // The year after next is listed from the rules, without a warning.
    expect(now.body).toMatch(
      /2028-04-17<\/td>\s*<td class="govuk-table__cell">Easter Monday<\/td>\s*<td class="govuk-table__cell">Standing rules/,
    );

    at('2027-03-01T12:00:00Z');
    const next = await page();
    expect(next.body).toContain('unpublished-warning');
    expect(next.body).toContain(
      'No published gov.uk list is loaded for 2028. Deadlines in that year use the standing rules only.',
    );

    at('2029-03-01T12:00:00Z');
    expect((await page()).body).toContain(
      'No published gov.uk list is loaded for 2029 or 2030. Deadlines in those years use the standing rules only.',
    );

    // A release loads the 2028 list: in 2027 the warning goes.
    const loadedAt = t.clock.now().toISOString();
    await t.services.db
      .insertInto('bank_holidays')
      .values(
        [
          '2028-01-03',
          '2028-04-14',
          '2028-04-17',
          '2028-05-01',
          '2028-05-29',
          '2028-08-28',
          '2028-12-25',
          '2028-12-26',
        ].map((date) => ({
          date,
          title: 'Published',
          source: 'bundled' as const,
          added_by_kind: null,
          added_by_id: null,
          added_at: loadedAt,
        })),
      )
      .execute();
    at('2027-03-01T12:00:00Z');
    expect((await page()).body).not.toContain('unpublished-warning');
    await t.services.db
      .deleteFrom('bank_holidays')
      .where('date', '>=', '2028-01-01')
      .where('date', '<', '2029-01-01')
      .execute();
    at('2026-12-01T12:00:00Z');
  });

  it('lets a support administrator remove a computed day that was moved, and add the new one; the deadline follows', async () => {
    const admin = await signedInStaff(t, { role: 'admin' });
    await admin.browser.get('/admin/bank-holidays');
    // Friday 28 May 2032 + 1 working day: Monday 31st is the spring bank holiday by the rules.
    expect(addWorkingDays('2032-05-28', 1, await t.services.bankHolidays.calendar())).toBe('2032-06-01');
    const bad = await admin.browser.post('/admin/bank-holidays/2032-06-01/remove', {});
    expect(bad.statusCode).toBe(404);
    const dup = await admin.browser.post('/admin/bank-holidays', { date: '2032-05-31', title: 'Again' });
    expect(dup.body).toContain('already a bank holiday');
    expect((await admin.browser.post('/admin/bank-holidays/2032-05-31/remove', {})).statusCode).toBe(303);
    expect(
      (await admin.browser.post('/admin/bank-holidays', { date: '2032-06-04', title: 'Jubilee bank holiday' }))
        .statusCode,
    ).toBe(303);
    const holidays = await t.services.bankHolidays.calendar();
    expect(addWorkingDays('2032-05-28', 1, holidays)).toBe('2032-05-31');
    expect(addWorkingDays('2032-06-03', 1, holidays)).toBe('2032-06-07');
    // Putting the removed day back undoes the removal.
    expect(
      (await admin.browser.post('/admin/bank-holidays', { date: '2032-05-31', title: 'Spring bank holiday' }))
        .statusCode,
    ).toBe(303);
    expect((await t.services.bankHolidays.calendar()).lookup('2032-05-31')).toMatchObject({ source: 'admin' });
    // A published day removed stays removed even though the rules would give it.
    expect((await admin.browser.post('/admin/bank-holidays/2027-05-31/remove', {})).statusCode).toBe(303);
    expect((await t.services.bankHolidays.calendar()).has('2027-05-31')).toBe(false);
    expect(
      (await admin.browser.post('/admin/bank-holidays', { date: '2027-05-31', title: 'Spring bank holiday' }))
        .statusCode,
    ).toBe(303);
    expect((await t.services.bankHolidays.calendar()).has('2027-05-31')).toBe(true);
  });

  it('lets a support administrator add a one-off holiday, which moves a deadline, and remove it; audited', async () => {
    const admin = await signedInStaff(t, { role: 'admin' });
    const page = await admin.browser.get('/admin/bank-holidays');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Boxing Day (substitute day)');
    // Thursday 3 June 2027 + 1 working day is Friday 4 June, until that Friday is a holiday.
    expect(addWorkingDays('2027-06-03', 1, await t.services.bankHolidays.calendar())).toBe('2027-06-04');

    const bad = await admin.browser.post('/admin/bank-holidays', { date: '2027-02-30', title: 'Nope' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('There is a problem');
    expect(bad.body).toContain('value="Nope"');
    const dup = await admin.browser.post('/admin/bank-holidays', { date: '2027-12-27', title: 'Again' });
    expect(dup.statusCode).toBe(400);
    expect(dup.body).toContain('already a bank holiday');

    const added = await admin.browser.post('/admin/bank-holidays', {
      date: '2027-06-04',
      title: 'Jubilee bank holiday',
    });
    expect(added.statusCode).toBe(303);
    expect(added.headers.location).toBe('/admin/bank-holidays?changed=1');
    expect((await admin.browser.get('/admin/bank-holidays?changed=1')).body).toContain('Jubilee bank holiday');
    expect(addWorkingDays('2027-06-03', 1, await t.services.bankHolidays.calendar())).toBe('2027-06-07');

    const removed = await admin.browser.post('/admin/bank-holidays/2027-06-04/remove', {});
    expect(removed.statusCode).toBe(303);
    expect((await t.services.bankHolidays.calendar()).has('2027-06-04')).toBe(false);
    const entries = await t.services.db
      .selectFrom('audit_entries')
      .select(['action', 'actor_id', 'target_id'])
      .where('action', 'like', 'bank-holiday.%')
      .execute();
    expect(entries).toEqual(
      expect.arrayContaining([
        { action: 'bank-holiday.added', actor_id: admin.userId, target_id: '2027-06-04' },
        { action: 'bank-holiday.removed', actor_id: admin.userId, target_id: '2027-06-04' },
      ]),
    );
  });

  it('refuses non-administrators, and police administrators may look but not change', async () => {
    const caseworker = await signedInStaff(t, { role: 'caseworker' });
    expect((await caseworker.browser.get('/admin/bank-holidays')).statusCode).toBe(403);
    await caseworker.browser.get('/staff');
    expect(
      (await caseworker.browser.post('/admin/bank-holidays', { date: '2027-06-11', title: 'Sneaky' })).statusCode,
    ).toBe(403);
    const policeAdmin = await signedInStaff(t, { role: 'admin', orgKind: 'police' });
    const page = await policeAdmin.browser.get('/admin/bank-holidays');
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('Add bank holiday');
    expect(
      (await policeAdmin.browser.post('/admin/bank-holidays', { date: '2027-06-11', title: 'Sneaky' })).statusCode,
    ).toBe(403);
    expect((await t.services.bankHolidays.calendar()).has('2027-06-11')).toBe(false);
  });
});
