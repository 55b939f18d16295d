import type { Db } from '../../db/database';

export async function listDepartments(db: Db) {
  return db.selectFrom('departments').selectAll().orderBy('code').execute();
}

export async function findDepartment(db: Db, id: string) {
  return db.selectFrom('departments').selectAll().where('id', '=', id).executeTakeFirst();
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

export async function findCategory(db: Db, id: string) {
  return db
    .selectFrom('categories as c')
    .leftJoin('departments as d', 'd.id', 'c.department_id')
    .select(['c.id', 'c.level', 'c.code', 'c.path', 'c.department_id', 'c.complaint_type', 'c.deadline_days', 'd.name as department_name'])
    .where('c.id', '=', id)
    .where('c.is_active', '=', 1)
    .executeTakeFirst();
}

export async function findCategoryByCode(db: Db, code: string) {
  return db.selectFrom('categories').selectAll().where('code', '=', code).executeTakeFirst();
}
