/** Why a report's personal content was erased, as stored in `reports.erased_because`. */
export type ErasureCause = 'retention' | 'request';

const UK_DAY = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
});

/**
 * "Erased under the retention schedule on 3 December 2026": the sentence the
 * staff case page and the person's "Check your report" show for an erased
 * report, computed from when and why it was erased. The person reads "at your
 * request" where staff read "at the person's request".
 */
export function erasedSentence(because: ErasureCause, at: string, reader: 'staff' | 'person' = 'staff'): string {
  const on = UK_DAY.format(new Date(at));
  if (because === 'retention') return `Erased under the retention schedule on ${on}`;
  return reader === 'person' ? `Erased at your request on ${on}` : `Erased at the person's request on ${on}`;
}
