import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../../test/support/databases.ts';
import { TestBrowser } from '../../../test/support/httpClient.ts';
import { startTestApp, type TestApp } from '../../../test/support/testApp.ts';

const ORDER = ['safe', 'what-happened', 'about-them', 'injuries', 'choices', 'contact'] as const;

/** Every question answered, so "Check your answers" has something to show for each. */
const EVERYTHING: Record<(typeof ORDER)[number], Record<string, string | string[]>> = {
  safe: { safeNow: 'yes' },
  'what-happened': {
    incidentTypes: ['physical-assault', 'robbery-or-theft'],
    account: 'He took my bag',
    whenMonth: '11',
    whenYear: '2025',
    timeOfDay: 'evening',
    area: 'Canal Street',
    placeDetails: 'Behind the arches',
    contactStarted: 'online-advert',
    workingContext: 'indoor',
  },
  'about-them': {
    names: 'Dave\nD',
    phones: '07700 900123\n07700 900124',
    perpEmail: 'dave@example.com',
    handles: 'bigdave88',
    vehicleMake: 'Ford',
    vehicleModel: 'Focus',
    vehicleColour: 'Blue',
    vehicleRegistration: 'KX?? ?BC',
    appearanceSex: 'Man',
    appearanceAgeRange: '40 to 50',
    appearanceMarks: 'Scar on left hand',
    description: 'Smelled of smoke',
    peopleInvolved: '2',
  },
  injuries: { injured: 'yes', wantsMedicalHelp: 'no' },
  choices: { consents: ['support', 'warnOthers'] },
  contact: {
    contactName: 'Ruby',
    contactKind: 'text',
    contactValue: '07700 900456',
    safeToLeaveMessage: 'no',
    safeTimes: 'After 6pm',
    codeWord: 'bluebird',
    contactKind2: 'outreach-worker',
    contactValue2: 'Tuesday van at the arches',
    language: 'Polish',
    interpreterNeeded: 'yes',
  },
};

/** The "Check your answers" rows as { key: value } (value with its lines joined by " | "). */
function rowsOf(html: string): Record<string, string> {
  const rows: Record<string, string> = {};
  for (const row of html.matchAll(
    /<dt class="govuk-summary-list__key">\s*([\s\S]*?)\s*<\/dt>\s*<dd class="govuk-summary-list__value[^"]*">\s*([\s\S]*?)\s*<\/dd>/g,
  )) {
    rows[row[1]!.trim()] = row[2]!.trim().split(/\n\s*/).join(' | ').replace(/&#39;/g, "'");
  }
  return rows;
}

describe.each(testDatabases)('check your answers on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
    await t.services.organisations.create(
      { kind: 'support', name: 'Safe Streets', slug: 'safe-streets' },
      { kind: 'system' },
    );
  });
  afterAll(async () => t.close());

  async function toCheck(answers: Partial<typeof EVERYTHING> = EVERYTHING) {
    const browser = new TestBrowser(t.app);
    await browser.get('/report');
    for (const slug of ORDER) {
      await browser.get(`/report/${slug}`);
      const res = await browser.post(`/report/${slug}`, answers[slug] ?? {});
      expect(res.statusCode, `${slug}: ${res.body.slice(0, 300)}`).toBe(303);
    }
    return { browser, check: await browser.get('/report/check') };
  }

  it('shows every answer in words, each with a Change link', async () => {
    const { check } = await toCheck();
    const rows = rowsOf(check.body);
    expect(rows).toMatchObject({
      'Are you safe now?': 'Yes',
      'What they did': 'Physical assault | Robbery or theft',
      'When it happened': 'November 2025',
      'Time of day': 'Evening',
      'Where it happened': 'Canal Street',
      'More about the place': 'Behind the arches',
      'How contact started': 'Online advert or website',
      'Where you were working': 'Indoors',
      'Names or nicknames they used': 'Dave | D',
      'Their phone numbers': '07700 900123 | 07700 900124',
      'Their email address': 'dave@example.com',
      'Usernames or advert sites they used': 'bigdave88',
      'Their vehicle': 'Blue Ford Focus',
      'Vehicle registration': 'KX?? ?BC',
      'What they looked like': 'Sex: Man | Age: 40 to 50 | Tattoos, scars or other marks: Scar on left hand',
      'Anything else about them': 'Smelled of smoke',
      'How many people were involved': '2',
      'Were you hurt?': 'Yes',
      'Help to see a doctor or nurse': 'No',
      'Your choices': 'Support from the charity | Warn others about this person',
      'What we call you': 'Ruby',
      'How to reach you': 'Text message: 07700 900456',
      'Safe to leave a message': 'No',
      'When it is safe to contact you': 'After 6pm',
      'Code word': 'bluebird',
      'Another way to reach you': 'Through an outreach worker: Tuesday van at the arches',
      'Language you prefer': 'Polish',
      'Do you need an interpreter?': 'Yes',
    });
    // No month as digits, and a Change link on every row, into the page in change mode.
    expect(check.body).not.toContain('2025-11');
    expect(check.body).not.toContain('data-liaison-native');
    const rowCount = check.body.match(/class="govuk-summary-list__row"/g)?.length ?? 0;
    const changeLinks = [
      ...check.body.matchAll(/<a class="govuk-link" href="(\/report\/[a-z-]+\?change=1#\w+)">\s*Change/g),
    ];
    expect(rowCount).toBe(Object.keys(rows).length);
    expect(changeLinks).toHaveLength(rowCount);
  });

  it('says what was not given, and shows a day in words', async () => {
    const { check } = await toCheck({
      'what-happened': { account: 'He would not pay', whenDay: '3', whenMonth: '2', whenYear: '2025' },
    });
    const rows = rowsOf(check.body);
    expect(rows).toMatchObject({
      'When it happened': '3 February 2025',
      'Time of day': 'Not given',
      'Were you hurt?': 'Not answered',
      'Your choices': 'None',
      'How to reach you': 'Only through this website, with your receipt code',
    });
  });

  it('after a change, Continue goes back to "Check your answers", not through the later steps', async () => {
    const { browser } = await toCheck();
    const page = await browser.get('/report/what-happened?change=1');
    expect(page.body).toContain('action="/report/what-happened?change=1"');
    expect(page.body).toContain('href="/report/check" class="govuk-back-link"');
    const changed = await browser.post('/report/what-happened?change=1', {
      ...EVERYTHING['what-happened'],
      timeOfDay: 'night',
    });
    expect(changed.headers.location).toBe('/report/check');
    expect(rowsOf((await browser.follow(changed)).body)).toMatchObject({
      'Time of day': 'Night',
      'Names or nicknames they used': 'Dave | D',
    });
    // A problem keeps the person on the page, still in change mode.
    const bad = await browser.post('/report/about-them?change=1', { peopleInvolved: 'lots' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('action="/report/about-them?change=1"');
  });

  it('after a change that needs a later answer, goes to that step, then back to "Check your answers"', async () => {
    const { browser } = await toCheck({ ...EVERYTHING, choices: {}, contact: {} });
    await browser.get('/report/choices?change=1');
    // Asking for support with no way to reach the person: the contact page comes next.
    const chose = await browser.post('/report/choices?change=1', { consents: ['support'] });
    expect(chose.headers.location).toBe('/report/contact?change=1');
    await browser.follow(chose);
    const reached = await browser.post('/report/contact?change=1', {
      contactKind: 'phone-call',
      contactValue: '07700 900777',
    });
    expect(reached.headers.location).toBe('/report/check');
    // A choice that needs nobody to reach out goes straight back.
    await browser.get('/report/choices?change=1');
    expect(
      (await browser.post('/report/choices?change=1', { consents: ['support', 'warnOthers'] })).headers.location,
    ).toBe('/report/check');
  });

  it('a change to "are you safe" shows the help, then returns to "Check your answers"', async () => {
    const { browser } = await toCheck();
    await browser.get('/report/safe?change=1');
    const no = await browser.post('/report/safe?change=1', { safeNow: 'no' });
    expect(no.headers.location).toBe('/report/safe?help=1&change=1');
    const help = await browser.follow(no);
    expect(help.body).toContain('Call 999 now');
    expect(help.body).toContain('href="/report/check">Carry on');
    const onward = await browser.post('/report/safe?help=1&change=1', { safeNow: 'no' });
    expect(onward.headers.location).toBe('/report/check');
  });

  it('links a problem found at Send to the page that holds the answer, in change mode', async () => {
    const { browser } = await toCheck();
    // An answer that stopped being right after it was given (here, emptied behind the page's back).
    const draft = (await t.services.reportDrafts.load(browser.cookie('report')))!;
    await t.services.reportDrafts.save(draft.idHash, { ...draft.answers, account: '' }, draft.reached);
    const sent = await browser.post('/report/check', {});
    expect(sent.statusCode).toBe(400);
    expect(sent.body).toContain('<a href="/report/what-happened?change=1#account">Tell us what happened</a>');
  });

  it('ignores change mode before the person has reached "Check your answers"', async () => {
    const browser = new TestBrowser(t.app);
    await browser.get('/report');
    await browser.get('/report/safe?change=1');
    const res = await browser.post('/report/safe?change=1', { safeNow: 'yes' });
    expect(res.headers.location).toBe('/report/what-happened');
    expect((await browser.get('/report/check')).headers.location).toBe('/report/what-happened');
  });
});
