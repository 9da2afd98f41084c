import crypto from 'node:crypto';
import { hash as argon2Hash, verify as argon2Verify, Algorithm } from '@node-rs/argon2';

/** Random URL-safe token with 256 bits of entropy. */
export function randomToken(bytes = 32): string {
  return crypto.randomBytes(bytes).toString('base64url');
}

export function randomId(): string {
  return crypto.randomUUID();
}

/** Digest for high-entropy secrets (tokens, session ids): fast is fine, guessing is not. */
export function sha256(value: string): string {
  return crypto.createHash('sha256').update(value).digest('hex');
}

export function hmac(key: Buffer, value: string): string {
  return crypto.createHmac('sha256', key).update(value).digest('hex');
}

export function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && crypto.timingSafeEqual(left, right);
}

// OWASP's argon2id minimum: 19 MiB, 2 iterations, 1 lane.
const ARGON2_OPTIONS = { algorithm: Algorithm.Argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

/** Slow hash for low-entropy secrets a person chooses or types (passwords, codes). */
export function slowHash(secret: string): Promise<string> {
  return argon2Hash(secret, ARGON2_OPTIONS);
}

// Random 16-digit receipt codes carry about 53 bits of entropy (a person's
// password carries far less), so one pass over 19 MiB already puts an offline
// search of the code space beyond reach, at half the cost per report.
const RANDOM_CODE_OPTIONS = { ...ARGON2_OPTIONS, timeCost: 1 } as const;

/** Slow hash for long random codes people are given (receipt codes). */
export function codeHash(code: string): Promise<string> {
  return argon2Hash(code, RANDOM_CODE_OPTIONS);
}

export async function slowVerify(hashed: string, secret: string): Promise<boolean> {
  try {
    return await argon2Verify(hashed, secret);
  } catch {
    return false;
  }
}
