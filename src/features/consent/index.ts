// What other features may use of consent: nothing else in this folder is theirs to import.
export { CONSENT_SCOPES, ConsentError, stateFrom } from './consentLedger.ts';
export type { ConsentLedger, ConsentMethod, ConsentScope, ConsentState } from './consentLedger.ts';
