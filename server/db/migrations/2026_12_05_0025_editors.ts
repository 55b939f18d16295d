import type { Kysely } from 'kysely';
import { idType } from './helpers';

/*
 * The admin's editors and the search by name (issue #18 items 13 and 11):
 * - departments.is_active (a department still referenced is deactivated, never deleted) and departments.hours
 *   (민원 응대 시간, shown to agents beside the phone number);
 * - articles.owner_id: the 담당자 of a knowledge article (its 담당 부서 is articles.department_id);
 * - citizens.name_index: the blind index (HMAC under the vault's index key) of the citizen's normalised full name,
 *   the only way to find a citizen by name. It cannot be computed here (the keys are never in the database): the
 *   start-up step fills it for existing rows (server/modules/privacy/name-index.ts), the key rotation recomputes it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('departments').addColumn('is_active', 'integer', (c) => c.notNull().defaultTo(1)).execute();
  await db.schema.alterTable('departments').addColumn('hours', 'varchar(100)').execute();
  await db.schema.alterTable('articles').addColumn('owner_id', idType(db), (c) => c.references('users.id')).execute();
  await db.schema.alterTable('citizens').addColumn('name_index', 'varchar(64)').execute();
  await db.schema.createIndex('citizens_name_index').on('citizens').column('name_index').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('citizens_name_index').execute();
  await db.schema.alterTable('citizens').dropColumn('name_index').execute();
  await db.schema.alterTable('articles').dropColumn('owner_id').execute();
  await db.schema.alterTable('departments').dropColumn('hours').execute();
  await db.schema.alterTable('departments').dropColumn('is_active').execute();
}
