import type { Kysely } from 'kysely';
import { timeType } from './helpers';

/*
 * Sign-in throttles (issue #10, finding 7; 개인정보의 안전성 확보조치 기준 제5조⑥): counts of failures and the time
 * until which further attempts are refused, per
 * - scope 'login': a login as typed (its keyed blind index, so that a password typed into the login field is not
 *   stored readable; known and unknown logins alike) from one client address;
 * - scope 'ip': one client address, across logins;
 * - scope 'password': one user's wrong current passwords on the change-password form (subject = user id).
 * users.failed_sign_ins and users.locked_until (0003) are no longer used.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const time = timeType(db);
  await db.schema
    .createTable('sign_in_throttles')
    .addColumn('scope', 'varchar(10)', (c) => c.notNull())
    .addColumn('subject', 'varchar(64)', (c) => c.notNull())
    .addColumn('ip', 'varchar(64)', (c) => c.notNull())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('last_failure_at', time, (c) => c.notNull())
    .addColumn('locked_until', time)
    .addPrimaryKeyConstraint('sign_in_throttles_pk', ['scope', 'subject', 'ip'])
    .execute();
  await db.schema.createIndex('sign_in_throttles_last_failure_idx').on('sign_in_throttles').column('last_failure_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('sign_in_throttles').execute();
}
