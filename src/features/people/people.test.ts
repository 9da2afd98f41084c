import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../../test/support/databases.ts';
import { signedInStaff, type SignedInStaff } from '../../../test/support/staff.ts';
import { startTestApp, type TestApp } from '../../../test/support/testApp.ts';
import type { Actor } from '../../platform/actors/actor.ts';

const DAY = 86_400_000;
const ACCOUNT = 'PEOPLE-ACCOUNT he followed me to the arches';

describe.each(testDatabases)('people and resilient contact on %s', (kind) => {
  let t: TestApp;
  let caseworker: SignedInStaff;
  let outreach: SignedInStaff;
  let other: SignedInStaff;
  let actor: Actor;

  beforeAll(async () => {
    t = await startTestApp(kind);
    await t.services.organisations.create(
      { kind: 'support', name: 'Safe Streets', slug: 'safe-streets' },
      { kind: 'system' },
    );
    await t.services.organisations.create(
      { kind: 'support', name: 'Other Project', slug: 'other-project' },
      { kind: 'system' },
    );
    caseworker = await signedInStaff(t, { role: 'caseworker', orgSlug: 'safe-streets' });
    outreach = await signedInStaff(t, { role: 'outreach', orgSlug: 'safe-streets' });
    other = await signedInStaff(t, { role: 'caseworker', orgSlug: 'other-project' });
    actor = { kind: 'user', id: caseworker.userId, orgId: caseworker.orgId };
  }, 120_000);
  afterAll(async () => t.close());

  const report = () =>
    t.services.reports.submit(
      {
        org: 'safe-streets',
        incidentTypes: ['physical-assault'],
        account: ACCOUNT,
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
  const person = (workingName: string) =>
    t.services.people.create(actor, {
      workingName,
      otherNames: [],
      languages: ['Romanian'],
      interpreter: 'yes',
      notes: `Notes about ${workingName}`,
    });
  const phonePoint = (personId: string, value = '07700 900123') =>
    t.services.people.addContactPoint(actor, personId, {
      kind: 'mobile',
      value,
      safeToLeaveMessage: false,
      safeTimes: 'after 6pm',
      codeWord: 'bluebell',
    });

  it('creates a person from the case page, links the report, and shows them there', async () => {
    const { reference, reportId } = await report();
    const casePage = await caseworker.browser.get(`/staff/reports/${reference}`);
    expect(casePage.body).toContain('not linked to a person record yet');
    await caseworker.browser.get(`/staff/people/new?report=${reference}`);
    const bad = await caseworker.browser.post('/staff/people', {
      workingName: '',
      report: reference,
      interpreter: 'unknown',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Enter the name they use with us');
    const created = await caseworker.browser.post('/staff/people', {
      workingName: 'Ruby Star',
      otherNames: 'Rubes, R',
      languages: 'English, Polish',
      interpreter: 'no',
      notes: 'Prefers mornings',
      report: reference,
    });
    expect(created.headers.location).toBe(`/staff/reports/${reference}#person`);
    const after = await caseworker.browser.get(`/staff/reports/${reference}`);
    expect(after.body).toContain('Ruby Star');
    expect(after.body).toMatch(/Last successful contact:[\s\S]*never/);
    const linked = await t.services.db
      .selectFrom('reports')
      .select('person_id')
      .where('id', '=', reportId)
      .executeTakeFirstOrThrow();
    expect(linked.person_id).toBeTruthy();
    // Found by working name through the blind index, case and spacing ignored.
    const found = await caseworker.browser.get('/staff/people?name=ruby%20%20star');
    expect(found.body).toContain(`/staff/people/${linked.person_id}`);
    const notFound = await caseworker.browser.get('/staff/people?name=ruby');
    expect(notFound.body).not.toContain(`/staff/people/${linked.person_id}`);
    // Every sensitive field is encrypted.
    const rows = JSON.stringify(await t.services.db.selectFrom('people').selectAll().execute());
    for (const plain of ['Ruby Star', 'Rubes', 'Polish', 'Prefers mornings']) expect(rows).not.toContain(plain);
  });

  it('links an existing person to another report from the list', async () => {
    const { id } = await person('Linked Lou');
    const { reference } = await report();
    await caseworker.browser.get(`/staff/people?linkTo=${reference}`);
    const res = await caseworker.browser.post(`/staff/people/${id}/reports`, { reference, back: 'report' });
    expect(res.headers.location).toBe(`/staff/reports/${reference}#person`);
    expect((await caseworker.browser.get(`/staff/people/${id}`)).body).toContain(reference);
    const wrong = await caseworker.browser.post(`/staff/people/${id}/reports`, { reference: 'R-2222-2222' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('There is no report with that reference in your organisation');
  });

  it('normalises phone numbers, refuses impossible ones with a form error, and keeps retired points', async () => {
    const { id } = await person('Phone Pat');
    await caseworker.browser.get(`/staff/people/${id}`);
    const bad = await caseworker.browser.post(`/staff/people/${id}/contact-points`, {
      kind: 'mobile',
      value: '12ab',
      safeToLeaveMessage: 'no',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Enter a real phone number');
    expect(bad.body).toContain('value="12ab"');
    expect(
      await t.services.db.selectFrom('contact_points').select('id').where('person_id', '=', id).execute(),
    ).toHaveLength(0);
    const ok = await caseworker.browser.post(`/staff/people/${id}/contact-points`, {
      kind: 'mobile',
      value: '+44 7700 900246',
      safeToLeaveMessage: 'no',
      safeTimes: 'weekdays before 3pm',
      codeWord: 'marigold',
    });
    expect(ok.headers.location).toBe(`/staff/people/${id}#contact-points`);
    const [row] = await t.services.db.selectFrom('contact_points').selectAll().where('person_id', '=', id).execute();
    expect(await t.services.cipher.decrypt(row!.value_enc, 'contact_points.value')).toBe('+447700900246');
    expect(JSON.stringify(row)).not.toMatch(/7700|marigold|weekdays/);
    const email = await caseworker.browser.post(`/staff/people/${id}/contact-points`, {
      kind: 'outreach',
      value: 'the van on Hope Street on Tuesdays',
      safeToLeaveMessage: 'yes',
    });
    expect(email.statusCode).toBe(303);

    // The call view shows the rules first, then the value; the view is audited.
    const call = await caseworker.browser.get(`/staff/people/${id}/contact-points/${row!.id}`);
    expect(call.body).toMatch(/Do not leave a message[\s\S]*weekdays before 3pm[\s\S]*marigold[\s\S]*07700 900246/);
    const viewed = await t.services.db
      .selectFrom('audit_entries')
      .select(['action', 'detail'])
      .where('target_id', '=', id)
      .execute();
    expect(viewed.map((a) => a.action)).toEqual(
      expect.arrayContaining(['person.viewed', 'contact-point.viewed', 'contact-point.added']),
    );
    // The person page never shows the value itself.
    {
      const body = (await caseworker.browser.get(`/staff/people/${id}`)).body;
      const at = body.indexOf('900246');
      expect(at, body.slice(at - 300, at + 100)).toBe(-1);
    }

    const noReason = await caseworker.browser.post(`/staff/people/${id}/contact-points/${row!.id}/retire`, {});
    expect(noReason.statusCode).toBe(400);
    expect(noReason.body).toContain('Choose why it no longer works');
    const retired = await caseworker.browser.post(`/staff/people/${id}/contact-points/${row!.id}/retire`, {
      reason: 'not-in-service',
    });
    expect(retired.statusCode).toBe(303);
    const page = await caseworker.browser.get(`/staff/people/${id}`);
    expect(page.body).toMatch(/id="retired-points"[\s\S]*Mobile ending 246[\s\S]*Not in service/);
    expect(page.body).toMatch(/id="history"[\s\S]*Mobile retired: Not in service/);
    expect(
      await t.services.db.selectFrom('contact_points').select('id').where('person_id', '=', id).execute(),
    ).toHaveLength(2);
  });

  it('merges two records keeping every report, contact point, attempt and the merged record itself', async () => {
    const survivor = await person('Merge Mia');
    const merged = await person('Mia M');
    const r1 = await report();
    const r2 = await report();
    await t.services.people.linkReport(actor, survivor.id, r1.reference);
    await t.services.people.linkReport(actor, merged.id, r2.reference);
    const { id: cp } = await phonePoint(merged.id, '07700 900777');
    await t.services.people.retireContactPoint(actor, merged.id, cp, 'number-changed');
    await phonePoint(merged.id, '07700 900778');
    await t.services.people.recordAttempt(actor, merged.id, {
      contactPointId: undefined,
      channel: 'in-person',
      outcome: 'reached',
      note: undefined,
    });
    await t.services.reachMe.add(actor, merged.id, {
      recognise: undefined,
      whereSeen: 'Canal path',
      message: 'Ring Kerina',
    });

    await caseworker.browser.get(`/staff/people/${survivor.id}/merge`);
    const unconfirmed = await caseworker.browser.post(`/staff/people/${survivor.id}/merge`, { other: merged.id });
    expect(unconfirmed.statusCode).toBe(400);
    const res = await caseworker.browser.post(`/staff/people/${survivor.id}/merge`, {
      other: merged.id,
      confirm: 'yes',
    });
    expect(res.headers.location).toBe(`/staff/people/${survivor.id}#history`);

    const view = await t.services.people.view(actor, survivor.id);
    expect(view?.reports.map((r) => r.reference).sort()).toEqual([r1.reference, r2.reference].sort());
    expect(view?.contactPoints).toHaveLength(2);
    expect(view?.contactPoints.filter((p) => p.retiredAt)).toHaveLength(1);
    expect(view?.attempts).toHaveLength(1);
    expect(view?.otherNames).toContain('Mia M');
    expect(view?.notes).toContain('Notes about Mia M');
    expect(view?.history.at(-1)?.text).toContain('merged into this one');
    expect(await t.services.reachMe.forPerson(actor.orgId, survivor.id)).toHaveLength(1);
    // The merged record is kept, pointing at the survivor, and no longer listed.
    const kept = await t.services.people.view(actor, merged.id);
    expect(kept?.mergedInto).toBe(survivor.id);
    expect(kept?.history.at(-1)?.text).toContain('Merged into another record');
    expect((await caseworker.browser.get(`/staff/people/${merged.id}`)).body).toContain(
      'This record was merged into another',
    );
    expect((await t.services.people.list(actor.orgId, { name: 'Mia M' })).items).toHaveLength(0);
    const audit = await t.services.db
      .selectFrom('audit_entries')
      .select(['action', 'detail'])
      .where('action', '=', 'person.merged')
      .where('target_id', '=', survivor.id)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(audit.detail)).toMatchObject({
      merged: merged.id,
      reports: 1,
      contactPoints: 2,
      attempts: 1,
      reachMe: 1,
    });
    // Merging again is refused.
    const again = await caseworker.browser.post(`/staff/people/${survivor.id}/merge`, {
      other: merged.id,
      confirm: 'yes',
    });
    expect(again.statusCode).toBe(400);
  });

  it('gives outreach the reach-me list with nothing else, and records a new number as unconfirmed', async () => {
    const { id } = await person('Reach Rosa');
    const { reference } = await report();
    await t.services.people.linkReport(actor, id, reference);
    await phonePoint(id, '07700 900555');
    await caseworker.browser.get(`/staff/people/${id}`);
    const bad = await caseworker.browser.post(`/staff/people/${id}/reach-me`, { whereSeen: '', message: '' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Write the message to pass on');
    await caseworker.browser.post(`/staff/people/${id}/reach-me`, {
      recognise: 'Red coat, walks a small dog',
      whereSeen: 'Hope Street after 10pm',
      message: 'Please ring Kerina at the drop-in',
    });
    const entry = (await t.services.reachMe.forPerson(actor.orgId, id))[0]!;

    const list = await outreach.browser.get('/outreach/reach-me');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('Reach Rosa');
    expect(list.body).toContain('Red coat, walks a small dog');
    expect(list.body).toContain('Please ring Kerina at the drop-in');
    for (const secret of [
      ACCOUNT,
      reference,
      '900555',
      '7700 900',
      'bluebell',
      'after 6pm',
      'Notes about Reach Rosa',
      'Romanian',
    ])
      expect(list.body).not.toContain(secret);

    const wrong = await outreach.browser.post(`/outreach/reach-me/${entry.id}/sightings`, {
      outcome: 'new-number',
      number: 'not a number',
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('Enter a real phone number');
    expect(wrong.body).toContain(`href="#number-${entry.id}"`);
    const given = await outreach.browser.post(`/outreach/reach-me/${entry.id}/sightings`, {
      outcome: 'new-number',
      number: '07700 900999',
    });
    expect(given.headers.location).toContain(`/outreach/reach-me?done=${entry.id}`);
    expect((await outreach.browser.follow(given)).body).toContain('<bdi dir="auto">Reach Rosa</bdi>: New number given');
    await outreach.browser.post(`/outreach/reach-me/${entry.id}/sightings`, { outcome: 'not-seen' });

    const page = await caseworker.browser.get(`/staff/people/${id}`);
    expect(page.body).toContain('Given via outreach, not yet confirmed');
    expect(page.body).toContain('Seen by outreach, new number given');
    expect(page.body).toContain('Not seen by outreach');
    expect(page.body).toContain('0 days since contact');
    const view = await t.services.people.view(actor, id);
    const fresh = view!.contactPoints.find((p) => p.unconfirmed)!;
    expect(fresh.source).toBe('outreach');
    await caseworker.browser.post(`/staff/people/${id}/contact-points/${fresh.id}/confirm`, {}, page.body);
    expect((await t.services.people.view(actor, id))!.contactPoints.find((p) => p.id === fresh.id)?.unconfirmed).toBe(
      false,
    );

    // Closing the entry takes it off the outreach list.
    await caseworker.browser.post(`/staff/people/${id}/reach-me/${entry.id}/close`, {}, page.body);
    expect((await outreach.browser.get('/outreach/reach-me')).body).not.toContain('Reach Rosa');
    const closedPost = await outreach.browser.post(`/outreach/reach-me/${entry.id}/sightings`, { outcome: 'seen' });
    expect(closedPost.statusCode).toBe(404);
  });

  it('answers 404 to outreach on person pages and to another organisation everywhere', async () => {
    const { id } = await person('Hidden Hana');
    const { id: cp } = await phonePoint(id);
    for (const url of [
      `/staff/people/${id}`,
      `/staff/people/${id}/contact-points/${cp}`,
      `/staff/people/${id}/merge`,
      '/staff/people',
    ]) {
      const res = await outreach.browser.get(url);
      expect(res.statusCode, url).toBe(404);
      expect(res.body).not.toContain('Hidden Hana');
    }
    for (const url of [
      `/staff/people/${id}`,
      `/staff/people/${id}/contact-points/${cp}`,
      `/staff/people/${id}/merge`,
    ]) {
      const res = await other.browser.get(url);
      expect(res.statusCode, url).toBe(404);
      expect(res.body).not.toContain('Hidden Hana');
    }
    expect((await other.browser.get('/staff/people')).body).not.toContain('Hidden Hana');
    await other.browser.get('/staff/people');
    const post = await other.browser.post(`/staff/people/${id}/contact-points`, {
      kind: 'email',
      value: 'x@example.org',
      safeToLeaveMessage: 'yes',
    });
    expect(post.statusCode).toBe(404);
    expect(
      await t.services.db.selectFrom('contact_points').select('id').where('person_id', '=', id).execute(),
    ).toHaveLength(1);
  });

  it('does the same through the API, with outreach tokens seeing only the reach-me fields', async () => {
    const token = (
      await t.services.apiTokens.create({ orgSlug: 'safe-streets', role: 'caseworker', name: 'cw' }, { kind: 'system' })
    ).token;
    const outreachToken = (
      await t.services.apiTokens.create({ orgSlug: 'safe-streets', role: 'outreach', name: 'out' }, { kind: 'system' })
    ).token;
    const otherToken = (
      await t.services.apiTokens.create(
        { orgSlug: 'other-project', role: 'caseworker', name: 'other' },
        { kind: 'system' },
      )
    ).token;
    const call = (bearer: string, method: 'GET' | 'POST', url: string, body?: unknown) =>
      t.app.inject({
        method,
        url,
        headers: { authorization: `Bearer ${bearer}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        ...(body ? { payload: JSON.stringify(body) } : {}),
      });

    const { reference } = await report();
    const created = await call(token, 'POST', '/api/v1/people', {
      workingName: 'Api Ada',
      otherNames: ['Ada L'],
      languages: [],
      interpreter: 'no',
      notes: '',
      report: reference,
    });
    expect(created.statusCode).toBe(201);
    const { id } = created.json() as { id: string };
    expect((await call(token, 'GET', '/api/v1/people?name=api%20ada')).json().people).toEqual([
      expect.objectContaining({ id, workingName: 'Api Ada', daysSinceContact: null }),
    ]);
    const badPhone = await call(token, 'POST', `/api/v1/people/${id}/contact-points`, {
      kind: 'whatsapp',
      value: '123',
      safeToLeaveMessage: true,
    });
    expect(badPhone.statusCode).toBe(400);
    expect(badPhone.json().error.message).toContain('body.value');
    const cp = await call(token, 'POST', `/api/v1/people/${id}/contact-points`, {
      kind: 'whatsapp',
      value: '447700900321',
      safeToLeaveMessage: true,
      codeWord: 'tulip',
    });
    expect(cp.statusCode).toBe(201);
    const cpId = cp.json().id as string;
    expect(
      (
        await call(token, 'POST', `/api/v1/people/${id}/contact-attempts`, {
          contactPointId: cpId,
          channel: 'whatsapp',
          outcome: 'reached',
        })
      ).statusCode,
    ).toBe(201);
    expect(
      (
        await call(token, 'POST', `/api/v1/people/${id}/contact-points/${cpId}/retire`, { reason: 'unsafe-now' })
      ).json(),
    ).toEqual({ retired: true });
    const one = (await call(token, 'GET', `/api/v1/people/${id}`)).json();
    expect(one).toMatchObject({
      workingName: 'Api Ada',
      reports: [{ reference }],
      daysSinceContact: 0,
      contactPoints: [{ id: cpId, kind: 'whatsapp', retiredReason: 'unsafe-now', codeWord: 'tulip' }],
      attempts: [{ outcome: 'reached' }],
    });
    expect(JSON.stringify(one)).not.toContain('7700900321');

    await t.services.reachMe.add(actor, id, {
      recognise: 'Green scarf',
      whereSeen: 'Bus station',
      message: 'Call the drop-in',
    });
    const reach = await call(outreachToken, 'GET', '/api/v1/reach-me');
    expect(reach.statusCode).toBe(200);
    const entry = (reach.json().entries as Record<string, unknown>[]).find((e) => e.workingName === 'Api Ada')!;
    expect(Object.keys(entry).sort()).toEqual(['id', 'message', 'recognise', 'whereSeen', 'workingName']);
    const sighting = await call(outreachToken, 'POST', `/api/v1/reach-me/${entry.id}/sightings`, {
      outcome: 'new-number',
      number: '07700 900432',
    });
    expect(sighting.json()).toMatchObject({ contactPointCreated: true });

    // Outreach tokens read no person; another organisation's token finds nothing.
    expect((await call(outreachToken, 'GET', `/api/v1/people/${id}`)).statusCode).toBe(404);
    expect((await call(otherToken, 'GET', `/api/v1/people/${id}`)).statusCode).toBe(404);
    expect(
      (await call(otherToken, 'POST', `/api/v1/people/${id}/contact-attempts`, { channel: 'call', outcome: 'reached' }))
        .statusCode,
    ).toBe(404);
    expect(
      (await call(otherToken, 'POST', `/api/v1/reach-me/${entry.id}/sightings`, { outcome: 'seen' })).statusCode,
    ).toBe(404);
    expect((await call(otherToken, 'GET', '/api/v1/people')).json().people).toEqual([]);
    const doc = (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json() as {
      paths: Record<string, unknown>;
    };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/v1/people', '/api/v1/people/{id}/contact-points', '/api/v1/reach-me']),
    );
  });
  // Last: it moves the clock three days on, past every session made above.
  it('counts days since the last successful contact by the clock, for one person and in a batch', async () => {
    const a = await person('Clock Cara');
    const linked = await report();
    await t.services.people.linkReport(actor, a.id, linked.reference);
    const b = await person('Never Nell');
    const { id: cp } = await phonePoint(a.id);
    await t.services.people.recordAttempt(actor, a.id, {
      contactPointId: cp,
      channel: 'call',
      outcome: 'reached',
      note: undefined,
    });
    t.clock.advance(3 * DAY + 60_000);
    await t.services.people.recordAttempt(actor, a.id, {
      contactPointId: cp,
      channel: 'call',
      outcome: 'no-answer',
      note: 'rang twice',
    });
    const last = await t.services.people.lastContact([a.id, b.id]);
    expect(last.get(a.id)?.daysSinceContact).toBe(3);
    expect(last.get(b.id)).toEqual({ lastSuccessfulAt: null, daysSinceContact: null });
    // Sessions do not survive three days idle: sign in again.
    const fresh = await signedInStaff(t, { role: 'caseworker', orgSlug: 'safe-streets' });
    const page = await fresh.browser.get(`/staff/people/${a.id}`);
    expect(page.body).toContain('3 days since contact');
    expect((await fresh.browser.get(`/staff/reports/${linked.reference}`)).body).toMatch(
      /id="last-contact"[\s\S]*3 days since contact/,
    );
    // And in the inbox, beside the report.
    const inbox = await fresh.browser.get(`/staff/reports?reference=${linked.reference}`);
    expect(inbox.body).toMatch(new RegExp(`${linked.reference}[\\s\\S]*3 days since contact`));
    expect(page.body).toContain('No answer');
    // Recording through the page.
    const res = await fresh.browser.post(`/staff/people/${a.id}/contact-attempts`, {
      contactPointId: cp,
      channel: 'call',
      outcome: 'reached',
      note: '',
    });
    expect(res.statusCode).toBe(303);
    expect((await t.services.people.lastContact([a.id])).get(a.id)?.daysSinceContact).toBe(0);
    const bad = await fresh.browser.post(`/staff/people/${a.id}/contact-attempts`, {
      channel: 'call',
      outcome: 'exploded',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Choose what happened');
  });
});
