// Words and fixed values that several features show or filter on. This folder
// imports nothing, so any feature may use it without tying itself to another.
export {
  CONTACT_KINDS,
  CONTACT_STARTED,
  INCIDENT_TYPES,
  REPORT_SOURCES,
  TIMES_OF_DAY,
  WORKING_CONTEXTS,
  type IncidentType,
} from './reportAnswers.ts';
export { SUCCESSFUL_OUTCOMES } from './contactOutcomes.ts';
export { EVENT_SENTENCES } from './caseEventSentences.ts';
export { APPOINTMENT_KIND_LABELS, APPOINTMENT_KINDS, type AppointmentKind } from './appointmentKinds.ts';
export { erasedSentence, type ErasureCause } from './erasureWords.ts';
