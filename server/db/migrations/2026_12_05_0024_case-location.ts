import type { Kysely } from 'kysely';

/*
 * 위치 (issue #18 item 6): where a field problem is (a leak, a street light, a pothole), typed by the agent on the
 * case form and shown to the department with the hand-off. It may be a citizen's address: the retention job erases
 * it when a closed case is anonymised.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('cases').addColumn('location', 'varchar(200)').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('cases').dropColumn('location').execute();
}
