import crypto from 'node:crypto';

/**
 * Ephemeral SIP credentials for browser agents (docs/TELEPHONY-SIP.md), TURN-REST style as Kamailio's auth_ephemeral
 * would check them: the username carries its expiry, the password is an HMAC of the username under the secret shared
 * with Kamailio. Kamailio asks OneCall for the expected password (http_client), so the scheme needs no Kamailio module
 * Debian 12 lacks.
 */
export type SipCredentials = { authorizationUsername: string; password: string; expiresAt: string };

export function sipPassword(secret: string, authorizationUsername: string): string {
  return crypto.createHmac('sha256', secret).update(authorizationUsername).digest('base64url');
}

export function issueSipCredentials(secret: string, login: string, nowMs: number, ttlSeconds: number): SipCredentials {
  const expires = Math.floor(nowMs / 1000) + ttlSeconds;
  const authorizationUsername = `${expires}:${login}`;
  return { authorizationUsername, password: sipPassword(secret, authorizationUsername), expiresAt: new Date(expires * 1000).toISOString() };
}

/** The login of a username that has not expired at `nowMs`, or null (malformed or expired). */
export function loginOfSipUsername(authorizationUsername: string, nowMs: number): string | null {
  const m = /^(\d{9,12}):([A-Za-z0-9._-]{1,64})$/.exec(authorizationUsername);
  if (!m) return null;
  if (Number(m[1]) * 1000 <= nowMs) return null;
  return m[2]!;
}
