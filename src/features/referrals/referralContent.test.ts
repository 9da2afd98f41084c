import { describe, expect, it } from 'vitest';
import { buildContent, intelligenceDraft, mentionsPerson, toCsv, type ReportFacts } from './referralContent.ts';

const facts: ReportFacts = {
  incidentTypes: ['stalking'],
  occurredOn: '2026-05-03',
  area: 'Market Square',
  account: 'He followed me from the bus stop to my flat',
  details: { perpetrator: { names: ['Tall Tony'], phones: [], emails: [], handles: ['@tony'] }, peopleInvolved: 2 },
  contact: {
    name: 'Ann Smith',
    methods: [
      { kind: 'phone-call', value: '07700 900 123' },
      { kind: 'email', value: 'ann@example.org' },
    ],
  },
};

describe('referral content', () => {
  it('drafts intelligence from outline facts and the perpetrator only', () => {
    const draft = intelligenceDraft(facts);
    expect(draft).toBe(
      [
        'What happened: Stalking.',
        'When: May 2026.',
        'Where: Market Square.',
        'People involved: 2.',
        '',
        'The person responsible:',
        'Names used: Tall Tony',
        'Usernames: @tony',
      ].join('\n'),
    );
    expect(mentionsPerson(draft, facts)).toBe(false);
  });

  it('finds the person’s name and contact values, as whole words and numbers however spaced', () => {
    expect(mentionsPerson('ann smith was followed', facts)).toBe(true);
    expect(mentionsPerson('call 07700-900123', facts)).toBe(true);
    expect(mentionsPerson('mail ANN@example.org', facts)).toBe(true);
    expect(mentionsPerson('Annual pattern; Ann Smithers is unrelated', facts)).toBe(false);
    // A value the draft itself holds is not evidence (someone called "May" reporting in May).
    const may = { ...facts, contact: { name: 'May', methods: [] } };
    expect(mentionsPerson('When: May 2026.', may)).toBe(false);
  });

  it('keeps the person out of intelligence content and in a full one', () => {
    const intelligence = buildContent('intelligence', facts, 'Outline');
    expect(intelligence).toEqual({
      summary: 'Outline',
      incidentTypes: ['stalking'],
      area: 'Market Square',
      when: '2026-05',
    });
    const full = buildContent('full', facts, '');
    expect(full.victim).toEqual({
      name: 'Ann Smith',
      language: null,
      interpreterNeeded: false,
      contact: [
        { kind: 'phone-call', value: '07700 900 123', safeToLeaveMessage: false, safeTimes: null },
        { kind: 'email', value: 'ann@example.org', safeToLeaveMessage: false, safeTimes: null },
      ],
    });
    expect(full.account).toBe(facts.account);
  });

  it('writes RFC 4180 CSV that spreadsheets read as text', () => {
    const csv = toCsv([
      {
        id: 'a',
        force: 'north',
        receivedAt: '2026-11-28T10:00:00.000Z',
        incidentTypes: ['stalking', 'other'],
        area: null,
        month: '2026-05',
        summary: '=HYPERLINK("x"),\nline 2',
      },
    ]);
    expect(csv).toBe(
      'id,force,receivedAt,incidentTypes,area,month,summary\r\na,north,2026-11-28T10:00:00.000Z,stalking;other,,2026-05,"\'=HYPERLINK(""x""),\nline 2"\r\n',
    );
  });
});
