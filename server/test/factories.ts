import type { ComplaintType, Role } from '../../core/contracts/enums';
import type { Db } from '../db/database';
import { newId } from '../lib/ids';
import { hashPassword } from '../modules/auth/passwords';

export const TEST_PASSWORD = 'test-password-1234';
let hash: Promise<string> | undefined;
/** One argon2id hash of TEST_PASSWORD per process: hashing is deliberately slow. */
function testHash(): Promise<string> {
  hash ??= hashPassword(TEST_PASSWORD);
  return hash;
}

let counter = 0;
const next = () => ++counter;
const NOW = '2026-11-27T01:00:00.000Z';

export async function buildDepartment(db: Db, over: Partial<{ code: string; name: string }> = {}) {
  const row = { id: newId(), code: over.code ?? `T${next()}`, name: over.name ?? `시험과${counter}`, phone: '031-5180-0000', location: null, created_at: NOW };
  await db.insertInto('departments').values(row).execute();
  return row;
}

export async function buildUser(db: Db, over: { role: Role; departmentId?: string | null; login?: string; name?: string; isActive?: boolean }) {
  const row = {
    id: newId(),
    login: over.login ?? `${over.role}${next()}`,
    password_hash: await testHash(),
    name: over.name ?? `${over.role} ${counter}`,
    role: over.role,
    department_id: over.departmentId ?? null,
    title: null,
    extension: null,
    is_active: over.isActive === false ? 0 : 1,
    created_at: NOW,
  };
  await db.insertInto('users').values(row).execute();
  return row;
}

/** A field → task (owned by the department) → detail chain; returns all three. */
export async function buildCategoryChain(db: Db, departmentId: string, complaintType: ComplaintType = 'inquiry', names = ['세무', '자동차세', '자동차세 연납']) {
  const n = next();
  const field = { id: newId(), parent_id: null, level: 1, code: `F${n}`, name: names[0] as string, path: names[0] as string, department_id: null, complaint_type: null, deadline_days: null, sort_order: 0, is_active: 1 };
  const task = { id: newId(), parent_id: field.id, level: 2, code: `F${n}-1`, name: names[1] as string, path: `${names[0]} > ${names[1]}`, department_id: departmentId, complaint_type: complaintType, deadline_days: null, sort_order: 1, is_active: 1 };
  const detail = { ...task, id: newId(), parent_id: task.id, level: 3, code: `F${n}-1-1`, name: names[2] as string, path: `${task.path} > ${names[2]}`, sort_order: 2 };
  await db.insertInto('categories').values([field, task, detail]).execute();
  return { field, task, detail };
}
