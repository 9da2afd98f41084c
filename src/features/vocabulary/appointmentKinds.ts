export const APPOINTMENT_KINDS = [
  'statement',
  'abe-interview',
  'medical-or-sarc',
  'identification',
  'court-familiarisation',
  'hearing',
  'trial',
] as const;
export type AppointmentKind = (typeof APPOINTMENT_KINDS)[number];

/** What each kind of safe-place appointment is called on the pages. */
export const APPOINTMENT_KIND_LABELS: Record<AppointmentKind, string> = {
  statement: 'Statement',
  'abe-interview': 'Video-recorded (ABE) interview',
  'medical-or-sarc': 'Medical or SARC examination',
  identification: 'Identification procedure',
  'court-familiarisation': 'Court familiarisation visit',
  hearing: 'Hearing',
  trial: 'Trial',
};
