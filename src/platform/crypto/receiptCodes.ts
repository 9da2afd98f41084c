import crypto from 'node:crypto';
import { hmac } from './index.ts';

const REFERENCE_ALPHABET = 'ABCDEFGHJKMNPQRSTVWXYZ23456789';

/** 16 random digits: the only key back to a report. */
export function newReceiptCode(): string {
  return Array.from({ length: 16 }, () => crypto.randomInt(10)).join('');
}

/**
 * The receipt code for a submission with an idempotency key: derived with a
 * server key, so a retried submission shows the same code without the code
 * ever being stored.
 */
export function receiptCodeFor(idempotencyKey: string, key: Buffer): string {
  const digest = crypto.createHmac('sha256', key).update(`receipt:${idempotencyKey}`).digest();
  let digits = '';
  for (let i = 0; digits.length < 16; i += 1)
    digits += String(digest.readUInt32BE((i % 7) * 4) % 10 ** 4)
      .padStart(4, '0')
      .slice(-4);
  return digits.slice(0, 16);
}

/** Shown as four groups of four, like a phone number, so it can be saved as a contact. */
export function formatReceiptCode(code: string): string {
  return code.replace(/(\d{4})(?=\d)/g, '$1 ');
}

/** Spaces, dashes and dots are ignored; anything else makes it not a code. */
export function normaliseReceiptCode(input: string): string | undefined {
  const digits = input.replace(/[\s\-.]/g, '');
  return /^\d{16}$/.test(digits) ? digits : undefined;
}

export function receiptLookup(code: string, key: Buffer): string {
  return hmac(key, `receipt-lookup:${code}`);
}

/** Short and unambiguous, e.g. R-7XK2-Q9M4 (no 0/O, 1/I/L, U). */
export function newReference(): string {
  const pick = () =>
    Array.from(crypto.randomBytes(4), (b) => REFERENCE_ALPHABET[b % REFERENCE_ALPHABET.length]).join('');
  return `R-${pick()}-${pick()}`;
}
