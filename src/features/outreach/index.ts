// What other features may use of outreach: nothing else in this folder is theirs to import.
export type { ReachMeService } from './reachMeService.ts';
