import QRCode from 'qrcode';
import { generate, generateSecret, generateURI, verify } from 'otplib';

/** 20 random bytes (160 bits), base32: what authenticator apps expect. */
export function newTotpSecret(): string {
  return generateSecret({ length: 20 });
}

/** The code an authenticator shows at `at` (tests use this to sign in for real). */
export function totpCode(secret: string, at: Date): Promise<string> {
  return generate({ secret, epoch: Math.floor(at.getTime() / 1000) });
}

/**
 * Checks a 6-digit code, allowing one 30-second step of clock drift either
 * way, and refusing any step at or before `lastStep` so a code seen over a
 * shoulder cannot be replayed. Returns the matched step, or undefined.
 */
export async function verifyTotp(
  secret: string,
  code: string,
  at: Date,
  lastStep: number | null,
): Promise<number | undefined> {
  if (!/^\d{6}$/.test(code)) return undefined;
  const result = await verify({
    secret,
    token: code,
    epoch: Math.floor(at.getTime() / 1000),
    epochTolerance: 30,
    ...(lastStep !== null ? { afterTimeStep: lastStep } : {}),
  });
  return result.valid && 'timeStep' in result ? result.timeStep : undefined;
}

/** The enrolment QR code as inline SVG, rendered on the server (no third-party requests). */
export async function enrolmentQrSvg(secret: string, label: string, issuer: string): Promise<string> {
  const uri = generateURI({ issuer, label, secret });
  return QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
}

/** Spaces every four characters so the secret can be typed from the screen. */
export function formatSecretForTyping(secret: string): string {
  return secret.replace(/(.{4})/g, '$1 ').trim();
}
