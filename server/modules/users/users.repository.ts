import type { Role } from '../../../core/contracts/enums';
import type { Db } from '../../deps';

const USER_COLUMNS = [
  'u.id',
  'u.login',
  'u.name',
  'u.role',
  'u.department_id',
  'd.name as department_name',
  'u.title',
  'u.extension',
  'u.is_active',
  'u.is_department_head',
  'u.must_change_password',
  'u.created_at',
] as const;

/** Every account with its department's name, by role then login. */
export async function listUsers(db: Db) {
  return db.selectFrom('users as u').leftJoin('departments as d', 'd.id', 'u.department_id').select(USER_COLUMNS).orderBy('u.role').orderBy('u.login').execute();
}

export async function findUser(db: Db, id: string) {
  return db.selectFrom('users as u').leftJoin('departments as d', 'd.id', 'u.department_id').select(USER_COLUMNS).where('u.id', '=', id).executeTakeFirst();
}

export type UserRow = NonNullable<Awaited<ReturnType<typeof findUser>>>;

export async function loginExists(db: Db, login: string): Promise<boolean> {
  return (await db.selectFrom('users').select('id').where('login', '=', login).executeTakeFirst()) !== undefined;
}

export async function departmentExists(db: Db, id: string): Promise<boolean> {
  return (await db.selectFrom('departments').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
}

/** Active admins other than this account. */
export async function countOtherActiveAdmins(db: Db, exceptId: string): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('role', '=', 'admin')
    .where('is_active', '=', 1)
    .where('id', '<>', exceptId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function insertUser(
  db: Db,
  row: {
    id: string;
    login: string;
    password_hash: string;
    name: string;
    role: Role;
    department_id: string | null;
    title: string | null;
    extension: string | null;
    is_department_head: number;
    created_at: string;
  },
): Promise<void> {
  await db
    .insertInto('users')
    .values({ ...row, is_active: 1, must_change_password: 1 })
    .execute();
}

export async function updateUser(
  db: Db,
  id: string,
  set: Partial<{ name: string; role: Role; department_id: string | null; title: string | null; extension: string | null; is_department_head: number; is_active: number }>,
): Promise<void> {
  await db.updateTable('users').set(set).where('id', '=', id).execute();
}

/** A temporary password: to be changed at the next sign-in. */
export async function setTemporaryPassword(db: Db, id: string, hash: string): Promise<void> {
  await db.updateTable('users').set({ password_hash: hash, must_change_password: 1 }).where('id', '=', id).execute();
}
