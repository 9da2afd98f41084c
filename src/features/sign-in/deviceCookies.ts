import crypto from 'node:crypto';
import { constantTimeEqual } from '../../platform/crypto/index.ts';

/** A device cookie lasts a year: it marks a browser someone has signed in on before. */
export const DEVICE_COOKIE_MAX_AGE_S = 365 * 24 * 60 * 60;
/** A shared office computer may be trusted for a few people; the oldest entry drops off. */
const MAX_ENTRIES = 5;

/**
 * The OWASP "device cookie": after a full sign-in (password and two-factor code) the browser gets a
 * signed entry `nonce.signature`, the signature binding the nonce to the account. Wrong passwords
 * typed elsewhere then cannot lock the person out of this browser: failures sent with a valid
 * entry count against that entry (that device) only, and failures without one against the
 * account and address. The cookie holds no account id, only nonces and signatures.
 */
export class DeviceCookies {
  constructor(private readonly key: Buffer) {}

  /** The nonce of the entry in `cookie` that is valid for this account, or undefined. */
  trusted(cookie: string | undefined, userId: string): string | undefined {
    for (const entry of entries(cookie)) {
      const [nonce = '', signature = ''] = entry.split('.');
      if (constantTimeEqual(signature, this.sign(userId, nonce))) return nonce;
    }
    return undefined;
  }

  /** The cookie value after a full sign-in: this account's entry first (kept if it had one). */
  remember(cookie: string | undefined, userId: string): string {
    const current = this.trusted(cookie, userId);
    const nonce = current ?? crypto.randomBytes(16).toString('base64url');
    const mine = `${nonce}.${this.sign(userId, nonce)}`;
    const others = entries(cookie).filter((e) => e !== mine);
    return [mine, ...others].slice(0, MAX_ENTRIES).join('~');
  }

  private sign(userId: string, nonce: string): string {
    return crypto.createHmac('sha256', this.key).update(`device:${userId}:${nonce}`).digest('base64url');
  }
}

function entries(cookie: string | undefined): string[] {
  if (!cookie || cookie.length > 1024) return [];
  return cookie
    .split('~')
    .filter((e) => /^[A-Za-z0-9_-]{10,64}\.[A-Za-z0-9_-]{43}$/.test(e))
    .slice(0, MAX_ENTRIES);
}
