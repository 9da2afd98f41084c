import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../../test/support/databases.ts';
import { TestBrowser } from '../../../test/support/httpClient.ts';
import { startTestApp, type TestApp } from '../../../test/support/testApp.ts';

const NUL = 'before\u0000after';
const HIDDEN = /contains a hidden character that cannot be saved/;

/** Each public text field of the report journey, on its step, with the answers that make it count. */
const JOURNEY_FIELDS: [step: string, field: string, alongside: Record<string, string>][] = [
  ...['account', 'timeOfDay', 'area', 'placeDetails', 'contactStarted', 'workingContext'].map(
    (f) => ['what-happened', f, { account: 'He took my bag' }] as [string, string, Record<string, string>],
  ),
  ...[
    'names',
    'phones',
    'perpEmail',
    'handles',
    'vehicleMake',
    'vehicleModel',
    'vehicleColour',
    'vehicleRegistration',
    'appearanceSex',
    'appearanceAgeRange',
    'appearanceHeight',
    'appearanceBuild',
    'appearanceEthnicity',
    'appearanceHair',
    'appearanceAccent',
    'appearanceMarks',
    'appearanceClothing',
    'description',
    'peopleInvolved',
  ].map((f) => ['about-them', f, {}] as [string, string, Record<string, string>]),
  ...[
    'contactName',
    'contactValue',
    'safeTimes',
    'codeWord',
    'contactValue2',
    'safeTimes2',
    'codeWord2',
    'language',
  ].map(
    (f) => ['contact', f, { contactKind: 'text', contactKind2: 'email' }] as [string, string, Record<string, string>],
  ),
  ['safe', 'safeNow', {}],
];

/** Text fields of POST /api/v1/reports, as a body holding NUL at that place. */
const API_BODIES: Record<string, Record<string, unknown>> = {
  'body.account': { account: NUL },
  'body.area': { account: 'x', area: NUL },
  'body.placeDetails': { account: 'x', placeDetails: NUL },
  'body.timeOfDay': { account: 'x', timeOfDay: NUL },
  'body.org': { account: 'x', org: NUL },
  'body.perpetrator.names.0': { account: 'x', perpetrator: { names: [NUL] } },
  'body.perpetrator.vehicle.registration': { account: 'x', perpetrator: { vehicle: { registration: NUL } } },
  'body.perpetrator.appearance.hair': { account: 'x', perpetrator: { appearance: { hair: NUL } } },
  'body.perpetrator.description': { account: 'x', perpetrator: { description: NUL } },
  'body.contact.name': { account: 'x', contact: { name: NUL } },
  'body.contact.methods.0.codeWord': {
    account: 'x',
    contact: { methods: [{ kind: 'text', value: '07700 900456', codeWord: NUL }] },
  },
  'body.contact.language': { account: 'x', contact: { language: NUL } },
};

describe.each(testDatabases)('control characters in public text on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
    await t.services.organisations.create(
      { kind: 'support', name: 'Safe Streets', slug: 'safe-streets' },
      { kind: 'system' },
    );
  });
  afterAll(async () => t.close());

  const reportCount = async () => (await t.services.db.selectFrom('reports').select('id').execute()).length;

  it('refuses them in every field of the report journey, naming the field, and keeps nothing', async () => {
    const browser = new TestBrowser(t.app);
    await browser.get('/report');
    const order = ['safe', 'what-happened', 'about-them', 'injuries', 'choices', 'contact'];
    for (const step of order) {
      await browser.get(`/report/${step}`);
      for (const [, field, alongside] of JOURNEY_FIELDS.filter(([s]) => s === step)) {
        const res = await browser.post(`/report/${step}`, { ...alongside, [field]: NUL });
        expect(res.statusCode, `${step} ${field}`).toBe(400);
        // A number box says it wants a number; every other field names the hidden character.
        expect(res.body, field).toMatch(
          field === 'peopleInvolved' ? /Enter how many people were involved as a number/ : HIDDEN,
        );
        expect(res.body, field).toContain(`href="#${field}"`);
      }
      // Tab and line breaks are ordinary typing.
      const ok = await browser.post(
        `/report/${step}`,
        step === 'what-happened' ? { account: 'He took\r\nmy bag\tand ran' } : {},
      );
      expect(ok.statusCode, step).toBe(303);
    }
    const draft = await t.services.reportDrafts.load(browser.cookie('report'));
    expect(JSON.stringify(draft?.answers)).not.toContain('\\u0000');
    expect(draft?.answers.account).toBe('He took\r\nmy bag\tand ran');
  });

  it('refuses them in every text field of the reporting API with a 400 naming the field', async () => {
    for (const [path, body] of Object.entries(API_BODIES)) {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/reports', payload: body });
      expect(res.statusCode, path).toBe(400);
      expect(res.json().error.message, path).toMatch(new RegExp(`^${path.replace(/\./g, '\\.')}: .*hidden character`));
    }
    // Other control characters too (DEL, escape, a C1 control), but not tab or newline.
    for (const bad of ['a\u007fb', 'a\u001bb', 'a\u0085b']) {
      expect(
        (await t.app.inject({ method: 'POST', url: '/api/v1/reports', payload: { account: bad } })).statusCode,
      ).toBe(400);
    }
    expect(await reportCount()).toBe(0);
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/reports',
          payload: { account: 'line one\nline two\tindented' },
        })
      ).statusCode,
    ).toBe(201);
  });

  it('refuses them in messages and additions, on the page and through the API', async () => {
    const sent = await t.app.inject({
      method: 'POST',
      url: '/api/v1/reports',
      payload: { account: 'He would not pay' },
    });
    const code = sent.json().receiptCode as string;
    const receipt = { authorization: `Receipt ${code}` };
    for (const [url, body] of [
      ['/api/v1/reports/self/messages', { body: NUL }],
      ['/api/v1/reports/self/additions', { text: NUL }],
    ] as const) {
      const res = await t.app.inject({ method: 'POST', url, payload: body, headers: receipt });
      expect(res.statusCode, url).toBe(400);
      expect(res.json().error.message).toMatch(HIDDEN);
    }
    const browser = new TestBrowser(t.app);
    await browser.get('/check');
    expect((await browser.post('/check', { code })).headers.location).toBe('/check/report');
    await browser.get('/check/report');
    const message = await browser.post('/check/messages', { body: NUL });
    expect(message.statusCode).toBe(400);
    expect(message.body).toMatch(HIDDEN);
    const addition = await browser.post('/check/additions', { text: NUL });
    expect(addition.statusCode).toBe(400);
    expect(addition.body).toMatch(HIDDEN);
    const view = await t.app.inject({ url: '/api/v1/reports/self', headers: receipt });
    expect(view.json().messages).toEqual([]);
    expect(await t.services.db.selectFrom('report_additions').selectAll().execute()).toEqual([]);
  });

  it('answers a web address holding one with "not found", not a failure', async () => {
    for (const url of ['/o/safe%00streets/report', '/o/safe%00streets/members/join', '/o/safe%00streets/warnings']) {
      expect((await t.app.inject({ url })).statusCode, url).toBe(404);
    }
  });

  it('refuses them in the members forms and feedback', async () => {
    const browser = new TestBrowser(t.app);
    await browser.get('/o/safe-streets/members/join');
    const join = await browser.post('/o/safe-streets/members/join', { name: NUL });
    expect(join.statusCode).toBe(400);
    expect(join.body).toMatch(HIDDEN);
    await browser.get('/o/safe-streets/members/join');
    const joined = await browser.post('/o/safe-streets/members/join', { name: 'Kaz' });
    const code = /id="member-code"[^>]*>([\d ]{19})</.exec(joined.body)![1]!;
    await browser.get('/members/sign-in');
    await browser.post('/members/sign-in', { code });
    await browser.get('/members/check');
    // The number check reads only phone numbers and plates: anything else is refused as unreadable.
    const check = await browser.post('/members/check', { value: `0770${NUL}900123` });
    expect(check.statusCode).toBe(400);
    expect(check.body).toContain('We could not read that as a phone number or a registration');
    await browser.get('/feedback');
    const feedback = await browser.post('/feedback', { text: NUL });
    expect(feedback.statusCode).toBe(400);
    expect(feedback.body).toMatch(HIDDEN);
    expect(await t.services.db.selectFrom('feedback').selectAll().execute()).toEqual([]);
    // The members API: a member code opens the warnings and the number check.
    const member = { authorization: `Member ${code}` };
    const area = await t.app.inject({ url: '/api/v1/warnings?area=Canal%00Street', headers: member });
    expect(area.statusCode).toBe(400);
    expect(area.json().error.message).toMatch(HIDDEN);
    // The number check reads only phone numbers and plates: anything else is refused as unreadable.
    for (const url of ['/api/v1/warnings/check?phone=0770%00123', '/api/v1/warnings/check?registration=KX%0012']) {
      expect((await t.app.inject({ url, headers: member })).statusCode, url).toBe(400);
    }
  });
});
