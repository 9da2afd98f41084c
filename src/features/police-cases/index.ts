// What other features may use of police-cases: nothing else in this folder is theirs to import.
export { PoliceCaseError } from './policeCaseError.ts';
export type { CaseFacts, PoliceCaseScope } from './caseScope.ts';
