import { describe, expect, it } from 'vitest';
import { HttpError } from './errors.ts';
import { rethrowAsHttp } from './domainErrors.ts';

class ThingError extends Error {
  constructor(
    readonly code: 'not-found' | 'invalid' | 'too-late',
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

function answer(error: unknown, statuses?: Record<string, number>): unknown {
  try {
    rethrowAsHttp(error, ThingError, statuses);
  } catch (thrown) {
    return thrown;
  }
  throw new Error('rethrowAsHttp returned');
}

describe('rethrowAsHttp', () => {
  it('answers 404 for not-found, so a record held elsewhere looks like no record', () => {
    const thrown = answer(new ThingError('not-found', 'id', 'There is no such thing.'));
    expect(thrown).toBeInstanceOf(HttpError);
    expect(thrown).toMatchObject({ statusCode: 404, code: 'not_found', message: 'There is no such thing.' });
  });

  it('answers a listed refusal with its status and its own code', () => {
    const thrown = answer(new ThingError('too-late', 'when', 'It has already happened.'), { 'too-late': 409 });
    expect(thrown).toMatchObject({ statusCode: 409, code: 'too-late', message: 'It has already happened.' });
  });

  it('answers any other refusal with a 400 that names the field', () => {
    const thrown = answer(new ThingError('invalid', 'reason', 'Give a reason.'));
    expect(thrown).toMatchObject({ statusCode: 400, code: 'invalid_request', message: 'body.reason: Give a reason.' });
  });

  it('rethrows anything that is not a refusal untouched, for the error handler', () => {
    const failure = new Error('connection lost');
    expect(answer(failure)).toBe(failure);
  });
});
