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
