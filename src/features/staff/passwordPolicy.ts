import fs from 'node:fs';
import { createRequire } from 'node:module';
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as zxcvbnCommon from '@zxcvbn-ts/language-common';
import * as zxcvbnEnglish from '@zxcvbn-ts/language-en';

const require = createRequire(import.meta.url);
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 128;
/**
 * zxcvbn's score 3 means "safely unguessable: moderate protection from an offline attack"
 * (about 10^8 guesses or more). Length rules alone let `Password123!` through; this does not.
 */
export const MIN_PASSWORD_SCORE = 3;

let breached: Set<string> | undefined;
let estimator: ZxcvbnFactory | undefined;

/** About 49,000 of the most common passwords from breaches (the zxcvbn-ts common list), loaded once. */
function breachedPasswords(): Set<string> {
  if (!breached) {
    const file = require.resolve('@zxcvbn-ts/language-common/src/passwords.json');
    breached = new Set((JSON.parse(fs.readFileSync(file, 'utf8')) as string[]).map((p) => p.toLowerCase()));
  }
  return breached;
}

/** Built once: loading the dictionaries is the slow part. */
function strength(): ZxcvbnFactory {
  estimator ??= new ZxcvbnFactory({
    dictionary: { ...zxcvbnCommon.dictionary, ...zxcvbnEnglish.dictionary },
    graphs: zxcvbnCommon.adjacencyGraphs,
    translations: zxcvbnEnglish.translations,
  });
  return estimator;
}

export function breachedPasswordCount(): number {
  return breachedPasswords().size;
}

/** What the person is known by: guessers try these first, so zxcvbn treats them as a dictionary. */
function personalWords(email: string, names: readonly string[]): string[] {
  const lower = email.trim().toLowerCase();
  const [local = '', domain = ''] = lower.split('@');
  const pieces = [
    local,
    ...local.split(/[._+-]+/),
    ...domain.split('.').slice(0, -1),
    ...names.flatMap((n) => [n, n.replace(/\s+/g, ''), ...n.split(/\s+/)]),
  ];
  return [...new Set([lower, ...pieces.map((p) => p.trim().toLowerCase())].filter((p) => p.length >= 3))];
}

export interface PasswordOwner {
  email: string;
  /** The person's name and their organisation's name, where known. */
  names?: readonly string[];
}

/** The problem with a chosen password, in words for the person, or undefined when it is acceptable. */
export function passwordProblem(password: string, owner: PasswordOwner): string | undefined {
  if (password.length < MIN_PASSWORD_LENGTH) return `Password must be ${MIN_PASSWORD_LENGTH} characters or more`;
  if (password.length > MAX_PASSWORD_LENGTH) return `Password must be ${MAX_PASSWORD_LENGTH} characters or fewer`;
  const lower = password.toLowerCase();
  if (breachedPasswords().has(lower))
    return 'This password is too common and appears in lists of stolen passwords. Choose another';
  if (/^(.)\1+$/.test(password)) return 'Password must not be one character repeated';
  const email = owner.email.trim().toLowerCase();
  const localPart = email.split('@')[0] ?? '';
  if (lower.includes(email) || (localPart.length >= 4 && lower.includes(localPart)))
    return 'Password must not contain your email address';
  const result = strength().check(password, personalWords(owner.email, owner.names ?? []));
  if (result.score < MIN_PASSWORD_SCORE) {
    const why = result.feedback.warning ? ` ${result.feedback.warning.replace(/\.?$/, '.')}` : '';
    return `This password would be too easy to guess.${why} Add another word or two that are not about you, or choose a longer password`;
  }
  return undefined;
}
