import type { Authenticator } from '../../platform/http/access.ts';
import type { Principal } from '../../platform/http/principal.ts';
import type { MemberService } from './memberService.ts';

/**
 * Teaches the access layer's authenticator to admit members by their code
 * (`Authorization: Member <code>` on `member-or-api` operations). The code is
 * checked like a receipt code: keyed lookup, slow verifier, throttled.
 */
export function withMemberCodes<T extends Authenticator>(authenticator: T, members: MemberService): T {
  authenticator.fromMemberCode = async (code: string, address: string): Promise<Principal> => {
    const member = await members.openWithCode(code, address);
    return member ? { kind: 'member', memberId: member.memberId, orgId: member.orgId } : { kind: 'anonymous' };
  };
  return authenticator;
}
