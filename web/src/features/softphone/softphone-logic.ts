import { z } from 'zod';

/**
 * The softphone's pure rules (issue #17 §2): what the desk shows for the registration, which Korean message a
 * microphone failure gets, when the credentials are renewed and how long to wait before trying again.
 */

/** GET /api/softphone/credentials (the route service's contract, docs/TELEPHONY-SIP.md). */
export const SoftphoneCredentialsSchema = z.object({
  wsUrl: z.string().min(1),
  sipDomain: z.string().min(1),
  aor: z.string().startsWith('sip:'),
  authorizationUsername: z.string().min(1),
  password: z.string(),
  expiresAt: z.string(),
  iceServers: z
    .array(
      z.object({
        urls: z.union([z.string(), z.array(z.string())]),
        username: z.string().optional(),
        credential: z.string().optional(),
      }),
    )
    .default([]),
});
export type SoftphoneCredentials = z.infer<typeof SoftphoneCredentialsSchema>;

/** The three words the desk shows: 등록됨 / 연결 중 / 연결 끊김. */
export type RegistrationView = 'connecting' | 'registered' | 'disconnected';

/** The registration as the desk shows it, from the WebSocket's and the Registerer's state. */
export function registrationView(input: { transport: 'connecting' | 'connected' | 'disconnected'; registered: boolean; gaveUp: boolean }): RegistrationView {
  if (input.transport === 'connected' && input.registered) return 'registered';
  if (input.gaveUp) return 'disconnected';
  if (input.transport === 'disconnected' && !input.registered) return 'disconnected';
  return 'connecting';
}

export type MediaProblem = 'denied' | 'noDevice' | 'inUse' | 'insecure' | 'other';

/** A getUserMedia failure → the Korean message key under softphone.media (권한 거부, 장치 없음, 다른 앱 사용 중). */
export function mediaProblem(error: unknown): MediaProblem {
  const name = typeof error === 'object' && error !== null && 'name' in error ? String((error as { name: unknown }).name) : '';
  switch (name) {
    case 'NotAllowedError':
    case 'PermissionDeniedError':
    case 'SecurityError':
      return 'denied';
    case 'NotFoundError':
    case 'DevicesNotFoundError':
    case 'OverconstrainedError':
      return 'noDevice';
    case 'NotReadableError':
    case 'TrackStartError':
    case 'AbortError':
      return 'inUse';
    case 'NoMediaDevices':
      return 'insecure';
    default:
      return 'other';
  }
}

/**
 * When to fetch fresh credentials: at 80 % of their remaining life or a minute before they expire, whichever comes
 * first; never sooner than 5 s (a clock off by minutes must not make the desk ask in a loop).
 */
export function renewDelayMs(expiresAt: string, now: number): number {
  const left = Date.parse(expiresAt) - now;
  if (!Number.isFinite(left)) return 5_000;
  return Math.round(Math.max(5_000, Math.min(left - 60_000, left * 0.8)));
}

/** Waits before reconnecting after a failure: 2, 4, 8, 16, then 30 s. */
export function retryDelayMs(attempt: number): number {
  return Math.min(30_000, 2_000 * 2 ** Math.max(0, attempt - 1));
}

/** The SIP address of a transfer target (an extension or a department number, as the directory gives it). */
export function targetUri(target: string, sipDomain: string): string {
  const t = target.trim();
  if (/^sips?:/i.test(t)) return t;
  return `sip:${t.replace(/[^0-9A-Za-z*#+._-]/g, '')}@${sipDomain}`;
}
