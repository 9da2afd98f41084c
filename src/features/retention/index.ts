// What other features may use of retention: nothing else in this folder is theirs to import.
export type { RetentionRun, RetentionService } from './retentionService.ts';
export type { RetentionSchedule } from './schedule.ts';
