import type { Kysely } from 'kysely';
import { timeType } from './helpers';

/*
 * Sign-in lockout (개인정보의 안전성 확보조치 기준 제5조⑥): a count of consecutive failed sign-ins and the time until
 * which the account refuses sign-in. One ALTER per column: SQLite allows one change per statement.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('users')
    .addColumn('failed_sign_ins', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('users').addColumn('locked_until', timeType(db)).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').dropColumn('locked_until').execute();
  await db.schema.alterTable('users').dropColumn('failed_sign_ins').execute();
}
