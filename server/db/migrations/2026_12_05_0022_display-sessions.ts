import type { Kysely } from 'kysely';

/*
 * Wallboard display sessions (issue #18 item 7): a supervisor turns a wall-TV browser into a view-only display of the
 * wallboard. Its session (kind 'display') reaches only the routes marked for displays, is not signed out for
 * inactivity (nobody types on a wall TV) and lasts DISPLAY_SESSION_DAYS; the supervisor ends it from 내 보안 설정.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('sessions')
    .addColumn('kind', 'varchar(10)', (c) => c.notNull().defaultTo('user'))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('sessions').dropColumn('kind').execute();
}
