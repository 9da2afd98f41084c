// What other features may use of throttling: nothing else in this folder is theirs to import.
export { addressBucket } from './addressBucket.ts';
export { CODE_SPIKE_POLICY, TICKET_WAIT_MS } from './codeGuard.ts';
export type { ActiveSpike, CodeAttempt, CodeGuard, TicketAnswer } from './codeGuard.ts';
export { codeApiError, codePageProblem } from './codeRefusal.ts';
export { ACCOUNT_POLICY, ADDRESS_POLICY } from './throttle.ts';
export type { Throttle, ThrottlePolicy } from './throttle.ts';
