import type { Duty } from '../../../core/contracts/directory';
import type { DirectoryCategory, DirectoryDuty, DirectoryOfficial, PresenceState } from '../../../core/domain/duty-directory';
import type { Db } from '../../db/database';
import type { OfficialPresenceTable } from '../../db/tables';
import { newId } from '../../lib/ids';

/** 업무분장 and presence queries (issue #11 §1). Functions of `(db | trx, …)`, as every repository. */

export type DutyRow = { id: string; code: string; name: string; department_id: string; updated_at: string };

export async function findDuty(db: Db, id: string): Promise<DutyRow | undefined> {
  return db.selectFrom('directory_duties').select(['id', 'code', 'name', 'department_id', 'updated_at']).where('id', '=', id).executeTakeFirst();
}

export async function findDutyByCode(db: Db, code: string): Promise<DutyRow | undefined> {
  return db.selectFrom('directory_duties').select(['id', 'code', 'name', 'department_id', 'updated_at']).where('code', '=', code).executeTakeFirst();
}

/** The duties holding any of these categories, other than `exceptDutyId`. */
export async function dutiesHoldingCategories(db: Db, categoryIds: readonly string[], exceptDutyId: string | null): Promise<Array<{ category_id: string; code: string }>> {
  if (categoryIds.length === 0) return [];
  let q = db
    .selectFrom('directory_duty_categories as dc')
    .innerJoin('directory_duties as d', 'd.id', 'dc.duty_id')
    .select(['dc.category_id', 'd.code'])
    .where('dc.category_id', 'in', [...categoryIds]);
  if (exceptDutyId) q = q.where('dc.duty_id', '<>', exceptDutyId);
  return q.execute();
}

/**
 * The whole directory as the admin screen and the export show it, by 업무코드. A deactivated department's duties and
 * the officials of a deactivated department are not listed (issue #18 item 13): nobody is sent to them.
 */
export async function listDuties(db: Db, dutyId?: string): Promise<Duty[]> {
  let dq = db
    .selectFrom('directory_duties as d')
    .innerJoin('departments as dep', 'dep.id', 'd.department_id')
    .select(['d.id', 'd.code', 'd.name', 'd.department_id', 'dep.name as department_name', 'd.updated_at'])
    .where('dep.is_active', '=', 1)
    .orderBy('d.code');
  if (dutyId) dq = dq.where('d.id', '=', dutyId);
  const duties = await dq.execute();
  let cq = db
    .selectFrom('directory_duty_categories as dc')
    .innerJoin('categories as c', 'c.id', 'dc.category_id')
    .select(['dc.duty_id', 'c.id', 'c.code', 'c.path'])
    .orderBy('c.code');
  if (dutyId) cq = cq.where('dc.duty_id', '=', dutyId);
  let oq = db
    .selectFrom('directory_duty_officials as o')
    .innerJoin('users as u', 'u.id', 'o.user_id')
    .leftJoin('departments as ud', 'ud.id', 'u.department_id')
    .select(['o.duty_id', 'o.rank', 'u.id', 'u.login', 'u.name', 'u.title', 'u.extension', 'u.is_active'])
    .where((eb) => eb.or([eb('ud.id', 'is', null), eb('ud.is_active', '=', 1)]))
    .orderBy('o.duty_id')
    .orderBy('o.rank');
  if (dutyId) oq = oq.where('o.duty_id', '=', dutyId);
  const [categories, officials] = await Promise.all([cq.execute(), oq.execute()]);
  const byDuty = <T extends { duty_id: string }>(rows: T[]) => {
    const m = new Map<string, T[]>();
    for (const r of rows) m.set(r.duty_id, [...(m.get(r.duty_id) ?? []), r]);
    return m;
  };
  const cats = byDuty(categories);
  const offs = byDuty(officials);
  return duties.map((d) => ({
    id: d.id,
    code: d.code,
    name: d.name,
    departmentId: d.department_id,
    departmentName: d.department_name,
    updatedAt: d.updated_at,
    categories: (cats.get(d.id) ?? []).map((c) => ({ id: c.id, code: c.code, path: c.path })),
    officials: (offs.get(d.id) ?? []).map((o) => ({
      userId: o.id,
      login: o.login,
      name: o.name,
      title: o.title,
      extension: o.extension,
      rank: o.rank,
      isActive: o.is_active === 1,
    })),
  }));
}

export type DutyWrite = { code: string; name: string; departmentId: string; categoryIds: readonly string[]; officialIds: readonly string[] };

/** Inserts or rewrites one duty with its categories and officials (rank = place in the list, from 1). */
export async function saveDuty(trx: Db, id: string, duty: DutyWrite, at: string, isNew: boolean): Promise<void> {
  if (isNew) {
    await trx
      .insertInto('directory_duties')
      .values({ id, code: duty.code, name: duty.name, department_id: duty.departmentId, created_at: at, updated_at: at })
      .execute();
  } else {
    await trx.updateTable('directory_duties').set({ code: duty.code, name: duty.name, department_id: duty.departmentId, updated_at: at }).where('id', '=', id).execute();
    await trx.deleteFrom('directory_duty_categories').where('duty_id', '=', id).execute();
    await trx.deleteFrom('directory_duty_officials').where('duty_id', '=', id).execute();
  }
  if (duty.categoryIds.length > 0) {
    await trx.insertInto('directory_duty_categories').values(duty.categoryIds.map((category_id) => ({ duty_id: id, category_id }))).execute();
  }
  if (duty.officialIds.length > 0) {
    await trx
      .insertInto('directory_duty_officials')
      .values(duty.officialIds.map((user_id, i) => ({ duty_id: id, user_id, rank: i + 1 })))
      .execute();
  }
}

export async function deleteDuties(trx: Db, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await trx.deleteFrom('directory_duty_categories').where('duty_id', 'in', [...ids]).execute();
  await trx.deleteFrom('directory_duty_officials').where('duty_id', 'in', [...ids]).execute();
  await trx.deleteFrom('directory_duties').where('id', 'in', [...ids]).execute();
}

/** Frees the categories of duties about to be rewritten, so that a category may move between duties in one import. */
export async function clearDutyCategories(trx: Db): Promise<void> {
  await trx.deleteFrom('directory_duty_categories').execute();
}

export async function allDutyIdsByCode(db: Db): Promise<Map<string, string>> {
  const rows = await db.selectFrom('directory_duties').select(['id', 'code']).execute();
  return new Map(rows.map((r) => [r.code, r.id]));
}

/**
 * Rewrites the flat `duties` (official, category) table from the directory: the code that reads it (the transfer
 * flow's duty check) follows the directory in the same transaction.
 */
export async function syncFlatDuties(trx: Db): Promise<void> {
  await trx.deleteFrom('duties').execute();
  await trx
    .insertInto('duties')
    .columns(['user_id', 'category_id'])
    .expression(
      trx
        .selectFrom('directory_duty_officials as o')
        .innerJoin('directory_duty_categories as c', 'c.duty_id', 'o.duty_id')
        .select(['o.user_id', 'c.category_id'])
        .distinct(),
    )
    .execute();
}

export async function setExtensions(trx: Db, extensions: ReadonlyMap<string, string>): Promise<void> {
  // Two officials may swap extensions in one import: clear first, then set.
  const ids = [...extensions.keys()];
  if (ids.length === 0) return;
  await trx.updateTable('users').set({ extension: null }).where('id', 'in', ids).execute();
  for (const [id, extension] of extensions) await trx.updateTable('users').set({ extension }).where('id', '=', id).execute();
}

/** The user holding an extension, other than `exceptUserId`. */
export async function findExtensionHolder(db: Db, extension: string, exceptUserId: string): Promise<{ id: string; name: string } | undefined> {
  return db.selectFrom('users').select(['id', 'name']).where('extension', '=', extension).where('id', '<>', exceptUserId).executeTakeFirst();
}

export type LookupRows = {
  categories: Array<{ id: string; code: string; is_active: number; parent_id: string | null; department_id: string | null }>;
  departments: Array<{ id: string; code: string; name: string }>;
  users: Array<{ id: string; login: string; name: string; role: string; department_id: string | null; is_active: number; extension: string | null; title: string | null }>;
};

/** What an import is checked against: every category, department and user. */
export async function loadLookupRows(db: Db): Promise<LookupRows> {
  const [categories, departments, users] = await Promise.all([
    db.selectFrom('categories').select(['id', 'code', 'is_active', 'parent_id', 'department_id']).execute(),
    db.selectFrom('departments').select(['id', 'code', 'name']).execute(),
    db.selectFrom('users').select(['id', 'login', 'name', 'role', 'department_id', 'is_active', 'extension', 'title']).execute(),
  ]);
  return { categories, departments, users };
}

/** The directory for the proposal index: duties with categories and officials in order, officials, categories. */
export async function loadIndexInput(db: Db): Promise<{
  duties: DirectoryDuty[];
  officials: DirectoryOfficial[];
  categories: DirectoryCategory[];
  departments: Map<string, string>;
}> {
  const [duties, dutyCategories, dutyOfficials, users, categories, departments] = await Promise.all([
    db
      .selectFrom('directory_duties as d')
      .innerJoin('departments as dep', 'dep.id', 'd.department_id')
      .select(['d.id', 'd.code', 'd.name', 'd.department_id'])
      .where('dep.is_active', '=', 1)
      .orderBy('d.code')
      .execute(),
    db.selectFrom('directory_duty_categories').select(['duty_id', 'category_id']).execute(),
    db.selectFrom('directory_duty_officials').select(['duty_id', 'user_id']).orderBy('duty_id').orderBy('rank').execute(),
    db.selectFrom('users').select(['id', 'name', 'title', 'department_id', 'extension', 'is_active']).where('role', '=', 'official').execute(),
    db.selectFrom('categories').select(['id', 'parent_id', 'department_id']).execute(),
    db.selectFrom('departments').select(['id', 'name', 'is_active']).execute(),
  ]);
  // An official of a deactivated department is never proposed (as if inactive).
  const inactiveDepartments = new Set(departments.filter((d) => d.is_active !== 1).map((d) => d.id));
  const cats = new Map<string, string[]>();
  for (const r of dutyCategories) cats.set(r.duty_id, [...(cats.get(r.duty_id) ?? []), r.category_id]);
  const offs = new Map<string, string[]>();
  for (const r of dutyOfficials) offs.set(r.duty_id, [...(offs.get(r.duty_id) ?? []), r.user_id]);
  return {
    duties: duties.map((d) => ({ id: d.id, code: d.code, name: d.name, departmentId: d.department_id, categoryIds: cats.get(d.id) ?? [], officialIds: offs.get(d.id) ?? [] })),
    officials: users.map((u) => ({
      id: u.id,
      name: u.name,
      title: u.title,
      departmentId: u.department_id,
      extension: u.extension,
      isActive: u.is_active === 1 && !(u.department_id && inactiveDepartments.has(u.department_id)),
    })),
    categories: categories.map((c) => ({ id: c.id, parentId: c.parent_id, departmentId: c.department_id })),
    departments: new Map(departments.map((d) => [d.id, d.name])),
  };
}

export type PresenceRow = Pick<OfficialPresenceTable, 'user_id' | 'state' | 'leave_until' | 'declared_at' | 'on_call_by_phone'>;

export async function presenceRows(db: Db, userIds?: readonly string[]): Promise<PresenceRow[]> {
  if (userIds && userIds.length === 0) return [];
  let q = db.selectFrom('official_presence').select(['user_id', 'state', 'leave_until', 'declared_at', 'on_call_by_phone']);
  if (userIds) q = q.where('user_id', 'in', [...userIds]);
  return q.execute();
}

/** Active officials (optionally of one department) with their department's name, by department then name; none of a deactivated department. */
export async function listOfficials(db: Db, filter: { departmentId?: string; userId?: string } = {}) {
  let q = db
    .selectFrom('users as u')
    .leftJoin('departments as d', 'd.id', 'u.department_id')
    .select(['u.id', 'u.name', 'u.title', 'u.department_id', 'd.name as department_name', 'u.extension'])
    .where('u.role', '=', 'official')
    .where('u.is_active', '=', 1)
    .where((eb) => eb.or([eb('d.id', 'is', null), eb('d.is_active', '=', 1)]))
    .orderBy('d.name')
    .orderBy('u.name')
    .orderBy('u.id');
  if (filter.departmentId) q = q.where('u.department_id', '=', filter.departmentId);
  if (filter.userId) q = q.where('u.id', '=', filter.userId);
  return q.execute();
}

/** The official's declared state (the phone's flag kept). */
export async function saveDeclaredPresence(trx: Db, userId: string, state: PresenceState, leaveUntil: string | null, at: string): Promise<void> {
  await trx
    .insertInto('official_presence')
    .values({ user_id: userId, state, leave_until: leaveUntil, declared_at: at, on_call_by_phone: 0, phone_changed_at: null })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ state, leave_until: leaveUntil, declared_at: at }))
    .execute();
}

/** What the phone system says of the official's extension; false when it already said so (nothing changed). */
export async function savePhoneOnCall(trx: Db, userId: string, onCall: boolean, at: string): Promise<boolean> {
  const flag = onCall ? 1 : 0;
  const current = await trx.selectFrom('official_presence').select('on_call_by_phone').where('user_id', '=', userId).executeTakeFirst();
  if (current?.on_call_by_phone === flag || (!current && !onCall)) return false;
  await trx
    .insertInto('official_presence')
    .values({ user_id: userId, state: null, leave_until: null, declared_at: null, on_call_by_phone: flag, phone_changed_at: at })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ on_call_by_phone: flag, phone_changed_at: at }))
    .execute();
  return true;
}

export async function appendPresenceChange(
  trx: Db,
  change: { userId: string; at: string; state: PresenceState; leaveUntil: string | null; source: 'official' | 'telephony' },
): Promise<void> {
  await trx
    .insertInto('official_presence_changes')
    .values({ id: newId(), user_id: change.userId, at: change.at, state: change.state, leave_until: change.leaveUntil, source: change.source })
    .execute();
}

/** The active official whose extension this is (not one of a deactivated department: no transfer goes there). */
export async function findOfficialByExtension(db: Db, extension: string): Promise<{ id: string; department_id: string | null } | undefined> {
  return db
    .selectFrom('users as u')
    .leftJoin('departments as d', 'd.id', 'u.department_id')
    .select(['u.id', 'u.department_id'])
    .where('u.extension', '=', extension)
    .where('u.role', '=', 'official')
    .where('u.is_active', '=', 1)
    .where((eb) => eb.or([eb('d.id', 'is', null), eb('d.is_active', '=', 1)]))
    .executeTakeFirst();
}

/** Active departments with their number, by name (the 호 전환 list). */
export async function listDepartmentNumbers(db: Db): Promise<Array<{ id: string; name: string; phone: string }>> {
  const rows = await db.selectFrom('departments').select(['id', 'name', 'phone']).where('phone', 'is not', null).where('is_active', '=', 1).orderBy('name').execute();
  return rows.flatMap((r) => (r.phone ? [{ id: r.id, name: r.name, phone: r.phone }] : []));
}
