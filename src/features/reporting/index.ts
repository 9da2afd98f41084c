// What other features may use of reporting: nothing else in this folder is theirs to import.
export type { ReportService } from './reportService.ts';
