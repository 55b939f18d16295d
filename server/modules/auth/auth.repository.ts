import type { Db } from '../../db/database';

export async function findUserByLogin(db: Db, login: string) {
  return db.selectFrom('users').selectAll().where('login', '=', login).executeTakeFirst();
}

export async function insertSession(
  db: Db,
  row: { id: string; user_id: string; created_at: string; last_seen_at: string; expires_at: string; ip: string | null; user_agent: string | null },
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

/**
 * Counts one failed sign-in; the failure that reaches `maxFailures` locks the account until `lockUntil` and starts
 * the count again. One statement, so concurrent failures cannot lose a count (SET sees the row before the update).
 * Returns the lock time after the update (null when not locked).
 */
export async function recordFailedSignIn(db: Db, userId: string, maxFailures: number, lockUntil: string): Promise<string | null> {
  const row = await db
    .updateTable('users')
    .set((eb) => {
      const reachesLimit = eb(eb('failed_sign_ins', '+', 1), '>=', maxFailures);
      return {
        locked_until: eb.case().when(reachesLimit).then(lockUntil).else(eb.ref('locked_until')).end(),
        failed_sign_ins: eb.case().when(reachesLimit).then(0).else(eb('failed_sign_ins', '+', 1)).end(),
      };
    })
    .where('id', '=', userId)
    .returning('locked_until')
    .executeTakeFirst();
  return row?.locked_until ?? null;
}

/** A successful sign-in clears the failure count and any expired lock. */
export async function clearFailedSignIns(db: Db, userId: string): Promise<void> {
  await db.updateTable('users').set({ failed_sign_ins: 0, locked_until: null }).where('id', '=', userId).execute();
}

export async function findUserById(db: Db, userId: string) {
  return db.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirst();
}

export async function insertChallenge(
  db: Db,
  row: { id: string; user_id: string; purpose: 'totp' | 'enrol'; pending_secret: string | null; created_at: string; expires_at: string; ip: string | null; user_agent: string | null },
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
    .select(['id', 'created_at', 'last_seen_at', 'expires_at', 'ip', 'user_agent'])
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

export async function unlockUser(db: Db, userId: string): Promise<void> {
  await db.updateTable('users').set({ failed_sign_ins: 0, locked_until: null }).where('id', '=', userId).execute();
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
      'u.locked_until',
      'u.failed_sign_ins',
      'u.totp_enabled_at',
      'd.name as department_name',
      eb
        .selectFrom('sessions as s')
        .select((e) => e.fn.countAll<number | string>().as('n'))
        .whereRef('s.user_id', '=', 'u.id')
        .where('s.expires_at', '>', now)
        .where('s.last_seen_at', '>', idleCutoff)
        .as('session_count'),
    ])
    .orderBy('u.login')
    .execute();
}
