import type { Insertable, Updateable } from 'kysely';
import { OPEN_HANDOFF_STATUSES } from '../../../core/domain/handoff-lifecycle';
import type { Db } from '../../db/database';
import { prepared } from '../../db/prepared';
import type { CategoryTable, DepartmentTable } from '../../db/tables';

/** The active departments (pickers, hand-off targets). */
export async function listDepartments(db: Db) {
  return db.selectFrom('departments').selectAll().where('is_active', '=', 1).orderBy('code').execute();
}

/** An active department (a hand-off is never sent to a deactivated one). */
export async function findDepartment(db: Db, id: string) {
  return db.selectFrom('departments').selectAll().where('id', '=', id).where('is_active', '=', 1).executeTakeFirst();
}

/** Every department, active or not, with what refers to it (the admin's editor). */
export async function listDepartmentsWithCounts(db: Db) {
  return db
    .selectFrom('departments as d')
    .selectAll('d')
    .select((eb) => [
      eb.selectFrom('categories as c').select((x) => x.fn.countAll<number | string>().as('n')).whereRef('c.department_id', '=', 'd.id').where('c.is_active', '=', 1).as('categories'),
      eb.selectFrom('users as u').select((x) => x.fn.countAll<number | string>().as('n')).whereRef('u.department_id', '=', 'd.id').where('u.is_active', '=', 1).as('officials'),
      eb
        .selectFrom('handoffs as h')
        .select((x) => x.fn.countAll<number | string>().as('n'))
        .whereRef('h.department_id', '=', 'd.id')
        .where('h.status', 'in', [...OPEN_HANDOFF_STATUSES])
        .as('open_handoffs'),
    ])
    .orderBy('d.code')
    .execute();
}

export async function findAnyDepartment(db: Db, id: string) {
  return db.selectFrom('departments').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findDepartmentByCode(db: Db, code: string) {
  return db.selectFrom('departments').select('id').where('code', '=', code).executeTakeFirst();
}

export async function insertDepartment(db: Db, row: Insertable<DepartmentTable>): Promise<void> {
  await db.insertInto('departments').values(row).execute();
}

export async function updateDepartment(db: Db, id: string, set: Updateable<DepartmentTable>): Promise<void> {
  await db.updateTable('departments').set(set).where('id', '=', id).execute();
}

export async function deleteDepartment(db: Db, id: string): Promise<void> {
  await db.deleteFrom('departments').where('id', '=', id).execute();
}

/** How many rows of each kind refer to a department (any status): a department with any is never deleted. */
export async function departmentReferences(db: Db, id: string): Promise<Record<string, number>> {
  const count = async (table: 'categories' | 'users' | 'handoffs' | 'articles' | 'directory_duties') =>
    Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number | string>().as('n')).where('department_id', '=', id).executeTakeFirstOrThrow()).n);
  return { categories: await count('categories'), users: await count('users'), handoffs: await count('handoffs'), articles: await count('articles'), duties: await count('directory_duties') };
}

/** Every category, active or not, with its own values and its owner department's name (the admin's editor). */
export async function listAllCategories(db: Db) {
  return db
    .selectFrom('categories as c')
    .leftJoin('departments as d', 'd.id', 'c.department_id')
    .selectAll('c')
    .select('d.name as department_name')
    .orderBy('c.code')
    .execute();
}

export async function findCategoryRow(db: Db, id: string) {
  return db.selectFrom('categories').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertCategory(db: Db, row: Insertable<CategoryTable>): Promise<void> {
  await db.insertInto('categories').values(row).execute();
}

export async function updateCategory(db: Db, id: string, set: Updateable<CategoryTable>): Promise<void> {
  await db.updateTable('categories').set(set).where('id', '=', id).execute();
}

export async function maxCategorySortOrder(db: Db): Promise<number> {
  const row = await db.selectFrom('categories').select((eb) => eb.fn.max<number | null>('sort_order').as('m')).executeTakeFirst();
  return Number(row?.m ?? 0);
}

/** Categories with their owner department's name, in taxonomy order. */
export async function listCategories(db: Db) {
  return db
    .selectFrom('categories as c')
    .leftJoin('departments as d', 'd.id', 'c.department_id')
    .select([
      'c.id',
      'c.parent_id',
      'c.level',
      'c.code',
      'c.name',
      'c.path',
      'c.department_id',
      'c.complaint_type',
      'c.deadline_days',
      'd.name as department_name',
    ])
    .where('c.is_active', '=', 1)
    .orderBy('c.code')
    .execute();
}

export type CategoryRecord = NonNullable<Awaited<ReturnType<typeof findCategory>>>;

const activeCategory = prepared<{ id: string }, ActiveCategoryRow>('categories.active_by_id', (db, p) =>
  db
    .selectFrom('categories as c')
    .leftJoin('departments as d', 'd.id', 'c.department_id')
    .select(['c.id', 'c.level', 'c.code', 'c.path', 'c.department_id', 'c.complaint_type', 'c.deadline_days', 'd.name as department_name'])
    .where('c.id', '=', p.id)
    .where('c.is_active', '=', 1),
);
type ActiveCategoryRow = Pick<CategoryTable, 'id' | 'level' | 'code' | 'path' | 'department_id' | 'complaint_type' | 'deadline_days'> & { department_name: string | null };

/** An active category with its department's name (every case recorded looks one up: built once, server/db/prepared.ts). */
export async function findCategory(db: Db, id: string): Promise<ActiveCategoryRow | undefined> {
  const [row] = await activeCategory(db, { id });
  return row;
}

export async function findCategoryByCode(db: Db, code: string) {
  return db.selectFrom('categories').selectAll().where('code', '=', code).executeTakeFirst();
}
