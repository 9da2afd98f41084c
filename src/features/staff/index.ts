// What other features may use of staff: nothing else in this folder is theirs to import.
export { emailSchema } from './invitationService.ts';
export { passwordProblem } from './passwordPolicy.ts';
export { linkTokenParams } from './schemas.ts';
export { normaliseRecoveryCode } from './staffAccounts.ts';
export type { StaffAccounts } from './staffAccounts.ts';
