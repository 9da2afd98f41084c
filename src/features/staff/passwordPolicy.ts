import fs from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 128;

let breached: Set<string> | undefined;

/** About 49,000 of the most common passwords from breaches (the zxcvbn-ts common list), loaded once. */
function breachedPasswords(): Set<string> {
  if (!breached) {
    const file = require.resolve('@zxcvbn-ts/language-common/src/passwords.json');
    breached = new Set((JSON.parse(fs.readFileSync(file, 'utf8')) as string[]).map((p) => p.toLowerCase()));
  }
  return breached;
}

export function breachedPasswordCount(): number {
  return breachedPasswords().size;
}

/** The problem with a chosen password, in words for the person, or undefined when it is acceptable. */
export function passwordProblem(password: string, email: string): string | undefined {
  if (password.length < MIN_PASSWORD_LENGTH) return `Password must be ${MIN_PASSWORD_LENGTH} characters or more`;
  if (password.length > MAX_PASSWORD_LENGTH) return `Password must be ${MAX_PASSWORD_LENGTH} characters or fewer`;
  const lower = password.toLowerCase();
  if (breachedPasswords().has(lower)) return 'This password is too common and appears in lists of stolen passwords. Choose another';
  if (/^(.)\1+$/.test(password)) return 'Password must not be one character repeated';
  const localPart = email.split('@')[0]?.toLowerCase() ?? '';
  if (localPart.length >= 4 && lower.includes(localPart)) return 'Password must not contain your email address';
  return undefined;
}
