// The rows migration 0014 seeds, written out as they were when it was made, so that
// the migration never changes when the application's own lists do.

export const BANK_HOLIDAYS_0014: readonly { date: string; title: string }[] = [
  {
    date: '2024-01-01',
    title: "New Year's Day",
  },
  {
    date: '2024-03-29',
    title: 'Good Friday',
  },
  {
    date: '2024-04-01',
    title: 'Easter Monday',
  },
  {
    date: '2024-05-06',
    title: 'Early May bank holiday',
  },
  {
    date: '2024-05-27',
    title: 'Spring bank holiday',
  },
  {
    date: '2024-08-26',
    title: 'Summer bank holiday',
  },
  {
    date: '2024-12-25',
    title: 'Christmas Day',
  },
  {
    date: '2024-12-26',
    title: 'Boxing Day',
  },
  {
    date: '2025-01-01',
    title: "New Year's Day",
  },
  {
    date: '2025-04-18',
    title: 'Good Friday',
  },
  {
    date: '2025-04-21',
    title: 'Easter Monday',
  },
  {
    date: '2025-05-05',
    title: 'Early May bank holiday',
  },
  {
    date: '2025-05-26',
    title: 'Spring bank holiday',
  },
  {
    date: '2025-08-25',
    title: 'Summer bank holiday',
  },
  {
    date: '2025-12-25',
    title: 'Christmas Day',
  },
  {
    date: '2025-12-26',
    title: 'Boxing Day',
  },
  {
    date: '2026-01-01',
    title: "New Year's Day",
  },
  {
    date: '2026-04-03',
    title: 'Good Friday',
  },
  {
    date: '2026-04-06',
    title: 'Easter Monday',
  },
  {
    date: '2026-05-04',
    title: 'Early May bank holiday',
  },
  {
    date: '2026-05-25',
    title: 'Spring bank holiday',
  },
  {
    date: '2026-08-31',
    title: 'Summer bank holiday',
  },
  {
    date: '2026-12-25',
    title: 'Christmas Day',
  },
  {
    date: '2026-12-28',
    title: 'Boxing Day (substitute day)',
  },
  {
    date: '2027-01-01',
    title: "New Year's Day",
  },
  {
    date: '2027-03-26',
    title: 'Good Friday',
  },
  {
    date: '2027-03-29',
    title: 'Easter Monday',
  },
  {
    date: '2027-05-03',
    title: 'Early May bank holiday',
  },
  {
    date: '2027-05-31',
    title: 'Spring bank holiday',
  },
  {
    date: '2027-08-30',
    title: 'Summer bank holiday',
  },
  {
    date: '2027-12-27',
    title: 'Christmas Day (substitute day)',
  },
  {
    date: '2027-12-28',
    title: 'Boxing Day (substitute day)',
  },
  {
    date: '2028-01-03',
    title: "New Year's Day (substitute day)",
  },
  {
    date: '2028-04-14',
    title: 'Good Friday',
  },
  {
    date: '2028-04-17',
    title: 'Easter Monday',
  },
  {
    date: '2028-05-01',
    title: 'Early May bank holiday',
  },
  {
    date: '2028-05-29',
    title: 'Spring bank holiday',
  },
  {
    date: '2028-08-28',
    title: 'Summer bank holiday',
  },
  {
    date: '2028-12-25',
    title: 'Christmas Day',
  },
  {
    date: '2028-12-26',
    title: 'Boxing Day',
  },
  {
    date: '2029-01-01',
    title: "New Year's Day",
  },
  {
    date: '2029-03-30',
    title: 'Good Friday',
  },
  {
    date: '2029-04-02',
    title: 'Easter Monday',
  },
  {
    date: '2029-05-07',
    title: 'Early May bank holiday',
  },
  {
    date: '2029-05-28',
    title: 'Spring bank holiday',
  },
  {
    date: '2029-08-27',
    title: 'Summer bank holiday',
  },
  {
    date: '2029-12-25',
    title: 'Christmas Day',
  },
  {
    date: '2029-12-26',
    title: 'Boxing Day',
  },
  {
    date: '2030-01-01',
    title: "New Year's Day",
  },
  {
    date: '2030-04-19',
    title: 'Good Friday',
  },
  {
    date: '2030-04-22',
    title: 'Easter Monday',
  },
  {
    date: '2030-05-06',
    title: 'Early May bank holiday',
  },
  {
    date: '2030-05-27',
    title: 'Spring bank holiday',
  },
  {
    date: '2030-08-26',
    title: 'Summer bank holiday',
  },
  {
    date: '2030-12-25',
    title: 'Christmas Day',
  },
  {
    date: '2030-12-26',
    title: 'Boxing Day',
  },
];

export const VICTIMS_CODE_RULES_0014 = [
  {
    eventType: 'crime-recorded',
    mustInform: false,
    daysEnhanced: null,
    daysStandard: null,
  },
  {
    eventType: 'investigation',
    mustInform: false,
    daysEnhanced: null,
    daysStandard: null,
  },
  {
    eventType: 'suspect-identified',
    mustInform: false,
    daysEnhanced: null,
    daysStandard: null,
  },
  {
    eventType: 'suspect-arrested',
    mustInform: true,
    daysEnhanced: 1,
    daysStandard: 5,
  },
  {
    eventType: 'suspect-interviewed',
    mustInform: true,
    daysEnhanced: 1,
    daysStandard: 5,
  },
  {
    eventType: 'released-without-charge',
    mustInform: true,
    daysEnhanced: 1,
    daysStandard: 5,
  },
  {
    eventType: 'bailed',
    mustInform: true,
    daysEnhanced: 1,
    daysStandard: 5,
  },
  {
    eventType: 'released-under-investigation',
    mustInform: true,
    daysEnhanced: 1,
    daysStandard: 5,
  },
  {
    eventType: 'bail-changed',
    mustInform: true,
    daysEnhanced: 1,
    daysStandard: 5,
  },
  {
    eventType: 'charged',
    mustInform: true,
    daysEnhanced: 1,
    daysStandard: 5,
  },
  {
    eventType: 'no-further-action',
    mustInform: true,
    daysEnhanced: 1,
    daysStandard: 5,
  },
  {
    eventType: 'out-of-court-disposal',
    mustInform: true,
    daysEnhanced: 1,
    daysStandard: 5,
  },
  {
    eventType: 'not-investigated',
    mustInform: true,
    daysEnhanced: 1,
    daysStandard: 5,
  },
  {
    eventType: 'first-hearing',
    mustInform: true,
    daysEnhanced: 1,
    daysStandard: 1,
  },
  {
    eventType: 'ptph',
    mustInform: true,
    daysEnhanced: 1,
    daysStandard: 1,
  },
  {
    eventType: 'trial-date-set',
    mustInform: true,
    daysEnhanced: 1,
    daysStandard: 1,
  },
  {
    eventType: 'trial',
    mustInform: true,
    daysEnhanced: 1,
    daysStandard: 1,
  },
  {
    eventType: 'verdict',
    mustInform: true,
    daysEnhanced: 1,
    daysStandard: 1,
  },
  {
    eventType: 'sentence',
    mustInform: true,
    daysEnhanced: 1,
    daysStandard: 1,
  },
  {
    eventType: 'closed',
    mustInform: true,
    daysEnhanced: 1,
    daysStandard: 1,
  },
] as const;
