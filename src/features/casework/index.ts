// What other features may use of casework: nothing else in this folder is theirs to import.
export {
  AREA_FILTER_PROBLEM,
  FILTER_NAMES,
  apiInboxQuerySchema,
  keepFilters,
  readInboxQuery,
  toInboxFilter,
} from './inboxFilters.ts';
export { syncReportTags } from './reportTags.ts';
export { PRIORITIES, RISK_FLAGS, STATUSES, TriageError, triageSchema } from './triage.ts';
export type { InboxFilter } from './inboxFilters.ts';
export type { CasePage, CasePanel } from './casePage.ts';
