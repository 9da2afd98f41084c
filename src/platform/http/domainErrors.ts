import { HttpError } from './errors.ts';

/** What every feature's refusal looks like: a code saying why, and the input field it is about. */
type DomainErrorClass = abstract new (...args: never[]) => Error & { readonly code: string; readonly field: string };

/**
 * The one mapping from a use case's refusal to an API answer: `not-found` is a
 * 404 (so a case another organisation holds looks like no case at all), a code
 * listed in `statuses` answers with that status and the code itself, and any
 * other refusal is a 400 naming the field (`body.reason: …`). Anything that is
 * not a refusal of `errorClass` is rethrown untouched for the error handler.
 */
export function rethrowAsHttp(
  error: unknown,
  errorClass: DomainErrorClass,
  statuses: Readonly<Record<string, number>> = {},
): never {
  if (!(error instanceof errorClass)) throw error;
  if (error.code === 'not-found') throw new HttpError(404, 'not_found', error.message);
  const status = statuses[error.code];
  if (status !== undefined) throw new HttpError(status, error.code, error.message);
  throw new HttpError(400, 'invalid_request', `body.${error.field}: ${error.message}`);
}
