import type { StaffIdentity } from '../../platform/http/principal.ts';

/**
 * Who may manage members, beyond issuing codes (casework/caseAccess.ts
 * MEMBER_ISSUERS). Everyone else gets 404, like the rest of casework.
 */

/** Join requests are approved by those who meet people: outreach and caseworkers. */
export const MEMBER_APPROVERS = {
  kind: 'staff',
  roles: ['outreach', 'caseworker'],
  orgKind: 'support',
  conceal: true,
} as const;
/** Anyone who may have to stop a member quickly: outreach, caseworkers and administrators. */
export const MEMBER_SUSPENDERS = {
  kind: 'staff',
  roles: ['outreach', 'caseworker', 'admin'],
  orgKind: 'support',
  conceal: true,
} as const;
/** The list of members (working names, never a code): whoever issues, approves or suspends. */
export const MEMBER_LIST_READERS = {
  kind: 'staff',
  roles: ['outreach', 'caseworker', 'liaison', 'admin'],
  orgKind: 'support',
  conceal: true,
} as const;
/** How people join: the organisation's administrators. */
export const MEMBER_SETTINGS_ADMINS = { kind: 'staff', roles: ['admin'], orgKind: 'support', conceal: true } as const;

/** Whether the staff member holds one of the rule's roles (an administrator who also works cases holds both). */
export function holds(staff: StaffIdentity, rule: { roles: readonly string[] }): boolean {
  return [staff.role, staff.caseworkRole].some((r) => !!r && rule.roles.includes(r));
}
