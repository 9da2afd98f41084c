// What other features may use of warnings: nothing else in this folder is theirs to import.
export type { CheckIdentifier, PublishedWarning, WarningMatch } from './warningService.ts';
