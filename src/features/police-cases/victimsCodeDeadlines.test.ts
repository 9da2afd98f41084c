import { describe, expect, it } from 'vitest';
import { addWorkingDays, BankHolidayCalendar, londonDate } from '../calendar/index.ts';
import { INCIDENT_TYPES } from '../vocabulary/index.ts';
import { enhancedRightsByDefault } from './enhancedRights.ts';
import {
  STAGE_ORDER,
  TIMELINE_EVENT_TYPES,
  VICTIMS_CODE_RULES_SEED,
  type TimelineEventType,
} from './victimsCodeRules.ts';

/**
 * The Victims' Code clock as data: which events oblige the police to tell the victim, within how
 * many working days, and who has enhanced rights. The table is written out here on purpose, apart
 * from the seed, so a change to the Code has to be made in both places.
 */
const EXPECTED: Record<TimelineEventType, [enhanced: number, standard: number] | 'no duty'> = {
  'crime-recorded': 'no duty',
  investigation: 'no duty',
  'suspect-identified': 'no duty',
  'suspect-arrested': [1, 5],
  'suspect-interviewed': [1, 5],
  'released-without-charge': [1, 5],
  bailed: [1, 5],
  'released-under-investigation': [1, 5],
  'bail-changed': [1, 5],
  charged: [1, 5],
  'no-further-action': [1, 5],
  'out-of-court-disposal': [1, 5],
  'not-investigated': [1, 5],
  'first-hearing': [1, 1],
  ptph: [1, 1],
  'trial-date-set': [1, 1],
  trial: [1, 1],
  verdict: [1, 1],
  sentence: [1, 1],
  closed: [1, 1],
};

const rule = (type: TimelineEventType) => VICTIMS_CODE_RULES_SEED.find((r) => r.eventType === type)!;
// The published gov.uk list as the database holds it (none of the examples below falls on a holiday but Christmas).
const calendar = new BankHolidayCalendar([
  { date: '2026-08-31', title: 'Summer bank holiday', source: 'bundled' },
  { date: '2026-12-25', title: 'Christmas Day', source: 'bundled' },
  { date: '2026-12-28', title: 'Boxing Day (substitute day)', source: 'bundled' },
]);

/** When the victim must be told of an event at `at`, as the duty is opened: day 0 is the UK date. */
function dueOn(type: TimelineEventType, at: string, enhanced: boolean): string | null {
  const r = rule(type);
  const days = enhanced ? r.daysEnhanced : r.daysStandard;
  return r.mustInform && days !== null ? addWorkingDays(londonDate(new Date(at)), days, calendar) : null;
}

describe("the Victims' Code rules", () => {
  it('list every event type of the timeline once, in the order a case moves through them', () => {
    expect([...TIMELINE_EVENT_TYPES]).toEqual(Object.keys(EXPECTED));
    expect(STAGE_ORDER).toEqual(TIMELINE_EVENT_TYPES);
    expect(VICTIMS_CODE_RULES_SEED.map((r) => r.eventType)).toEqual(Object.keys(EXPECTED));
  });

  it.each(Object.entries(EXPECTED))('%s: %j working days (enhanced rights, standard)', (type, expected) => {
    const r = rule(type as TimelineEventType);
    if (expected === 'no duty')
      expect(r).toEqual({ eventType: type, mustInform: false, daysEnhanced: null, daysStandard: null });
    else expect(r).toEqual({ eventType: type, mustInform: true, daysEnhanced: expected[0], daysStandard: expected[1] });
  });

  it('counts an arrest at 23:30 UTC on a July Thursday from the UK Friday: Monday with enhanced rights, the next Friday without', () => {
    // Thursday 2 July 2026 23:30 UTC is Friday 3 July 00:30 BST.
    expect(dueOn('suspect-arrested', '2026-07-02T23:30:00Z', true)).toBe('2026-07-06');
    expect(dueOn('suspect-arrested', '2026-07-02T23:30:00Z', false)).toBe('2026-07-10');
    // In winter the UK date is the UTC date: Thursday 7 January 2027 23:30 GMT, due Friday.
    expect(dueOn('charged', '2027-01-07T23:30:00Z', false)).toBe('2027-01-14');
    expect(dueOn('charged', '2027-01-07T23:30:00Z', true)).toBe('2027-01-08');
  });

  it('skips weekends and bank holidays, and opens no duty where the Code sets none', () => {
    expect(dueOn('first-hearing', '2026-12-24T10:00:00Z', false)).toBe('2026-12-29');
    expect(dueOn('verdict', '2026-08-28T15:00:00Z', false)).toBe('2026-09-01');
    expect(dueOn('crime-recorded', '2026-07-02T10:00:00Z', true)).toBeNull();
  });
});

describe('enhanced rights by default', () => {
  it('go to victims of sexual offences and hate crime, from the report’s incident types', () => {
    const enhanced = ['rape', 'sexual-assault', 'condom-removed-or-refused', 'hate-incident'];
    for (const type of Object.keys(INCIDENT_TYPES))
      expect(enhancedRightsByDefault([type]), type).toBe(enhanced.includes(type));
    expect(enhancedRightsByDefault(['robbery-or-theft', 'condom-removed-or-refused'])).toBe(true);
    expect(enhancedRightsByDefault(['robbery-or-theft', 'stalking'])).toBe(false);
    expect(enhancedRightsByDefault([])).toBe(false);
  });
});
