import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../../test/support/databases.ts';
import { charityWithForces, consentedReport, policeLiaisonStaff } from '../../../test/support/policeLiaison.ts';
import { startTestApp, type TestApp } from '../../../test/support/testApp.ts';
import { personText, showInvisible } from './personText.ts';

// "Paid £50, he took ‮0005£‬ back" reads, once the override reorders it, as something other than what was stored.
const RLO = '\u202E';
const PDF = '\u202C';
const ZWSP = '\u200B';

describe('person-written text on staff pages', () => {
  it('shows control and invisible formatting characters, escaped, isolated in <bdi dir="auto">', () => {
    expect(String(personText(`He took ${RLO}0005£${PDF} <b>back</b>`))).toBe(
      '<bdi dir="auto">He took ⟨U+202E⟩0005£⟨U+202C⟩ &lt;b&gt;back&lt;/b&gt;</bdi>',
    );
    expect(showInvisible(`Big${ZWSP}Steve\u2066x\u2069\u0007\uFEFF`)).toBe(
      'Big⟨U+200B⟩Steve⟨U+2066⟩x⟨U+2069⟩⟨U+0007⟩⟨U+FEFF⟩',
    );
    // Line breaks and tabs are part of the text; right-to-left letters are not hidden.
    expect(showInvisible('line one\nline\ttwo')).toBe('line one\nline\ttwo');
    expect(String(personText('مرحبا'))).toBe('<bdi dir="auto">مرحبا</bdi>');
    expect(personText('')).toBe('');
    expect(personText(null)).toBe('');
  });
});

describe.each(testDatabases)('bidirectional and invisible text on the case and police pages on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
    await charityWithForces(t, ['northshire', 'southshire']);
  });
  afterAll(async () => t.close());

  it('shows what was stored, not what the characters make it look like', async () => {
    const { liaison, supervisor } = await policeLiaisonStaff(t);
    const account = `He said he paid ${RLO}05£${PDF} and Big${ZWSP}Steve drove off`;
    const { reference, reportId } = await consentedReport(t, 'safe-streets', account);
    const casePage = (await liaison.browser.get(`/staff/reports/${reference}`)).body;
    expect(casePage).toContain(
      '<p class="govuk-body liaison-preserve-lines" id="account"><bdi dir="auto">He said he paid ⟨U+202E⟩05£⟨U+202C⟩ and Big⟨U+200B⟩Steve drove off</bdi></p>',
    );
    expect(casePage).not.toContain(RLO);
    expect(casePage).not.toContain(ZWSP);
    // The person's name and contact details too.
    expect(casePage).toContain('Name: <bdi dir="auto">Ruby</bdi>');

    const org = (await t.services.organisations.findBySlug('safe-streets'))!;
    const id = await t.services.referrals.send({ kind: 'user', id: liaison.userId, orgId: org.id }, reportId, {
      force: 'northshire',
      level: 'full',
      summary: `Call ${RLO}first${PDF}`,
    });
    const policePage = (await supervisor.browser.get(`/police/referrals/${id}`)).body;
    expect(policePage).toContain('id="summary"><bdi dir="auto">Call ⟨U+202E⟩first⟨U+202C⟩</bdi></p>');
    expect(policePage).toContain('<bdi dir="auto">He said he paid ⟨U+202E⟩05£⟨U+202C⟩');
    expect(policePage).not.toContain(RLO);
  });
});
