// What other features may use of sessions: nothing else in this folder is theirs to import.
export { clearSessionCookie, startSession } from './sessionCookie.ts';
export type { SessionStore } from './sessionStore.ts';
export { requireStepUp, safeNextPath } from './stepUp.ts';
