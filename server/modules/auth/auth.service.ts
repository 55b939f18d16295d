import { createHash, randomBytes } from 'node:crypto';
import { activityRefreshMs, type Me, type SignInStep } from '../../../core/contracts/auth';
import type { Role } from '../../../core/contracts/enums';
import { AppError } from '../../../core/errors';
import type { Config } from '../../config';
import type { AppDeps, Db } from '../../deps';
import { newId } from '../../lib/ids';
import type { SessionUser } from '../../http/access';
import {
  advanceTotpStep,
  deleteChallenge,
  deleteExpiredChallenges,
  deleteSession,
  deleteThrottle,
  enableTotp,
  findChallenge,
  findSessionUser,
  findUserById,
  findUserByLogin,
  insertChallenge,
  insertSecurityEvent,
  insertSession,
  replaceTemporaryPassword,
  touchSession,
  type ThrottleKey,
} from './auth.repository';
import { assertNotThrottled, countThrottledFailure, loginLocked, signInKeys } from './sign-in-throttle';
import { enrolmentOf, newTotpSecret, verifyTotp } from './totp';
import { checkPassword, DEFAULT_PASSWORD_POLICY } from '../../../core/domain/password-policy';
import { dummyPasswordHash, hashPassword, verifyPassword } from './passwords';

/** Sessions are stored by the SHA-256 of their token; the token itself only lives in the user's cookie. */
export function sessionIdOf(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** How long the step between a right password and a right code lives. */
const CHALLENGE_TTL_MS = 5 * 60_000;

type Client = { ip: string | null; userAgent: string | null };
type NewSession = { token: string; me: Me; expiresAt: Date };
export type SignInResult = ({ kind: 'session' } & NewSession) | { kind: 'step'; step: SignInStep };

/** Whether a role must sign in with TOTP (TOTP_REQUIRED_FOR: supervisors and admins by default, or everyone). */
export function isTotpRequired(config: Config, role: Role): boolean {
  return config.totpRequiredFor === 'all' || role === 'supervisor' || role === 'admin';
}

/**
 * Step one of signing in: the password. With 2FA enabled (or required but not yet enrolled) the answer is a
 * pending step, not a session: only a right code turns it into one (completeSignIn). Locks and counts are per
 * (login, address) and per address, the same for unknown logins (sign-in-throttle.ts).
 */
export async function signIn(deps: AppDeps, input: { login: string; password: string } & Client): Promise<SignInResult> {
  const now = deps.clock.now();
  const keys = signInKeys(deps, input.login, input.ip);
  // While locked even the right password is refused, before any look-up, and failures do not extend the lock.
  await assertNotThrottled(deps, [keys.byLogin, keys.byAddress], now);
  const user = await findUserByLogin(deps.db, input.login);
  // The password is verified on every path (unknown login: against a dummy hash) so that time tells nothing.
  const ok = user ? await verifyPassword(user.password_hash, input.password) : await verifyPassword(await dummyPasswordHash(), input.password);
  if (!user || user.is_active !== 1 || !ok) return countFailure(deps, keys, now, invalidCredentials);

  // A temporary password (set by the admin) is replaced first; the login's count stays until then.
  if (user.must_change_password === 1) return { kind: 'step', step: await openChallenge(deps, user, 'password', null, input, now) };
  return afterPassword(deps, user, keys, input, now);
}

/**
 * What follows a right (or newly chosen) password: the TOTP step, a first enrolment when 2FA is required, or the
 * session.
 */
async function afterPassword(
  deps: AppDeps,
  user: { id: string; login: string; role: Role; totp_secret: string | null },
  keys: { byLogin: ThrottleKey },
  client: Client,
  now: Date,
): Promise<SignInResult> {
  // With a second step the count stays until its code is right (else a known password would reset code guessing).
  if (user.totp_secret !== null) return { kind: 'step', step: await openChallenge(deps, user, 'totp', null, client, now) };
  if (isTotpRequired(deps.config, user.role)) {
    const secret = newTotpSecret();
    const step = await openChallenge(deps, user, 'enrol', deps.vault.seal(secret), client, now);
    return { kind: 'step', step: { ...step, enrolment: await enrolmentOf(secret, user.login) } };
  }
  // A success clears the login's count from this address; the address's count of failures stays.
  await deleteThrottle(deps.db, keys.byLogin);
  return { kind: 'session', ...(await createSession(deps, deps.db, user.id, client, now)) };
}

/**
 * Sign-in with a temporary password, step two: the new password (password policy, not the temporary one). It is
 * stored, the mark cleared and the event recorded in one transaction; then the sign-in goes on as after any right
 * password (TOTP step, enrolment or session).
 */
export async function completePasswordChange(deps: AppDeps, input: { challenge: string; newPassword: string } & Client): Promise<SignInResult> {
  const now = deps.clock.now();
  const restart = () => new AppError('TWO_FACTOR_INVALID', '로그인 확인 시간이 지났습니다. 처음부터 다시 로그인하세요.', { restart: true });
  const challenge = await findChallenge(deps.db, sessionIdOf(input.challenge), now.toISOString());
  if (!challenge || challenge.purpose !== 'password') throw restart();
  const user = await findUserById(deps.db, challenge.user_id);
  if (!user || user.is_active !== 1 || user.must_change_password !== 1) throw restart();
  if (await verifyPassword(user.password_hash, input.newPassword)) {
    throw new AppError('VALIDATION_FAILED', '임시 비밀번호와 다른 새 비밀번호를 정하세요.', { problems: ['same_as_current'] });
  }
  const check = checkPassword(input.newPassword, user.login, DEFAULT_PASSWORD_POLICY);
  if (!check.ok) throw new AppError('VALIDATION_FAILED', '새 비밀번호가 규칙에 맞지 않습니다.', { problems: check.problems });
  const hash = await hashPassword(input.newPassword);
  await deps.db.transaction().execute(async (trx) => {
    if (!(await deleteChallenge(trx, challenge.id))) throw restart();
    await replaceTemporaryPassword(trx, user.id, hash, now.toISOString());
    await recordSecurityEvent(trx, now, user.id, user.id, 'password_changed', input.ip);
  });
  return afterPassword(deps, user, signInKeys(deps, user.login, input.ip), input, now);
}

async function openChallenge(
  deps: AppDeps,
  user: { id: string },
  purpose: 'totp' | 'enrol' | 'password',
  pendingSecret: string | null,
  client: Client,
  now: Date,
): Promise<SignInStep> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + CHALLENGE_TTL_MS).toISOString();
  await deleteExpiredChallenges(deps.db, now.toISOString());
  await insertChallenge(deps.db, {
    id: sessionIdOf(token),
    user_id: user.id,
    purpose,
    pending_secret: pendingSecret,
    created_at: now.toISOString(),
    expires_at: expiresAt,
    ip: client.ip,
    user_agent: client.userAgent?.slice(0, 300) ?? null,
  });
  return { next: purpose, challenge: token, expiresAt };
}

/**
 * Step two: the pending step's token and a TOTP code (for an enrolment, the first code of the new secret, which
 * enables it). A wrong or replayed code counts towards the lockout like a wrong password.
 */
export async function completeSignIn(deps: AppDeps, input: { challenge: string; code: string } & Client): Promise<NewSession> {
  const now = deps.clock.now();
  const challenge = await findChallenge(deps.db, sessionIdOf(input.challenge), now.toISOString());
  if (!challenge) throw new AppError('TWO_FACTOR_INVALID', '로그인 확인 시간이 지났습니다. 처음부터 다시 로그인하세요.', { restart: true });
  const user = await findUserById(deps.db, challenge.user_id);
  // A temporary password's step is ended by a new password (completePasswordChange), never by a code.
  if (!user || user.is_active !== 1 || challenge.purpose === 'password') {
    throw new AppError('TWO_FACTOR_INVALID', '로그인 확인 시간이 지났습니다. 처음부터 다시 로그인하세요.', { restart: true });
  }
  const keys = signInKeys(deps, user.login, input.ip);
  try {
    await assertNotThrottled(deps, [keys.byLogin, keys.byAddress], now);
  } catch (err) {
    // The pending step ends with the lock; an address refused says so, so the screen goes back to the password.
    await deleteChallenge(deps.db, challenge.id);
    throw err instanceof AppError && err.code === 'RATE_LIMITED' ? new AppError(err.code, err.message, { restart: true }) : err;
  }
  const sealed = challenge.purpose === 'enrol' ? challenge.pending_secret : user.totp_secret;
  // An admin may have reset 2FA (or it was enabled elsewhere) since the password step: start again.
  if (!sealed || (challenge.purpose === 'enrol' && user.totp_secret !== null)) {
    await deleteChallenge(deps.db, challenge.id);
    throw new AppError('TWO_FACTOR_INVALID', '로그인 확인 시간이 지났습니다. 처음부터 다시 로그인하세요.', { restart: true });
  }
  const step = verifyTotp(deps.vault.open(sealed), input.code, now, challenge.purpose === 'totp' ? user.totp_last_step : null);
  if (step === null) return countFailure(deps, keys, now, wrongCode, challenge.id);

  return deps.db.transaction().execute(async (trx) => {
    // One statement each decides a race: the step must move forward, and the challenge must still be there.
    if (challenge.purpose === 'totp' && !(await advanceTotpStep(trx, user.id, step))) throw wrongCode();
    if (!(await deleteChallenge(trx, challenge.id))) throw new AppError('TWO_FACTOR_INVALID', '로그인 확인 시간이 지났습니다. 처음부터 다시 로그인하세요.', { restart: true });
    if (challenge.purpose === 'enrol') {
      await enableTotp(trx, user.id, sealed, step, now.toISOString());
      await recordSecurityEvent(trx, now, user.id, user.id, 'totp_enrolled', input.ip);
    }
    const session = await createSession(deps, trx, user.id, input, now);
    await deleteThrottle(trx, keys.byLogin);
    return session;
  });
}

/**
 * Counts a failure under the login's and the address's keys and throws: ACCOUNT_LOCKED when this one locked the
 * login (the pending TOTP step it came from goes with it), else `error()`.
 */
async function countFailure(
  deps: AppDeps,
  keys: { byLogin: ThrottleKey; byAddress: ThrottleKey },
  now: Date,
  error: () => AppError,
  challengeId?: string,
): Promise<never> {
  await countThrottledFailure(deps, keys.byAddress, now);
  if (await countThrottledFailure(deps, keys.byLogin, now)) {
    if (challengeId) await deleteChallenge(deps.db, challengeId);
    throw loginLocked(deps);
  }
  throw error();
}

function wrongCode(): AppError {
  return new AppError('TWO_FACTOR_INVALID', '인증 코드가 올바르지 않거나 이미 사용되었습니다. 앱에 표시된 새 코드를 입력하세요.');
}

async function createSession(deps: AppDeps, db: Db, userId: string, client: Client, now: Date): Promise<NewSession> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + deps.config.sessionTtlMs);
  await insertSession(db, {
    id: sessionIdOf(token),
    user_id: userId,
    created_at: now.toISOString(),
    last_seen_at: now.toISOString(),
    expires_at: expiresAt.toISOString(),
    ip: client.ip,
    user_agent: client.userAgent?.slice(0, 300) ?? null,
  });
  const session = await findSessionUser(db, sessionIdOf(token), now.toISOString());
  if (!session) throw new AppError('INTERNAL_ERROR', 'session not readable after insert');
  return { token, expiresAt, me: toMe(session) };
}

export async function recordSecurityEvent(db: Db, now: Date, userId: string, actorId: string | null, action: string, ip: string | null): Promise<void> {
  await insertSecurityEvent(db, { id: newId(now.getTime()), occurred_at: now.toISOString(), user_id: userId, actor_id: actorId, action, ip });
}

function invalidCredentials(): AppError {
  return new AppError('INVALID_CREDENTIALS', '아이디 또는 비밀번호가 올바르지 않습니다.');
}

/**
 * The user behind a session token; 'expired' when the session went idle for longer than IDLE_TIMEOUT_MINUTES
 * (제6조④), null when there is none. Activity (a request not marked as background) refreshes last-seen once it is
 * older than activityRefreshMs (a minute, or half the limit when that is shorter: with IDLE_TIMEOUT_MINUTES=1 a
 * once-a-minute refresh ended sessions in use), so a session ends between IDLE minus that interval and IDLE after
 * the last activity. The 5 s cache keeps the
 * last-seen time it read or wrote, and the idle rule is applied to cached entries too: the cache never extends a
 * dead session.
 */
export async function resolveSession(deps: AppDeps, token: string, isActivity = true): Promise<SessionUser | 'expired' | null> {
  const now = deps.clock.now();
  const nowMs = now.getTime();
  const sessionId = sessionIdOf(token);
  const cached = deps.caches.sessions.get(sessionId, nowMs);
  let entry = cached && Date.parse(cached.expiresAt) > nowMs ? cached : undefined;
  if (!entry) {
    const row = await findSessionUser(deps.db, sessionId, now.toISOString());
    if (!row) return null;
    // 2FA required but not enabled (reset by an admin, or TOTP_REQUIRED_FOR changed): the session is no longer valid.
    if (row.totpEnabledAt === null && isTotpRequired(deps.config, row.role)) return null;
    entry = {
      id: row.id,
      login: row.login,
      name: row.name,
      role: row.role,
      departmentId: row.departmentId,
      departmentName: row.departmentName,
      sessionId: row.sessionId,
      ...(row.kind === 'display' ? { display: true } : {}),
      expiresAt: row.expiresAt,
      lastSeenAt: row.lastSeenAt,
    };
    deps.caches.sessions.set(sessionId, entry, nowMs);
  }
  const idleMs = nowMs - Date.parse(entry.lastSeenAt);
  // A wall-TV display has nobody at its keyboard: it is never idle, and reaches only the wallboard.
  if (entry.display) {
    const { expiresAt: _e, lastSeenAt: _l, ...display } = entry;
    return display;
  }
  if (idleMs >= deps.config.idleTimeoutMs) {
    deps.caches.sessions.delete(sessionId);
    return 'expired';
  }
  if (isActivity && idleMs > activityRefreshMs(deps.config.idleTimeoutMs)) await touch(deps, sessionId, entry, now);
  const { expiresAt: _e, lastSeenAt: _l, ...user } = entry;
  return user;
}

/**
 * Whether a session may still hold a live connection (the realtime socket re-checks its session with this, so that
 * revocation, sign-out, expiry, idle sign-out and a 2FA reset also end open sockets). Reads the database, not the cache.
 */
export async function isSessionAlive(deps: AppDeps, sessionId: string): Promise<boolean> {
  const now = deps.clock.now();
  const row = await findSessionUser(deps.db, sessionId, now.toISOString());
  if (!row) return false;
  if (row.totpEnabledAt === null && isTotpRequired(deps.config, row.role)) return false;
  return row.kind === 'display' || now.getTime() - Date.parse(row.lastSeenAt) < deps.config.idleTimeoutMs;
}

async function touch(deps: AppDeps, sessionId: string, entry: CachedSession, now: Date): Promise<void> {
  await touchSession(deps.db, sessionId, now.toISOString());
  deps.caches.sessions.set(sessionId, { ...entry, lastSeenAt: now.toISOString() }, now.getTime());
}

type CachedSession = SessionUser & { expiresAt: string; lastSeenAt: string };

/** "계속 사용": records activity now, whatever the refresh interval; answers when the session would go idle. */
export async function keepSessionAlive(deps: AppDeps, user: SessionUser): Promise<{ idleExpiresAt: string }> {
  const now = deps.clock.now();
  await touchSession(deps.db, user.sessionId, now.toISOString());
  deps.caches.sessions.delete(user.sessionId);
  return { idleExpiresAt: new Date(now.getTime() + deps.config.idleTimeoutMs).toISOString() };
}

/**
 * 상황판 표시 모드: this browser becomes a wall-TV display of the wallboard. The supervisor's own session here ends and
 * a display session of DISPLAY_SESSION_DAYS takes its place (same user, kind 'display'): it reaches only the routes
 * marked for displays and is never idle-signed-out; the supervisor ends it from 내 보안 설정 (or an admin).
 */
export async function startDisplaySession(deps: AppDeps, user: SessionUser, client: Client): Promise<NewSession> {
  if (user.display) throw new AppError('DISPLAY_ONLY', '이미 상황판 표시 화면입니다.');
  const now = deps.clock.now();
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + deps.config.displaySessionMs);
  const me = await deps.db.transaction().execute(async (trx) => {
    await deleteSession(trx, user.sessionId);
    await insertSession(trx, {
      id: sessionIdOf(token),
      user_id: user.id,
      created_at: now.toISOString(),
      last_seen_at: now.toISOString(),
      expires_at: expiresAt.toISOString(),
      ip: client.ip,
      user_agent: client.userAgent?.slice(0, 300) ?? null,
      kind: 'display',
    });
    await recordSecurityEvent(trx, now, user.id, user.id, 'display_session_started', client.ip);
    return toMe(user);
  });
  deps.caches.sessions.delete(user.sessionId);
  return { token, expiresAt, me: { ...me, display: true } };
}

export async function signOut(deps: AppDeps, sessionId: string): Promise<void> {
  deps.caches.sessions.delete(sessionId);
  await deleteSession(deps.db, sessionId);
}

export function toMe(u: Pick<SessionUser, 'id' | 'login' | 'name' | 'role' | 'departmentId' | 'departmentName' | 'display'>): Me {
  return { id: u.id, login: u.login, name: u.name, role: u.role, departmentId: u.departmentId, departmentName: u.departmentName, ...(u.display ? { display: true } : {}) };
}
