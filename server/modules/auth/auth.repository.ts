import type { Db } from '../../db/database';
import type { SignInThrottleTable } from '../../db/tables';

export async function findUserByLogin(db: Db, login: string) {
  return db.selectFrom('users').selectAll().where('login', '=', login).executeTakeFirst();
}

export async function insertSession(
  db: Db,
  row: { id: string; user_id: string; created_at: string; last_seen_at: string; expires_at: string; ip: string | null; user_agent: string | null; kind?: 'user' | 'display' },
): Promise<void> {
  await db.insertInto('sessions').values(row).execute();
}

/** The session and its user, when the session exists, is unexpired and the user active. */
export async function findSessionUser(db: Db, sessionId: string, now: string) {
  return db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .leftJoin('departments as d', 'd.id', 'u.department_id')
    .select([
      's.id as sessionId',
      's.last_seen_at as lastSeenAt',
      's.expires_at as expiresAt',
      's.kind',
      'u.totp_enabled_at as totpEnabledAt',
      'u.id',
      'u.login',
      'u.name',
      'u.role',
      'u.department_id as departmentId',
      'd.name as departmentName',
    ])
    .where('s.id', '=', sessionId)
    .where('s.expires_at', '>', now)
    .where('u.is_active', '=', 1)
    .executeTakeFirst();
}

export async function touchSession(db: Db, sessionId: string, now: string): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: now }).where('id', '=', sessionId).execute();
}

export async function deleteSession(db: Db, sessionId: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', sessionId).execute();
}

export async function findUserById(db: Db, userId: string) {
  return db.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirst();
}

export async function insertChallenge(
  db: Db,
  row: { id: string; user_id: string; purpose: 'totp' | 'enrol' | 'password'; pending_secret: string | null; created_at: string; expires_at: string; ip: string | null; user_agent: string | null },
): Promise<void> {
  await db.insertInto('sign_in_challenges').values(row).execute();
}

/** An unexpired pending sign-in step. */
export async function findChallenge(db: Db, challengeId: string, now: string) {
  return db.selectFrom('sign_in_challenges').selectAll().where('id', '=', challengeId).where('expires_at', '>', now).executeTakeFirst();
}

/** Removes the pending step; true when this call removed it (so two racing requests cannot both use it). */
export async function deleteChallenge(db: Db, challengeId: string): Promise<boolean> {
  const res = await db.deleteFrom('sign_in_challenges').where('id', '=', challengeId).executeTakeFirst();
  return Number(res.numDeletedRows) === 1;
}

export async function deleteChallengesOfUser(db: Db, userId: string): Promise<void> {
  await db.deleteFrom('sign_in_challenges').where('user_id', '=', userId).execute();
}

/** Expired pending steps go whenever a new one is made; there are few, and none is worth a job. */
export async function deleteExpiredChallenges(db: Db, now: string): Promise<void> {
  await db.deleteFrom('sign_in_challenges').where('expires_at', '<=', now).execute();
}

/**
 * Accepts a TOTP step only if it is newer than the last accepted one, in one statement: of two requests with the same
 * code, only one can move the step forward (replay across concurrent requests too).
 */
export async function advanceTotpStep(db: Db, userId: string, step: number): Promise<boolean> {
  const res = await db
    .updateTable('users')
    .set({ totp_last_step: step })
    .where('id', '=', userId)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export async function enableTotp(db: Db, userId: string, sealedSecret: string, step: number, now: string): Promise<void> {
  await db
    .updateTable('users')
    .set({ totp_secret: sealedSecret, totp_enabled_at: now, totp_last_step: step, totp_pending_secret: null })
    .where('id', '=', userId)
    .execute();
}

export async function setPendingTotpSecret(db: Db, userId: string, sealedSecret: string | null): Promise<void> {
  await db.updateTable('users').set({ totp_pending_secret: sealedSecret }).where('id', '=', userId).execute();
}

export async function resetTotp(db: Db, userId: string): Promise<void> {
  await db
    .updateTable('users')
    .set({ totp_secret: null, totp_enabled_at: null, totp_last_step: null, totp_pending_secret: null })
    .where('id', '=', userId)
    .execute();
}

export async function updatePasswordHash(db: Db, userId: string, hash: string, now: string): Promise<void> {
  await db.updateTable('users').set({ password_hash: hash, password_changed_at: now }).where('id', '=', userId).execute();
}

/** Live sessions of a user, newest first. */
export async function listSessionsOfUser(db: Db, userId: string, now: string) {
  return db
    .selectFrom('sessions')
    .select(['id', 'created_at', 'last_seen_at', 'expires_at', 'ip', 'user_agent', 'kind'])
    .where('user_id', '=', userId)
    .where('expires_at', '>', now)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .execute();
}

/** Deletes the given session if it is the user's own; returns whether it was. */
export async function deleteSessionOfUser(db: Db, userId: string, sessionId: string): Promise<boolean> {
  const res = await db.deleteFrom('sessions').where('id', '=', sessionId).where('user_id', '=', userId).executeTakeFirst();
  return Number(res.numDeletedRows) === 1;
}

/** Deletes every session of the user except `keep`; returns the ids deleted (to drop them from the cache). */
export async function deleteSessionsOfUser(db: Db, userId: string, keep: string | null = null): Promise<string[]> {
  let query = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (keep) query = query.where('id', '<>', keep);
  const rows = await query.returning('id').execute();
  return rows.map((r) => r.id);
}

export async function insertSecurityEvent(
  db: Db,
  row: { id: string; occurred_at: string; user_id: string; actor_id: string | null; action: string; ip: string | null },
): Promise<void> {
  await db.insertInto('security_events').values(row).execute();
}

/** Every account with its security state, for the admin panel (login order); sessions counted are live ones. */
export async function listUsersSecurity(db: Db, now: string, idleCutoff: string) {
  return db
    .selectFrom('users as u')
    .leftJoin('departments as d', 'd.id', 'u.department_id')
    .select((eb) => [
      'u.id',
      'u.login',
      'u.name',
      'u.role',
      'u.is_active',
      'u.totp_enabled_at',
      'd.name as department_name',
      eb
        .selectFrom('sessions as s')
        .select((e) => e.fn.countAll<number | string>().as('n'))
        .whereRef('s.user_id', '=', 'u.id')
        .where('s.expires_at', '>', now)
        .where((w) => w.or([w('s.last_seen_at', '>', idleCutoff), w('s.kind', '=', 'display')]))
        .as('session_count'),
    ])
    .orderBy('u.login')
    .execute();
}

export type ThrottleKey = Pick<SignInThrottleTable, 'scope' | 'subject' | 'ip'>;

/** The scopes among `keys` that are locked at `now`. */
export async function findLockedThrottles(db: Db, keys: readonly ThrottleKey[], now: string): Promise<Set<ThrottleKey['scope']>> {
  const rows = await db
    .selectFrom('sign_in_throttles')
    .select('scope')
    .where((eb) => eb.or(keys.map((k) => eb.and([eb('scope', '=', k.scope), eb('subject', '=', k.subject), eb('ip', '=', k.ip)]))))
    .where('locked_until', '>', now)
    .execute();
  return new Set(rows.map((r) => r.scope));
}

/**
 * Counts one failure under `key`, in one statement (concurrent failures cannot lose a count): a count whose last
 * failure is not after `windowStart` starts again at 1; the failure that reaches `maxFailures` locks until `lockUntil`
 * and starts the count again. Returns the lock time after the update (null when never locked).
 */
export async function recordThrottledFailure(
  db: Db,
  key: ThrottleKey,
  rule: { now: string; windowStart: string; maxFailures: number; lockUntil: string },
): Promise<string | null> {
  const locksAtOnce = rule.maxFailures <= 1;
  const row = await db
    .insertInto('sign_in_throttles')
    .values({ ...key, failures: locksAtOnce ? 0 : 1, last_failure_at: rule.now, locked_until: locksAtOnce ? rule.lockUntil : null })
    .onConflict((oc) =>
      oc.columns(['scope', 'subject', 'ip']).doUpdateSet((eb) => {
        const count = eb
          .case()
          .when('sign_in_throttles.last_failure_at', '>', rule.windowStart)
          .then(eb('sign_in_throttles.failures', '+', 1))
          .else(1)
          .end();
        const reachesLimit = eb(count, '>=', rule.maxFailures);
        return {
          failures: eb.case().when(reachesLimit).then(0).else(count).end(),
          locked_until: eb.case().when(reachesLimit).then(rule.lockUntil).else(eb.ref('sign_in_throttles.locked_until')).end(),
          last_failure_at: rule.now,
        };
      }),
    )
    .returning('locked_until')
    .executeTakeFirst();
  return row?.locked_until ?? null;
}

export async function deleteThrottle(db: Db, key: ThrottleKey): Promise<void> {
  await db.deleteFrom('sign_in_throttles').where('scope', '=', key.scope).where('subject', '=', key.subject).where('ip', '=', key.ip).execute();
}

/** Forgets counts older than the window that hold no lock (a table of typos and guesses should not grow). */
export async function deleteStaleThrottles(db: Db, windowStart: string, now: string): Promise<void> {
  await db
    .deleteFrom('sign_in_throttles')
    .where('last_failure_at', '<=', windowStart)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)]))
    .execute();
}

/** A user's counts: the login's from every address, and the password form's. */
export async function deleteThrottlesOfUser(db: Db, loginSubject: string, userId: string): Promise<void> {
  await db
    .deleteFrom('sign_in_throttles')
    .where((eb) => eb.or([eb.and([eb('scope', '=', 'login'), eb('subject', '=', loginSubject)]), eb.and([eb('scope', '=', 'password'), eb('subject', '=', userId)])]))
    .execute();
}

/** Live login counts (locked, or failed within the window) of the given login subjects, every address. */
export async function listLoginThrottles(db: Db, subjects: readonly string[], windowStart: string, now: string) {
  if (subjects.length === 0) return [];
  return db
    .selectFrom('sign_in_throttles')
    .select(['subject', 'ip', 'failures', 'last_failure_at', 'locked_until'])
    .where('scope', '=', 'login')
    .where('subject', 'in', subjects)
    .where((eb) => eb.or([eb('locked_until', '>', now), eb('last_failure_at', '>', windowStart)]))
    .execute();
}

/** Sets a new password chosen at sign-in and clears the must-change mark. */
export async function replaceTemporaryPassword(db: Db, userId: string, hash: string, now: string): Promise<void> {
  await db.updateTable('users').set({ password_hash: hash, password_changed_at: now, must_change_password: 0 }).where('id', '=', userId).execute();
}
