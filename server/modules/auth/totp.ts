import { generateSecret, generateSync, generateURI, verifySync } from 'otplib';
import QRCode from 'qrcode';

/**
 * TOTP (RFC 6238) with otplib 13: SHA-1, 6 digits, 30 s steps, the defaults every authenticator app reads. Time
 * comes from the caller (the Clock port), never from Date.now(), so tests can move it.
 */
const PERIOD_S = 30;
/** ±1 step: a code from the previous or next 30 s window is still accepted (clock drift, typing time). */
const TOLERANCE_S = PERIOD_S;
const ISSUER = 'OneCall';

/** A new random secret (20 bytes, Base32). */
export function newTotpSecret(): string {
  return generateSecret();
}

/** The code of `secret` at `at` (tests, and nothing else on the server). */
export function totpCodeAt(secret: string, at: Date): string {
  return generateSync({ secret, epoch: Math.floor(at.getTime() / 1000) });
}

/**
 * The time step the code matched, or null. A step at or before `lastStep` is refused: one code cannot be used twice
 * (nor an older one after a newer was used).
 */
export function verifyTotp(secret: string, code: string, at: Date, lastStep: number | null): number | null {
  try {
    const result = verifySync({
      secret,
      token: code,
      epoch: Math.floor(at.getTime() / 1000),
      epochTolerance: TOLERANCE_S,
      ...(lastStep !== null ? { afterTimeStep: lastStep } : {}),
    });
    return result.valid && 'timeStep' in result ? result.timeStep : null;
  } catch {
    // otplib throws on malformed tokens; the contract already requires six digits, so this is a wrong code.
    return null;
  }
}

/** What the enrolment screen shows: the otpauth URI as a QR code (data: URL) and the secret for manual entry. */
export async function enrolmentOf(secret: string, login: string): Promise<{ secret: string; otpauthUri: string; qrDataUrl: string }> {
  const otpauthUri = generateURI({ issuer: ISSUER, label: login, secret });
  const qrDataUrl = await QRCode.toDataURL(otpauthUri, { errorCorrectionLevel: 'M', margin: 1, width: 220 });
  return { secret, otpauthUri, qrDataUrl };
}
