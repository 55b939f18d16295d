import { randomInt } from 'node:crypto';
import type { AdminUser, CreateUserBody, TemporaryPasswordAnswer, UpdateUserBody } from '../../../core/contracts/users';
import { checkPassword, DEFAULT_PASSWORD_POLICY } from '../../../core/domain/password-policy';
import { AppError } from '../../../core/errors';
import type { AppDeps, Db } from '../../deps';
import type { SessionUser } from '../../http/access';
import { newId } from '../../lib/ids';
import { deleteChallengesOfUser, deleteSessionsOfUser } from '../auth/auth.repository';
import { recordSecurityEvent } from '../auth/auth.service';
import { hashPassword } from '../auth/passwords';
import {
  countOtherActiveAdmins,
  departmentExists,
  findUser,
  insertUser,
  listUsers,
  loginExists,
  setTemporaryPassword,
  updateUser,
  type UserRow,
} from './users.repository';
import { particleOf } from '../../../core/domain/josa';

type Actor = Pick<SessionUser, 'id'> & { ip: string | null };

// No 0/O, 1/l/I: the temporary password is read aloud or copied by hand.
const ALPHABET = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A temporary password of 3 groups of 4 (e.g. "Hb7k-2mPq-9xRt") that meets the password policy. */
export function newTemporaryPassword(login: string): string {
  for (;;) {
    const groups = [0, 1, 2].map(() => Array.from({ length: 4 }, () => ALPHABET[randomInt(ALPHABET.length)]).join(''));
    const password = groups.join('-');
    if (checkPassword(password, login, DEFAULT_PASSWORD_POLICY).ok && /[0-9]/.test(password) && /[A-Z]/.test(password)) return password;
  }
}

function present(r: UserRow): AdminUser {
  return {
    id: r.id,
    login: r.login,
    name: r.name,
    role: r.role,
    departmentId: r.department_id,
    departmentName: r.department_name,
    title: r.title,
    extension: r.extension,
    isActive: r.is_active === 1,
    isDepartmentHead: r.is_department_head === 1,
    mustChangePassword: r.must_change_password === 1,
    createdAt: r.created_at,
  };
}

export async function listAccounts(deps: AppDeps): Promise<AdminUser[]> {
  return (await listUsers(deps.db)).map(present);
}

async function getAccount(db: Db, id: string): Promise<UserRow> {
  const row = await findUser(db, id);
  if (!row) throw new AppError('NOT_FOUND', '사용자를 찾을 수 없습니다.');
  return row;
}

/** An official belongs to a department; a department head is an official of one. */
async function checkPlacement(db: Db, role: string, departmentId: string | null, isHead: boolean): Promise<void> {
  if (departmentId !== null && !(await departmentExists(db, departmentId))) {
    throw new AppError('VALIDATION_FAILED', '없는 부서입니다.', { field: 'departmentId' });
  }
  if (role === 'official' && departmentId === null) {
    throw new AppError('VALIDATION_FAILED', '담당공무원은 소속 부서가 있어야 합니다.', { field: 'departmentId' });
  }
  if (isHead && role !== 'official') {
    throw new AppError('VALIDATION_FAILED', '부서장은 담당공무원 계정만 지정할 수 있습니다.', { field: 'isDepartmentHead' });
  }
}

/** Ends the account's sessions and pending sign-ins (after a change of role, department, activity or password). */
async function endSessions(trx: Db, userId: string): Promise<string[]> {
  await deleteChallengesOfUser(trx, userId);
  return deleteSessionsOfUser(trx, userId);
}

/** A new account with a temporary password, shown once; the user sets their own at the first sign-in. */
export async function createAccount(deps: AppDeps, actor: Actor, input: CreateUserBody): Promise<TemporaryPasswordAnswer> {
  const now = deps.clock.now();
  await checkPlacement(deps.db, input.role, input.departmentId, input.isDepartmentHead);
  const temporaryPassword = newTemporaryPassword(input.login);
  const hash = await hashPassword(temporaryPassword);
  const id = newId(now.getTime());
  await deps.db.transaction().execute(async (trx) => {
    if (await loginExists(trx, input.login)) throw new AppError('LOGIN_TAKEN', `로그인 아이디 '${input.login}'${particleOf(input.login, '은/는')} 이미 쓰이고 있습니다.`, { field: 'login' });
    await insertUser(trx, {
      id,
      login: input.login,
      password_hash: hash,
      name: input.name,
      role: input.role,
      department_id: input.departmentId,
      title: input.title,
      extension: input.extension,
      is_department_head: input.isDepartmentHead ? 1 : 0,
      created_at: now.toISOString(),
    });
    await recordSecurityEvent(trx, now, id, actor.id, 'account_created', actor.ip);
  });
  return { user: present(await getAccount(deps.db, id)), temporaryPassword };
}

/**
 * Name, title, extension, role, department, department head. A change of role or department ends the account's
 * sessions (what it may see changes); an admin cannot change their own role, nor leave the centre without an active
 * admin.
 */
export async function updateAccount(deps: AppDeps, actor: Actor, id: string, input: UpdateUserBody): Promise<AdminUser> {
  const now = deps.clock.now();
  const revoked = await deps.db.transaction().execute(async (trx) => {
    const current = await getAccount(trx, id);
    const role = input.role ?? current.role;
    const departmentId = input.departmentId !== undefined ? input.departmentId : current.department_id;
    const isHead = input.isDepartmentHead ?? current.is_department_head === 1;
    await checkPlacement(trx, role, departmentId, isHead);
    if (role !== current.role && current.role === 'admin') {
      if (id === actor.id) throw new AppError('LAST_ADMIN', '자신의 역할은 바꿀 수 없습니다. 다른 관리자에게 요청하세요.');
      if ((await countOtherActiveAdmins(trx, id)) === 0) throw new AppError('LAST_ADMIN', '활성 시스템 관리자가 한 명은 있어야 합니다.');
    }
    await updateUser(trx, id, {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.title !== undefined ? { title: input.title } : {}),
      ...(input.extension !== undefined ? { extension: input.extension } : {}),
      role,
      department_id: departmentId,
      is_department_head: isHead ? 1 : 0,
    });
    const moved = role !== current.role || departmentId !== current.department_id;
    if (!moved) return [];
    await recordSecurityEvent(trx, now, id, actor.id, 'role_changed', actor.ip);
    return endSessions(trx, id);
  });
  for (const s of revoked) deps.caches.sessions.delete(s);
  return present(await getAccount(deps.db, id));
}

/** Deactivates (signs out everywhere, no further sign-in) or reactivates an account. */
export async function setAccountActive(deps: AppDeps, actor: Actor, id: string, active: boolean): Promise<AdminUser> {
  const now = deps.clock.now();
  const revoked = await deps.db.transaction().execute(async (trx) => {
    const current = await getAccount(trx, id);
    if ((current.is_active === 1) === active) return [];
    if (!active && id === actor.id) throw new AppError('LAST_ADMIN', '자신의 계정은 비활성화할 수 없습니다.');
    if (!active && current.role === 'admin' && (await countOtherActiveAdmins(trx, id)) === 0) {
      throw new AppError('LAST_ADMIN', '활성 시스템 관리자가 한 명은 있어야 합니다.');
    }
    await updateUser(trx, id, { is_active: active ? 1 : 0 });
    await recordSecurityEvent(trx, now, id, actor.id, active ? 'account_activated' : 'account_deactivated', actor.ip);
    return active ? [] : endSessions(trx, id);
  });
  for (const s of revoked) deps.caches.sessions.delete(s);
  return present(await getAccount(deps.db, id));
}

/** A new temporary password, shown once; the account's sessions end and the next sign-in asks for a new password. */
export async function resetAccountPassword(deps: AppDeps, actor: Actor, id: string): Promise<TemporaryPasswordAnswer> {
  const now = deps.clock.now();
  const current = await getAccount(deps.db, id);
  const temporaryPassword = newTemporaryPassword(current.login);
  const hash = await hashPassword(temporaryPassword);
  const revoked = await deps.db.transaction().execute(async (trx) => {
    await setTemporaryPassword(trx, id, hash);
    await recordSecurityEvent(trx, now, id, actor.id, 'password_reset', actor.ip);
    return endSessions(trx, id);
  });
  for (const s of revoked) deps.caches.sessions.delete(s);
  return { user: present(await getAccount(deps.db, id)), temporaryPassword };
}
