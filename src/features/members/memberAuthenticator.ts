import type { Authenticator } from '../../platform/http/access.ts';
import type { Principal } from '../../platform/http/principal.ts';
import type { MemberService } from './memberService.ts';
import { HttpError } from '../../platform/http/errors.ts';
import { codeApiError } from '../throttling/index.ts';

/**
 * Teaches the access layer's authenticator to admit members by their code
 * (`Authorization: Member <code>` on `member-or-api` operations). The code is
 * checked like a receipt code: keyed lookup, slow verifier, throttled.
 */
export function withMemberCodes<T extends Authenticator>(authenticator: T, members: MemberService, now: () => Date): T {
  authenticator.fromMemberCode = async (code: string, address: string): Promise<Principal> => {
    const result = await members.signInWithCode(code, address);
    if (result.ok)
      return 'member' in result.value
        ? { kind: 'member', memberId: result.value.member.memberId, orgId: result.value.member.orgId }
        : { kind: 'anonymous' };
    // A wrong code is the access layer's 401; a wait (this address, or a spike everywhere) is a 429 saying so.
    if (result.reason !== 'wrong-code')
      throw codeApiError(
        result,
        new HttpError(401, 'unauthenticated', 'A valid member code or bearer token is required.'),
        now(),
      );
    return { kind: 'anonymous' };
  };
  return authenticator;
}
