// The fixed answers of a report, shared by every feature that shows or filters them.

/** What happened: keys used in the API and stored; labels in plain words for the pages. */
export const INCIDENT_TYPES = {
  rape: 'Rape',
  'sexual-assault': 'Sexual assault',
  'condom-removed-or-refused': 'Condom removed or refused without consent',
  'physical-assault': 'Physical assault',
  'robbery-or-theft': 'Robbery or theft',
  'refused-to-pay-or-fraud': 'Refused to pay or fraud',
  'threats-or-harassment': 'Threats or harassment',
  stalking: 'Stalking',
  'held-against-will': 'Held against their will',
  'hate-incident': 'Hate incident',
  other: 'Something else',
} as const;
export type IncidentType = keyof typeof INCIDENT_TYPES;

export const CONTACT_KINDS = {
  'phone-call': 'Phone call',
  text: 'Text message',
  email: 'Email',
  whatsapp: 'WhatsApp',
  'this-site-only': 'Only through this website',
  'outreach-worker': 'Through an outreach worker',
} as const;

/** The journey's fixed answers: the value stored, and the words shown. */
export const TIMES_OF_DAY = { morning: 'Morning', afternoon: 'Afternoon', evening: 'Evening', night: 'Night' } as const;
export const CONTACT_STARTED = {
  street: 'On the street',
  'online-advert': 'Online advert or website',
  'phone-or-text': 'Phone or text',
  app: 'An app',
  venue: 'At a venue',
  other: 'Another way',
} as const;
export const WORKING_CONTEXTS = {
  street: 'Street',
  indoor: 'Indoors',
  online: 'Online or webcam',
  other: 'Somewhere else',
} as const;

export const REPORT_SOURCES = ['online', 'outreach', 'phone', 'drop-in'] as const;
