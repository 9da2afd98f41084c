// What other features may use of audit: nothing else in this folder is theirs to import.
export type { ActorKind, AuditTrail } from './auditTrail.ts';
