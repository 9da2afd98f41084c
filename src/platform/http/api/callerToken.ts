import type { Principal } from '../principal.ts';
import { HttpError } from '../errors.ts';

export type ApiCaller = Extract<Principal, { kind: 'api' }>;

/** The token behind a request to an `{ kind: 'api' }` operation (the access layer has already checked it). */
export function callerToken(principal: Principal): ApiCaller {
  if (principal.kind !== 'api') throw new HttpError(401, 'unauthenticated', 'A valid bearer token is required.');
  return principal;
}
