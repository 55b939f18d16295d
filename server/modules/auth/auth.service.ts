import { createHash, randomBytes } from 'node:crypto';
import type { Me } from '../../../core/contracts/auth';
import { AppError } from '../../../core/errors';
import type { AppDeps } from '../../deps';
import type { SessionUser } from '../../http/access';
import {
  clearFailedSignIns,
  deleteSession,
  findSessionUser,
  findUserByLogin,
  insertSession,
  recordFailedSignIn,
  touchSession,
} from './auth.repository';
import { dummyPasswordHash, verifyPassword } from './passwords';

const TOUCH_INTERVAL_MS = 60_000;

/** Sessions are stored by the SHA-256 of their token; the token itself only lives in the user's cookie. */
export function sessionIdOf(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export async function signIn(
  deps: AppDeps,
  input: { login: string; password: string; ip: string | null; userAgent: string | null },
): Promise<{ token: string; me: Me; expiresAt: Date }> {
  const now = deps.clock.now();
  const user = await findUserByLogin(deps.db, input.login);
  // The password is verified on every path (unknown login: against a dummy hash) so that time tells nothing.
  const ok = user ? await verifyPassword(user.password_hash, input.password) : await verifyPassword(await dummyPasswordHash(), input.password);
  if (!user || user.is_active !== 1) throw invalidCredentials();
  // While locked even the right password is refused, and failures do not extend the lock.
  if (isLocked(user.locked_until, now)) throw accountLocked(deps);
  if (!ok) {
    const lockUntil = new Date(now.getTime() + deps.config.signInLockoutMs).toISOString();
    const lockedUntil = await recordFailedSignIn(deps.db, user.id, deps.config.signInMaxFailures, lockUntil);
    throw isLocked(lockedUntil, now) ? accountLocked(deps) : invalidCredentials();
  }
  if (user.failed_sign_ins !== 0 || user.locked_until !== null) await clearFailedSignIns(deps.db, user.id);

  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + deps.config.sessionTtlMs);
  await insertSession(deps.db, {
    id: sessionIdOf(token),
    user_id: user.id,
    created_at: now.toISOString(),
    last_seen_at: now.toISOString(),
    expires_at: expiresAt.toISOString(),
    ip: input.ip,
    user_agent: input.userAgent?.slice(0, 300) ?? null,
  });
  const session = await findSessionUser(deps.db, sessionIdOf(token), now.toISOString());
  if (!session) throw new AppError('INTERNAL_ERROR', 'session not readable after insert');
  return { token, expiresAt, me: toMe(session) };
}

function isLocked(lockedUntil: string | null, now: Date): boolean {
  return lockedUntil !== null && Date.parse(lockedUntil) > now.getTime();
}

function invalidCredentials(): AppError {
  return new AppError('INVALID_CREDENTIALS', '아이디 또는 비밀번호가 올바르지 않습니다.');
}

/** 개인정보 안전성 확보조치 기준 제5조⑥: access is limited after repeated failed sign-ins. */
function accountLocked(deps: AppDeps): AppError {
  const minutes = Math.round(deps.config.signInLockoutMs / 60_000);
  return new AppError(
    'ACCOUNT_LOCKED',
    `로그인에 ${deps.config.signInMaxFailures}회 연속 실패하여 계정이 잠겼습니다. ${minutes}분 후에 다시 시도하거나 관리자에게 문의하세요.`,
  );
}

/** The user behind a session token, or null; refreshes last-seen at most once a minute. */
export async function resolveSession(deps: AppDeps, token: string): Promise<SessionUser | null> {
  const now = deps.clock.now();
  const sessionId = sessionIdOf(token);
  const cached = deps.caches.sessions.get(sessionId, now.getTime());
  if (cached && Date.parse(cached.expiresAt) > now.getTime()) return cached;
  const row = await findSessionUser(deps.db, sessionId, now.toISOString());
  if (!row) return null;
  if (now.getTime() - Date.parse(row.lastSeenAt) > TOUCH_INTERVAL_MS) await touchSession(deps.db, row.sessionId, now.toISOString());
  const user = {
    id: row.id,
    login: row.login,
    name: row.name,
    role: row.role,
    departmentId: row.departmentId,
    departmentName: row.departmentName,
    sessionId: row.sessionId,
  };
  deps.caches.sessions.set(sessionId, { ...user, expiresAt: row.expiresAt }, now.getTime());
  return user;
}

export async function signOut(deps: AppDeps, sessionId: string): Promise<void> {
  deps.caches.sessions.delete(sessionId);
  await deleteSession(deps.db, sessionId);
}

export function toMe(u: Pick<SessionUser, 'id' | 'login' | 'name' | 'role' | 'departmentId' | 'departmentName'>): Me {
  return { id: u.id, login: u.login, name: u.name, role: u.role, departmentId: u.departmentId, departmentName: u.departmentName };
}
