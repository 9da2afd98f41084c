/**
 * Who may call the casework routes and API operations. Least knowledge: a
 * person's account, contact details and case are read only by the people who
 * work the case. Everyone else (other roles, other organisations, all police)
 * gets 404, so not even the existence of a case is revealed.
 */

/** Case content: reports, people, contact points, attempts, notes, tasks, warning drafts. */
export const CASE_WORKERS = {
  kind: 'staff',
  roles: ['caseworker', 'liaison'],
  orgKind: 'support',
  conceal: true,
} as const;
export const CASE_WORKERS_API = {
  kind: 'api',
  roles: ['caseworker', 'liaison'],
  orgKind: 'support',
  conceal: true,
} as const;

/** The reach-me list: outreach sees who to look out for and the message to pass on, nothing more. */
export const REACH_ME = {
  kind: 'staff',
  roles: ['outreach', 'caseworker', 'liaison'],
  orgKind: 'support',
  conceal: true,
} as const;
export const REACH_ME_API = {
  kind: 'api',
  roles: ['outreach', 'caseworker', 'liaison'],
  orgKind: 'support',
  conceal: true,
} as const;

/** Published warnings and the number checker: everyone in the support organisation who meets people. */
export const WARNING_READERS = {
  kind: 'staff',
  roles: ['outreach', 'caseworker', 'liaison', 'admin'],
  orgKind: 'support',
  conceal: true,
} as const;

/** Police referrals: officers (the cases they hold) and supervisors (all of their force's). Nobody else, not even the force's admin. */
export const POLICE_REFERRAL_READERS = {
  kind: 'staff',
  roles: ['officer', 'supervisor'],
  orgKind: 'police',
  conceal: true,
} as const;
export const POLICE_SUPERVISORS = { kind: 'staff', roles: ['supervisor'], orgKind: 'police', conceal: true } as const;
/** API tokens belong to a role, not a person, so only supervisor tokens read and decide referrals. */
export const POLICE_SUPERVISORS_API = { kind: 'api', roles: ['supervisor'], orgKind: 'police', conceal: true } as const;

/** Members: outreach, caseworkers and the liaison officer issue member codes and see the list of members (never a code). */
export const MEMBER_ISSUERS = {
  kind: 'staff',
  roles: ['outreach', 'caseworker', 'liaison'],
  orgKind: 'support',
  conceal: true,
} as const;

/** The police case timeline and Victims' Code duties: police supervisor tokens and the support organisation's liaison tokens; the service scopes each case to its force and support organisation (else 404). */
export const POLICE_CASE_API = { kind: 'api', roles: ['supervisor', 'liaison'], conceal: true } as const;

/** What only the charity's liaison does on a police case (telling the person through Check your report): police tokens get 404 before any validation. */
export const LIAISON_CASE_API = { kind: 'api', roles: ['liaison'], orgKind: 'support', conceal: true } as const;

/** Safe-place appointments: as POLICE_CASE_API, plus the support organisation's caseworker tokens (caseworkers arrange appointments on the pages too). */
export const APPOINTMENTS_API = { kind: 'api', roles: ['supervisor', 'liaison', 'caseworker'], conceal: true } as const;
