import { HttpError } from '../../platform/http/errors.ts';
import type { Refusal, Ticket } from './codeGuard.ts';

/** "45 seconds", "1 minute", "3 hours": a wait in words, rounded up. */
export function waitInWords(seconds: number): string {
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  if (seconds < 60) return plural(Math.max(1, seconds), 'second');
  if (seconds < 3600) return plural(Math.ceil(seconds / 60), 'minute');
  return plural(Math.ceil(seconds / 3600), 'hour');
}

export interface CodePageProblem {
  status: 400 | 429;
  message: string;
  /** The ticket the re-rendered form must carry (a guessing spike). */
  ticket: Ticket | undefined;
}

/**
 * Why a code typed on a page did not open anything, in words computed from the refusal. `button`
 * is the text of the form's button, so the person knows what to press again.
 */
export function codePageProblem(refusal: Refusal, button: string): CodePageProblem {
  switch (refusal.reason) {
    case 'wrong-code':
      return {
        status: 400,
        message:
          refusal.retryAfterSeconds > 0
            ? `That code did not work. Check it, then try again in ${waitInWords(refusal.retryAfterSeconds)}.`
            : 'That code did not work. Check it and try again.',
        ticket: undefined,
      };
    case 'address-back-off':
      return {
        status: 429,
        message: `Too many codes have been tried from your internet connection. Try again in ${waitInWords(refusal.retryAfterSeconds)}.`,
        ticket: undefined,
      };
    case 'spike':
      return {
        status: 429,
        message: refusal.tooEarly
          ? `Wait ${waitInWords(refusal.retryAfterSeconds)} more, then enter your code and press “${button}” again.`
          : refusal.retryAfterSeconds > 0
            ? `Many wrong codes are being tried on this site right now, so we need a quick check. Enter your code and press “${button}” again. If your browser cannot do the check by itself, wait ${waitInWords(refusal.retryAfterSeconds)} first.`
            : `Many wrong codes are being tried on this site right now, so we need a quick check. Enter your code and press “${button}” again.`,
        ticket: refusal.ticket,
      };
  }
}

/** The API's answer to a code that opened nothing: `unauthorised` for a wrong code, 429 with Retry-After otherwise. */
export function codeApiError(refusal: Refusal, unauthorised: HttpError, now: Date): HttpError {
  const retryAfter = { 'retry-after': String(Math.max(1, refusal.retryAfterSeconds)) };
  if (refusal.reason === 'wrong-code') return unauthorised;
  if (refusal.reason === 'address-back-off') {
    return new HttpError(
      429,
      'too_many_attempts',
      `Too many codes have been sent from this address. Try again in ${waitInWords(refusal.retryAfterSeconds)}.`,
      retryAfter,
    );
  }
  const until = new Date(now.getTime() + refusal.retryAfterSeconds * 1000).toISOString().slice(11, 16);
  return new HttpError(
    429,
    'code_guessing_spike',
    `Many wrong codes are being tried from many places right now, so codes are not accepted through the API until about ${until} UTC. The code can still be used on the website.`,
    retryAfter,
  );
}
