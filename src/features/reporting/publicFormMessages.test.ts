import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { testDatabases } from '../../../test/support/databases.ts';
import { TestBrowser } from '../../../test/support/httpClient.ts';
import { startTestApp, type TestApp } from '../../../test/support/testApp.ts';

/** Words from the validation library, never meant for a person. */
const RAW = /invalid input|expected|NaN|too small|too big|invalid option|\bundefined\b|\bnull\b/i;
/** Form field keys (camelCase or numbered) and API paths: a person reads questions, not keys. */
const KEY = /\b[a-z]+[A-Z]\w*\b|\b[a-z]+\d\b|\b(body|perpetrator|contact|consents)\.\w/;

/** The messages a page shows: the error summary and each field's message. */
function messagesIn(html: string): string[] {
  const summary = [...html.matchAll(/<ul class="govuk-list govuk-error-summary__list">([\s\S]*?)<\/ul>/g)].flatMap(
    (m) => [...m[1]!.matchAll(/<a [^>]*>([\s\S]*?)<\/a>/g)].map((a) => a[1]!.trim()),
  );
  const fields = [
    ...html.matchAll(
      /<p id="[^"]*" class="govuk-error-message">\s*<span class="govuk-visually-hidden">Error:<\/span>([\s\S]*?)<\/p>/g,
    ),
  ].map((m) => m[1]!.trim());
  return [...summary, ...fields];
}

function expectPlain(res: LightMyRequestResponse, label: string) {
  expect(res.statusCode, `${label}: ${res.body.slice(0, 200)}`).toBe(400);
  const messages = messagesIn(res.body);
  expect(messages.length, label).toBeGreaterThan(0);
  for (const message of messages) {
    expect(message, label).not.toMatch(RAW);
    expect(message, label).not.toMatch(KEY);
  }
  return messages.join(' | ');
}

const long = (n: number) => 'x'.repeat(n);

/** Bad answers for each step of the report journey: empty, wrong type, too long, out of range. */
const JOURNEY: [step: string, fields: Record<string, string | string[]>, says: string][] = [
  ['what-happened', {}, 'Tell us what happened'],
  ['what-happened', { account: long(20_001) }, 'What happened must be 20,000 characters or fewer'],
  ['what-happened', { account: 'x', whenDay: 'x', whenMonth: 'y', whenYear: 'z' }, 'Enter the month and year'],
  ['what-happened', { account: 'x', whenMonth: '13', whenYear: '2025' }, 'Enter the month and year'],
  ['what-happened', { account: 'x', whenDay: '30', whenMonth: '2', whenYear: '2025' }, 'Enter a real day of the month'],
  ['what-happened', { account: 'x', whenMonth: '1', whenYear: '0000' }, 'Enter the year with four numbers'],
  ['what-happened', { account: 'x', whenMonth: '1', whenYear: '1900' }, 'The date must be in 1950 or later'],
  [
    'what-happened',
    { account: 'x', whenDay: '1', whenMonth: '1', whenYear: '2099' },
    'The date must be today or in the past',
  ],
  ['what-happened', { account: 'x', incidentTypes: ['kidnapped-by-aliens'] }, 'Choose what they did from the list'],
  ['what-happened', { account: 'x', timeOfDay: long(41) }, 'Time of day must be 40 characters or fewer'],
  ['what-happened', { account: 'x', area: long(121) }, 'The area must be 120 characters or fewer'],
  [
    'what-happened',
    { account: 'x', placeDetails: long(1001), contactStarted: long(61), workingContext: long(61) },
    'Where it happened must be 1,000 characters or fewer',
  ],
  ['about-them', { peopleInvolved: 'lots' }, 'Enter how many people were involved as a number'],
  ['about-them', { peopleInvolved: '0' }, 'Enter 1 or more people'],
  ['about-them', { peopleInvolved: '51' }, 'Enter 50 or fewer people'],
  ['about-them', { peopleInvolved: '1.5' }, 'as a whole number'],
  ['about-them', { names: Array.from({ length: 11 }, (_, i) => `name ${i}`).join('\n') }, 'Give no more than 10 names'],
  ['about-them', { phones: long(201) }, 'A phone number must be 200 characters or fewer'],
  [
    'about-them',
    { vehicleRegistration: long(21), vehicleMake: long(61) },
    'Registration must be 20 characters or fewer',
  ],
  [
    'about-them',
    { appearanceClothing: long(201), description: long(4001) },
    'Clothing must be 200 characters or fewer',
  ],
  ['choices', { consents: ['policeContact'] }, 'The police can only contact you if you want the report passed to them'],
  ['contact', { contactKind: 'carrier-pigeon' }, 'Choose how we can reach you'],
  ['contact', { contactName: long(101) }, 'The name must be 100 characters or fewer'],
  [
    'contact',
    { contactKind: 'text', codeWord: long(61), safeTimes: long(201), contactValue: long(201) },
    'The code word must be 60 characters or fewer',
  ],
  ['contact', { contactKind2: 'smoke-signals', language: long(61) }, 'Choose how we can reach you'],
];

describe.each(testDatabases)('plain messages on every public form on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
    await t.services.organisations.create(
      { kind: 'support', name: 'Safe Streets', slug: 'safe-streets' },
      { kind: 'system' },
    );
  });
  afterAll(async () => t.close());

  it('the report journey says what is wrong with each answer in plain English', async () => {
    const browser = new TestBrowser(t.app);
    await browser.get('/report');
    for (const step of ['safe', 'what-happened', 'about-them', 'injuries', 'choices', 'contact']) {
      await browser.get(`/report/${step}`);
      for (const [, fields, says] of JOURNEY.filter(([s]) => s === step)) {
        const res = await browser.post(`/report/${step}`, fields);
        expect(expectPlain(res, `${step} ${JSON.stringify(fields).slice(0, 80)}`)).toContain(says);
      }
      expect(
        (await browser.post(`/report/${step}`, step === 'what-happened' ? { account: 'He took my bag' } : {}))
          .statusCode,
      ).toBe(303);
    }
  });

  it('"Check your report" says what is wrong in plain English', async () => {
    const browser = new TestBrowser(t.app);
    await browser.get('/check');
    for (const code of ['', 'abc', '1234']) expectPlain(await browser.post('/check', { code }), `code ${code}`);
    const code = (
      await t.app.inject({ method: 'POST', url: '/api/v1/reports', payload: { account: 'He would not pay' } })
    ).json().receiptCode as string;
    await browser.get('/check');
    await browser.post('/check', { code });
    await browser.get('/check/report');
    expect(expectPlain(await browser.post('/check/messages', {}), 'no message')).toContain('Write a message');
    expect(expectPlain(await browser.post('/check/messages', { body: long(5001) }), 'long message')).toContain(
      'A message must be 5,000 characters or fewer',
    );
    expect(expectPlain(await browser.post('/check/additions', { text: '  ' }), 'no addition')).toContain(
      'Write what you want to add',
    );
    expect(expectPlain(await browser.post('/check/additions', { text: long(20_001) }), 'long addition')).toContain(
      'What you add must be 20,000 characters or fewer',
    );
    expect(
      expectPlain(await browser.post('/check/consents', { scope: 'everything', given: 'maybe' }), 'bad choice'),
    ).toContain('Choose a change to make');
  });

  it('the members forms and feedback say what is wrong in plain English', async () => {
    const browser = new TestBrowser(t.app);
    await browser.get('/o/safe-streets/members/join');
    expect(expectPlain(await browser.post('/o/safe-streets/members/join', { name: '' }), 'no name')).toContain(
      'Enter a name we can call you',
    );
    expect(expectPlain(await browser.post('/o/safe-streets/members/join', { name: long(61) }), 'long name')).toContain(
      'A name must be 60 characters or fewer',
    );
    await browser.get('/members/sign-in');
    for (const code of ['', 'not a code'])
      expectPlain(await browser.post('/members/sign-in', { code }), `member code ${code}`);
    await browser.get('/o/safe-streets/members/join');
    const joined = await browser.post('/o/safe-streets/members/join', { name: 'Kaz' });
    await browser.get('/members/sign-in');
    await browser.post('/members/sign-in', { code: /id="member-code"[^>]*>([\d ]{19})</.exec(joined.body)![1]! });
    await browser.get('/members/check');
    expect(expectPlain(await browser.post('/members/check', { value: '' }), 'no value')).toContain(
      'Enter a phone number or a vehicle registration',
    );
    expect(expectPlain(await browser.post('/members/check', { value: long(41) }), 'long value')).toContain(
      '40 characters or fewer',
    );
    expect(expectPlain(await browser.post('/members/check', { value: 'hello there' }), 'unreadable')).toContain(
      'We could not read that as a phone number or a registration',
    );
    await browser.get('/feedback');
    expect(expectPlain(await browser.post('/feedback', { text: '' }), 'no feedback')).toContain(
      'Tell us what would make this service better',
    );
    expect(expectPlain(await browser.post('/feedback', { text: long(2001) }), 'long feedback')).toContain(
      'What you tell us must be 2,000 characters or fewer',
    );
    expect(
      expectPlain(await browser.post('/feedback', { text: 'ok', satisfaction: 'ecstatic' }), 'bad satisfaction'),
    ).toContain('Choose how you feel about the service, or leave it blank');
  });
});
