// What other features may use of police-cases: nothing else in this folder is theirs to import.
export { PoliceCaseError } from './policeCaseTimeline.ts';
export type { CaseFacts, PoliceCaseTimeline } from './policeCaseTimeline.ts';
