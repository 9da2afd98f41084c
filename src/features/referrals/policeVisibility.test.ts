import { describe, expect, it } from 'vitest';
import type { ConsentState } from '../consent/index.ts';
import { intelligenceRecordOf, liveConsent, mayOpen, officerFilter, shownContent } from './policeVisibility.ts';
import type { ReferralContent } from './referralContent.ts';

const NONE: ConsentState = {
  support: false,
  warnOthers: false,
  policeIntelligence: false,
  policeReport: false,
  policeContact: false,
};

describe('which referrals a police viewer may open', () => {
  it('gives supervisors all of their force’s, officers only the cases they hold, everyone else none', () => {
    expect(officerFilter({ role: 'supervisor', kind: 'user', id: 'sup' })).toBeUndefined();
    expect(officerFilter({ role: 'supervisor', kind: 'api', id: 'token' })).toBeUndefined();
    expect(officerFilter({ role: 'officer', kind: 'user', id: 'officer-1' })).toBe('officer-1');
    // An officer token belongs to no one officer, so it holds no case.
    expect(officerFilter({ role: 'officer', kind: 'api', id: 'token' })).toBeNull();
    for (const role of ['admin', 'analyst', 'caseworker', 'liaison'] as const)
      expect(officerFilter({ role, kind: 'user', id: 'someone' }), role).toBeNull();
  });

  it('opens a referral for all-of-force viewers, for the officer in the case, and for nobody else', () => {
    expect(mayOpen(undefined, null)).toBe(true);
    expect(mayOpen(undefined, 'officer-2')).toBe(true);
    expect(mayOpen('officer-1', 'officer-1')).toBe(true);
    expect(mayOpen('officer-1', 'officer-2')).toBe(false);
    // Not yet accepted: no officer holds it, so no officer may open it.
    expect(mayOpen('officer-1', null)).toBe(false);
    expect(mayOpen('officer-1', undefined)).toBe(false);
    expect(mayOpen(null, undefined)).toBe(false);
    expect(mayOpen(null, null)).toBe(false);
  });
});

describe('consent as it stands now', () => {
  const history = [
    { scope: 'policeReport' as const, decision: 'given', recorded_at: '2026-03-01T10:00:00.000Z' },
    { scope: 'policeReport' as const, decision: 'withdrawn', recorded_at: '2026-03-02T10:00:00.000Z' },
    { scope: 'policeIntelligence' as const, decision: 'withdrawn', recorded_at: '2026-03-04T10:00:00.000Z' },
    { scope: 'policeReport' as const, decision: 'given', recorded_at: '2026-03-05T10:00:00.000Z' },
    { scope: 'policeReport' as const, decision: 'withdrawn', recorded_at: '2026-03-06T10:00:00.000Z' },
  ];

  it('reads the consent of the referral’s level: a crime report needs policeReport, intelligence policeIntelligence', () => {
    expect(liveConsent('full', { ...NONE, policeReport: true }, [])).toEqual({
      current: true,
      withdrawnAt: null,
      contact: false,
    });
    expect(liveConsent('full', { ...NONE, policeIntelligence: true }, []).current).toBe(false);
    expect(liveConsent('intelligence', { ...NONE, policeIntelligence: true }, []).current).toBe(true);
    expect(liveConsent('intelligence', { ...NONE, policeReport: true }, []).current).toBe(false);
  });

  it('says when the level’s consent was last withdrawn, and nothing while it is current', () => {
    expect(liveConsent('full', NONE, history).withdrawnAt).toBe('2026-03-06T10:00:00.000Z');
    expect(liveConsent('intelligence', NONE, history).withdrawnAt).toBe('2026-03-04T10:00:00.000Z');
    expect(liveConsent('full', { ...NONE, policeReport: true }, history).withdrawnAt).toBeNull();
    expect(liveConsent('intelligence', NONE, []).withdrawnAt).toBeNull();
  });

  it('carries whether police contact is agreed now', () => {
    expect(liveConsent('full', { ...NONE, policeReport: true, policeContact: true }, []).contact).toBe(true);
    expect(liveConsent('intelligence', { ...NONE, policeIntelligence: true }, []).contact).toBe(false);
  });
});

describe('what the force reads of a referral', () => {
  const victim = {
    name: 'Alex',
    language: 'Polish',
    interpreterNeeded: true,
    contact: [{ kind: 'phone', value: '07700 900123', safeToLeaveMessage: false, safeTimes: 'after 6pm' }],
  };
  const full: ReferralContent = {
    summary: 'Covering note',
    incidentTypes: ['rape'],
    area: 'Station Road',
    when: '2026-03-14',
    account: 'What happened',
    victim,
  };

  it('shows a full referral’s person, and how to reach them only while contact is agreed', () => {
    const { victim: _v, ...rest } = full;
    expect(shownContent('full', full, true)).toEqual({ content: rest, victim });
    expect(shownContent('full', full, false)).toEqual({ content: rest, victim: { ...victim, contact: null } });
  });

  it('never shows a person with intelligence, even if the stored content held one', () => {
    const shown = shownContent('intelligence', full, true);
    expect(shown.victim).toBeUndefined();
    expect(shown.content).not.toHaveProperty('victim');
    expect(JSON.stringify(shown)).not.toContain('Alex');
  });

  it('shows a full referral without a person as just its content', () => {
    const { victim: _v, ...rest } = full;
    expect(shownContent('full', rest, true)).toEqual({ content: rest });
  });

  it('gives the force’s system only the outline and the text of an intelligence referral', () => {
    expect(
      intelligenceRecordOf({ id: 'ref-1', sent_at: '2026-03-15T09:00:00.000Z' }, 'northshire', {
        ...full,
        when: '2026-03',
      }),
    ).toEqual({
      id: 'ref-1',
      force: 'northshire',
      receivedAt: '2026-03-15T09:00:00.000Z',
      incidentTypes: ['rape'],
      area: 'Station Road',
      month: '2026-03',
      summary: 'Covering note',
    });
  });
});
