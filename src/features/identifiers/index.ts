/**
 * Phone numbers and vehicle registrations, as people, warnings and the
 * checks read, store and compare them. The one place that decides what a
 * number or a plate is, so a check can never disagree with what was stored.
 */
export { displayPhone, normalisePhone } from './phone.ts';
export {
  applyMask,
  maskOf,
  normaliseRegistration,
  normaliseRegistrationPattern,
  registrationsFit,
} from './registration.ts';
export {
  AMBIGUOUS_MESSAGE,
  readIdentifier,
  UNREADABLE_MESSAGE,
  type CheckIdentifier,
  type ReadIdentifier,
} from './readIdentifier.ts';
export { describeIdentifier, readCheckForm, type CheckForm } from './checkForm.ts';
