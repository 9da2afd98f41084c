/**
 * Who may call the casework routes and API operations. Least knowledge: a
 * person's account, contact details and case are read only by the people who
 * work the case. Everyone else (other roles, other organisations, all police)
 * gets 404, so not even the existence of a case is revealed.
 */

/** Case content: reports, people, contact points, attempts, notes, tasks, warning drafts. */
export const CASE_WORKERS = { kind: 'staff', roles: ['caseworker', 'liaison'], orgKind: 'support', conceal: true } as const;
export const CASE_WORKERS_API = { kind: 'api', roles: ['caseworker', 'liaison'], orgKind: 'support', conceal: true } as const;

/** The reach-me list: outreach sees who to look out for and the message to pass on, nothing more. */
export const REACH_ME = { kind: 'staff', roles: ['outreach', 'caseworker', 'liaison'], orgKind: 'support', conceal: true } as const;
export const REACH_ME_API = { kind: 'api', roles: ['outreach', 'caseworker', 'liaison'], orgKind: 'support', conceal: true } as const;

/** Published warnings and the number checker: everyone in the support organisation who meets people. */
export const WARNING_READERS = { kind: 'staff', roles: ['outreach', 'caseworker', 'liaison', 'admin'], orgKind: 'support', conceal: true } as const;
