import type { MySecurity, SessionInfo, TotpEnrolment, UserSecurity } from '../../../core/contracts/auth';
import { checkPassword, DEFAULT_PASSWORD_POLICY } from '../../../core/domain/password-policy';
import { AppError } from '../../../core/errors';
import type { AppDeps } from '../../deps';
import type { SessionUser } from '../../http/access';
import {
  deleteChallengesOfUser,
  deleteSessionOfUser,
  deleteSessionsOfUser,
  enableTotp,
  findUserById,
  listSessionsOfUser,
  deleteThrottle,
  deleteThrottlesOfUser,
  listLoginThrottles,
  listUsersSecurity,
  resetTotp,
  setPendingTotpSecret,
  updatePasswordHash,
} from './auth.repository';
import { isTotpRequired, recordSecurityEvent } from './auth.service';
import { assertNotThrottled, countThrottledFailure, loginSubjectOf, passwordFormKey, passwordFormThrottled } from './sign-in-throttle';
import { hashPassword, verifyPassword } from './passwords';
import { enrolmentOf, newTotpSecret, verifyTotp } from './totp';

/**
 * Account security: a user's own sessions, password and 2FA (내 보안 설정), and the admin's view of every account
 * (unlock, reset 2FA, revoke sessions). Revoking drops the session from this process's cache at once.
 */

type Actor = Pick<SessionUser, 'id' | 'sessionId'> & { ip: string | null };

export async function getMySecurity(deps: AppDeps, me: SessionUser): Promise<MySecurity> {
  const user = await getUser(deps, me.id);
  return {
    totpEnabled: user.totp_secret !== null,
    totpRequired: isTotpRequired(deps.config, user.role),
    idleTimeoutMinutes: Math.round(deps.config.idleTimeoutMs / 60_000),
    passwordChangedAt: user.password_changed_at,
    sessions: await liveSessions(deps, me.id, me.sessionId),
  };
}

/** Sessions that can still be used: unexpired and not idle past the limit. */
async function liveSessions(deps: AppDeps, userId: string, currentId: string | null): Promise<SessionInfo[]> {
  const now = deps.clock.now();
  const rows = await listSessionsOfUser(deps.db, userId, now.toISOString());
  return rows
    .filter((r) => r.kind === 'display' || now.getTime() - Date.parse(r.last_seen_at) < deps.config.idleTimeoutMs)
    .map((r) => ({
      id: r.id,
      createdAt: r.created_at,
      lastSeenAt: r.last_seen_at,
      expiresAt: r.expires_at,
      ip: r.ip,
      userAgent: r.user_agent,
      isCurrent: r.id === currentId,
      isDisplay: r.kind === 'display',
    }));
}

export async function revokeMySession(deps: AppDeps, me: Actor, sessionId: string): Promise<void> {
  if (!(await deleteSessionOfUser(deps.db, me.id, sessionId))) throw new AppError('NOT_FOUND', '해당 접속 세션이 없습니다.');
  deps.caches.sessions.delete(sessionId);
  await recordSecurityEvent(deps.db, deps.clock.now(), me.id, me.id, 'session_revoked', me.ip);
}

/**
 * Changing one's own password: the current one, the policy (core/domain/password-policy.ts), argon2id; every other
 * session of the user ends. A wrong current password counts under the form's own key, not the sign-in lockout (so a
 * user cannot lock himself out of signing in from here): SIGN_IN_MAX_FAILURES of them and the form refuses with
 * RATE_LIMITED for SIGN_IN_LOCKOUT_MINUTES (sign-in-throttle.ts).
 */
export async function changeMyPassword(deps: AppDeps, me: Actor & { login: string }, input: { currentPassword: string; newPassword: string }): Promise<void> {
  const now = deps.clock.now();
  const user = await getUser(deps, me.id);
  const formKey = passwordFormKey(user.id);
  await assertNotThrottled(deps, [formKey], now);
  if (!(await verifyPassword(user.password_hash, input.currentPassword))) {
    if (await countThrottledFailure(deps, formKey, now)) throw passwordFormThrottled(deps);
    throw new AppError('WRONG_PASSWORD', '현재 비밀번호가 올바르지 않습니다.');
  }
  await deleteThrottle(deps.db, formKey);
  if (input.newPassword === input.currentPassword) {
    throw new AppError('VALIDATION_FAILED', '새 비밀번호는 현재 비밀번호와 달라야 합니다.', { problems: ['same_as_current'] });
  }
  const check = checkPassword(input.newPassword, user.login, DEFAULT_PASSWORD_POLICY);
  if (!check.ok) throw new AppError('VALIDATION_FAILED', '새 비밀번호가 규칙에 맞지 않습니다.', { problems: check.problems });
  const hash = await hashPassword(input.newPassword);
  const revoked = await deps.db.transaction().execute(async (trx) => {
    await updatePasswordHash(trx, user.id, hash, now.toISOString());
    // A sign-in half done with the old password must not finish either.
    await deleteChallengesOfUser(trx, user.id);
    const ids = await deleteSessionsOfUser(trx, user.id, me.sessionId);
    await recordSecurityEvent(trx, now, user.id, me.id, 'password_changed', me.ip);
    return ids;
  });
  for (const id of revoked) deps.caches.sessions.delete(id);
}

/** Starts enrolling 2FA from the security page: a new secret, kept sealed until its first code confirms it. */
export async function startTotpEnrolment(deps: AppDeps, me: SessionUser): Promise<TotpEnrolment> {
  const user = await getUser(deps, me.id);
  if (user.totp_secret !== null) throw new AppError('CONFLICT', '2단계 인증이 이미 설정되어 있습니다.');
  const secret = newTotpSecret();
  await setPendingTotpSecret(deps.db, user.id, deps.vault.seal(secret));
  return enrolmentOf(secret, user.login);
}

export async function confirmTotpEnrolment(deps: AppDeps, me: Actor, code: string): Promise<void> {
  const now = deps.clock.now();
  const user = await getUser(deps, me.id);
  if (user.totp_secret !== null) throw new AppError('CONFLICT', '2단계 인증이 이미 설정되어 있습니다.');
  if (!user.totp_pending_secret) throw new AppError('CONFLICT', '2단계 인증 등록을 먼저 시작하세요.');
  const step = verifyTotp(deps.vault.open(user.totp_pending_secret), code, now, null);
  if (step === null) throw new AppError('VALIDATION_FAILED', '인증 코드가 올바르지 않습니다. 앱에 표시된 코드를 입력하세요.', { field: 'code' });
  await deps.db.transaction().execute(async (trx) => {
    await enableTotp(trx, user.id, user.totp_pending_secret as string, step, now.toISOString());
    await recordSecurityEvent(trx, now, user.id, me.id, 'totp_enrolled', me.ip);
  });
}

// ── Admin ────────────────────────────────────────────────────────────────────────────────────────────────────────

/**
 * Every account's security state. Sign-in locks are per (login, address): lockedUntil is the latest lock of the
 * login from any address, failedSignIns the highest current count of failures from one address.
 */
export async function listUserSecurity(deps: AppDeps): Promise<UserSecurity[]> {
  const now = deps.clock.now();
  const idleCutoff = new Date(now.getTime() - deps.config.idleTimeoutMs).toISOString();
  const windowStart = new Date(now.getTime() - deps.config.signInLockoutMs).toISOString();
  const rows = await listUsersSecurity(deps.db, now.toISOString(), idleCutoff);
  const subjects = new Map(rows.map((r) => [loginSubjectOf(deps, r.login), r.id]));
  const throttles = await listLoginThrottles(deps.db, [...subjects.keys()], windowStart, now.toISOString());
  const locks = new Map<string, { lockedUntil: string | null; failures: number }>();
  for (const t of throttles) {
    const userId = subjects.get(t.subject);
    if (!userId) continue;
    const seen = locks.get(userId) ?? { lockedUntil: null, failures: 0 };
    const locked = t.locked_until !== null && Date.parse(t.locked_until) > now.getTime() ? t.locked_until : null;
    locks.set(userId, {
      lockedUntil: locked !== null && (seen.lockedUntil === null || Date.parse(locked) > Date.parse(seen.lockedUntil)) ? locked : seen.lockedUntil,
      failures: Date.parse(t.last_failure_at) > Date.parse(windowStart) ? Math.max(seen.failures, t.failures) : seen.failures,
    });
  }
  return rows.map((r) => ({
    id: r.id,
    login: r.login,
    name: r.name,
    role: r.role,
    departmentName: r.department_name,
    isActive: r.is_active === 1,
    lockedUntil: locks.get(r.id)?.lockedUntil ?? null,
    failedSignIns: locks.get(r.id)?.failures ?? 0,
    totpEnabled: r.totp_enabled_at !== null,
    totpRequired: isTotpRequired(deps.config, r.role),
    sessionCount: Number(r.session_count ?? 0),
  }));
}

export async function listSessionsOf(deps: AppDeps, userId: string): Promise<SessionInfo[]> {
  await getUser(deps, userId);
  return liveSessions(deps, userId, null);
}

export async function revokeSessionsOf(deps: AppDeps, actor: Actor, userId: string): Promise<void> {
  await getUser(deps, userId);
  const now = deps.clock.now();
  const ids = await deps.db.transaction().execute(async (trx) => {
    const deleted = await deleteSessionsOfUser(trx, userId);
    await deleteChallengesOfUser(trx, userId);
    await recordSecurityEvent(trx, now, userId, actor.id, 'sessions_revoked', actor.ip);
    return deleted;
  });
  for (const id of ids) deps.caches.sessions.delete(id);
}

/**
 * 제5조⑥ "or until an admin unlocks": clears the login's locks and counts from every address, and the password
 * form's; recorded. (An address throttled across logins is not an account's: it ends by itself.)
 */
export async function unlockAccount(deps: AppDeps, actor: Actor, userId: string): Promise<void> {
  const user = await getUser(deps, userId);
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    await deleteThrottlesOfUser(trx, loginSubjectOf(deps, user.login), user.id);
    await recordSecurityEvent(trx, now, userId, actor.id, 'account_unlocked', actor.ip);
  });
}

/**
 * Resets a user's 2FA (lost phone): the secret goes, and with it every session and pending sign-in, so the next
 * sign-in enrols again where 2FA is required.
 */
export async function resetTwoFactor(deps: AppDeps, actor: Actor, userId: string): Promise<void> {
  await getUser(deps, userId);
  const now = deps.clock.now();
  const ids = await deps.db.transaction().execute(async (trx) => {
    await resetTotp(trx, userId);
    await deleteChallengesOfUser(trx, userId);
    const deleted = await deleteSessionsOfUser(trx, userId);
    await recordSecurityEvent(trx, now, userId, actor.id, 'totp_reset', actor.ip);
    return deleted;
  });
  for (const id of ids) deps.caches.sessions.delete(id);
}

async function getUser(deps: AppDeps, userId: string) {
  const user = await findUserById(deps.db, userId);
  if (!user) throw new AppError('NOT_FOUND', '해당 사용자가 없습니다.');
  return user;
}
