import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { idType, timeType } from './helpers';

/*
 * 업무분장 (issue #11 §1): duties (one or more categories, one department) with their officials in order
 * (1 = 주 담당자, then 부 담당자), and officials' presence with a log of every change (for counting). The officials'
 * extensions stay in users.extension (one phone per official). The older flat `duties` (user, category) table is kept
 * as the directory's projection for the code that reads it; an existing database's rows become one duty per category
 * here, officials in name order.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const id = idType(db);
  const time = timeType(db);
  await db.schema
    .createTable('directory_duties')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('code', 'varchar(32)', (c) => c.notNull().unique())
    .addColumn('name', 'varchar(100)', (c) => c.notNull())
    .addColumn('department_id', id, (c) => c.notNull().references('departments.id'))
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('updated_at', time, (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('directory_duty_categories')
    .addColumn('duty_id', id, (c) => c.notNull().references('directory_duties.id').onDelete('cascade'))
    // A category is answered by one duty: the proposal must know whom to ring.
    .addColumn('category_id', id, (c) => c.notNull().unique().references('categories.id'))
    .addPrimaryKeyConstraint('directory_duty_categories_pk', ['duty_id', 'category_id'])
    .execute();
  await db.schema
    .createTable('directory_duty_officials')
    .addColumn('duty_id', id, (c) => c.notNull().references('directory_duties.id').onDelete('cascade'))
    .addColumn('user_id', id, (c) => c.notNull().references('users.id'))
    .addColumn('rank', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('directory_duty_officials_pk', ['duty_id', 'user_id'])
    .addUniqueConstraint('directory_duty_officials_rank_uq', ['duty_id', 'rank'])
    .execute();
  await db.schema.createIndex('directory_duty_officials_user_idx').on('directory_duty_officials').column('user_id').execute();

  await db.schema
    .createTable('official_presence')
    .addColumn('user_id', id, (c) => c.primaryKey().references('users.id'))
    .addColumn('state', 'varchar(16)')
    .addColumn('leave_until', 'varchar(10)')
    .addColumn('declared_at', time)
    .addColumn('on_call_by_phone', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('phone_changed_at', time)
    .execute();
  await db.schema
    .createTable('official_presence_changes')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('user_id', id, (c) => c.notNull().references('users.id'))
    .addColumn('at', time, (c) => c.notNull())
    .addColumn('state', 'varchar(16)', (c) => c.notNull())
    .addColumn('leave_until', 'varchar(10)')
    /** official (the web app's control) | telephony (the extension's calls). */
    .addColumn('source', 'varchar(16)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('official_presence_changes_user_idx').on('official_presence_changes').columns(['user_id', 'at']).execute();
  await db.schema.createIndex('users_extension_idx').on('users').column('extension').execute();

  await directoryFromFlatDuties(db);
}

/** One duty per category of the old flat table (code and name of the category, its department), officials by name. */
async function directoryFromFlatDuties(db: Kysely<any>): Promise<void> {
  const rows: Array<{ user_id: string; category_id: string; code: string; cname: string; department_id: string | null; uname: string }> = await db
    .selectFrom('duties as d')
    .innerJoin('categories as c', 'c.id', 'd.category_id')
    .innerJoin('users as u', 'u.id', 'd.user_id')
    .select(['d.user_id', 'd.category_id', 'c.code', 'c.name as cname', 'c.department_id', 'u.name as uname'])
    .orderBy('c.code')
    .orderBy('u.name')
    .orderBy('u.id')
    .execute();
  const at = new Date().toISOString();
  const byCategory = new Map<string, typeof rows>();
  for (const r of rows) if (r.department_id) byCategory.set(r.category_id, [...(byCategory.get(r.category_id) ?? []), r]);
  for (const [categoryId, list] of byCategory) {
    const first = list[0] as (typeof rows)[number];
    const dutyId = randomUUID();
    await db.insertInto('directory_duties').values({ id: dutyId, code: first.code.slice(0, 32), name: first.cname.slice(0, 100), department_id: first.department_id, created_at: at, updated_at: at }).execute();
    await db.insertInto('directory_duty_categories').values({ duty_id: dutyId, category_id: categoryId }).execute();
    await db
      .insertInto('directory_duty_officials')
      .values(list.map((r, i) => ({ duty_id: dutyId, user_id: r.user_id, rank: i + 1 })))
      .execute();
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('users_extension_idx').execute();
  await db.schema.dropTable('official_presence_changes').execute();
  await db.schema.dropTable('official_presence').execute();
  await db.schema.dropTable('directory_duty_officials').execute();
  await db.schema.dropTable('directory_duty_categories').execute();
  await db.schema.dropTable('directory_duties').execute();
}
