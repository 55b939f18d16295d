import ipaddr from 'ipaddr.js';
import { AppError } from '../../../core/errors';
import type { AppDeps } from '../../deps';
import {
  deleteStaleThrottles,
  findLockedThrottles,
  recordThrottledFailure,
  type ThrottleKey,
} from './auth.repository';

/*
 * Limits on guessing (issue #10, finding 7; 개인정보의 안전성 확보조치 기준 제5조⑥), chosen so that an answer never
 * tells whether a login exists and nobody can lock someone else out from elsewhere:
 *
 * - Per (login, client address). SIGN_IN_MAX_FAILURES failures of one login from one address (a wrong password,
 *   an unknown or disabled login, a wrong TOTP code; each less than SIGN_IN_LOCKOUT_MINUTES after the one before)
 *   refuse that login from that address for SIGN_IN_LOCKOUT_MINUTES with ACCOUNT_LOCKED, even with the right
 *   password. The count is kept by the login as typed, not by account, so an unknown login "locks" exactly like a
 *   known one: same status, code, message, and the same work (argon2 against a dummy hash, the same writes) before
 *   it. A locked pair is refused before any password check, for known and unknown logins alike. Someone guessing
 *   `admin` locks `admin` only for his own address: the real admin signs in from hers.
 * - Per client address, across logins. SIGN_IN_IP_MAX_FAILURES failures from one address refuse every sign-in from
 *   it for SIGN_IN_LOCKOUT_MINUTES with 429 RATE_LIMITED (the same answer whatever the login). This bounds guessing
 *   across many logins, and argon2 work, per address. Successes do not count: a centre whose agents share one NAT
 *   address is not throttled by signing in, only by failing.
 * - On top, the route's rate limit per (address, login) and minute (SIGN_IN_RATE_PER_MINUTE).
 *
 * An IPv6 client counts by its /64 (one host usually owns the whole prefix); an IPv4-mapped address as the IPv4 one.
 * Logins are kept as their keyed blind index: someone typing a password into the login field leaves nothing readable.
 * What remains: many addresses (a botnet) each get SIGN_IN_MAX_FAILURES guesses per login per period; passwords follow
 * the policy, and supervisors and admins also need their TOTP code.
 *
 * The change-password form (내 보안 설정) counts a wrong current password under its own key per user, so it neither
 * locks the user's sign-in nor is locked by failures of sign-in; after SIGN_IN_MAX_FAILURES the form refuses for
 * SIGN_IN_LOCKOUT_MINUTES.
 */

/** The client address as throttles count it. */
export function throttleAddressOf(ip: string | null | undefined): string {
  if (!ip || !ipaddr.isValid(ip)) return 'unknown';
  const addr = ipaddr.parse(ip);
  if (addr.kind() === 'ipv4') return addr.toString();
  const v6 = addr as ipaddr.IPv6;
  if (v6.isIPv4MappedAddress()) return v6.toIPv4Address().toString();
  const prefix = v6.toNormalizedString().split(':').slice(0, 4).join(':');
  return ipaddr.IPv6.parse(`${prefix}::`).toString() + '/64';
}

export function loginSubjectOf(deps: AppDeps, login: string): string {
  return deps.vault.blindIndex('sign-in-login', login);
}

/** The keys one sign-in attempt counts under. */
export function signInKeys(deps: AppDeps, login: string, ip: string | null): { byLogin: ThrottleKey; byAddress: ThrottleKey } {
  const address = throttleAddressOf(ip);
  return { byLogin: { scope: 'login', subject: loginSubjectOf(deps, login), ip: address }, byAddress: { scope: 'ip', subject: '', ip: address } };
}

export function passwordFormKey(userId: string): ThrottleKey {
  return { scope: 'password', subject: userId, ip: '' };
}

/** Throws when a key is locked: the address's lock first (its answer is the same for every login). */
export async function assertNotThrottled(deps: AppDeps, keys: readonly ThrottleKey[], now: Date): Promise<void> {
  const locked = await findLockedThrottles(deps.db, keys, now.toISOString());
  if (locked.has('ip')) throw addressThrottled(deps);
  if (locked.has('login')) throw loginLocked(deps);
  if (locked.has('password')) throw passwordFormThrottled(deps);
}

/** Counts one failure under `key`; true when this failure locked it. */
export async function countThrottledFailure(deps: AppDeps, key: ThrottleKey, now: Date): Promise<boolean> {
  const windowStart = new Date(now.getTime() - deps.config.signInLockoutMs).toISOString();
  const lockUntil = new Date(now.getTime() + deps.config.signInLockoutMs).toISOString();
  const maxFailures = key.scope === 'ip' ? deps.config.signInIpMaxFailures : deps.config.signInMaxFailures;
  await deleteStaleThrottles(deps.db, windowStart, now.toISOString());
  const lockedUntil = await recordThrottledFailure(deps.db, key, { now: now.toISOString(), windowStart, maxFailures, lockUntil });
  return lockedUntil !== null && Date.parse(lockedUntil) > now.getTime();
}

function minutesOf(deps: AppDeps): number {
  return Math.round(deps.config.signInLockoutMs / 60_000);
}

/** The wording names no account: it must read the same for a login that does not exist. */
export function loginLocked(deps: AppDeps): AppError {
  return new AppError(
    'ACCOUNT_LOCKED',
    `로그인에 ${deps.config.signInMaxFailures}회 연속 실패하여 이 접속 위치에서 이 아이디로 로그인할 수 없습니다. ${minutesOf(deps)}분 후에 다시 시도하거나 관리자에게 문의하세요.`,
  );
}

function addressThrottled(deps: AppDeps): AppError {
  return new AppError('RATE_LIMITED', `이 접속 위치에서 로그인 실패가 너무 많습니다. ${minutesOf(deps)}분 후에 다시 시도하세요.`);
}

export function passwordFormThrottled(deps: AppDeps): AppError {
  return new AppError('RATE_LIMITED', `현재 비밀번호를 여러 번 잘못 입력했습니다. ${minutesOf(deps)}분 후에 다시 시도하세요.`);
}
