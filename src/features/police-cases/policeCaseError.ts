/** What went wrong with a police case request: no such case (or not the caller's to see), bad input, or a duty already recorded. */
export class PoliceCaseError extends Error {
  constructor(
    readonly code: 'not-found' | 'invalid' | 'already-resolved',
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}
