import type { Kysely } from 'kysely';

/*
 * User management (issue #18 item 12): an account created or reset by the admin carries a temporary password that
 * must be changed at the next sign-in (users.must_change_password = 1), as must the shared demo password in
 * production. The sign-in answers a 'password' step instead of a session until a new password is set.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('users')
    .addColumn('must_change_password', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').dropColumn('must_change_password').execute();
}
