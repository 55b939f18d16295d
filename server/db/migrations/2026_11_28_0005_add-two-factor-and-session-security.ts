import type { Kysely } from 'kysely';
import { idType, timeType } from './helpers';

/*
 * Access control, layer 3 of issue #3 (개인정보의 안전성 확보조치 기준 제5조⑤⑥, 제6조①④):
 * - users: the TOTP secret (sealed by the vault, never in plain text), when 2FA was enabled, the last accepted time
 *   step (a code cannot be used twice), a secret being enrolled from the security page, and when the password
 *   last changed;
 * - sign_in_challenges: the short-lived step between a right password and a right code. It is not a session: the
 *   session plugin never reads this table, so a pending sign-in cannot call the API;
 * - security_events: an append-only record of account-security actions (unlock, 2FA reset, revocations,
 *   password changes) with who did it and from where.
 * One ALTER per column: SQLite allows one change per statement.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const time = timeType(db);
  const id = idType(db);
  await db.schema.alterTable('users').addColumn('totp_secret', 'varchar(200)').execute();
  await db.schema.alterTable('users').addColumn('totp_enabled_at', time).execute();
  await db.schema.alterTable('users').addColumn('totp_last_step', 'integer').execute();
  await db.schema.alterTable('users').addColumn('totp_pending_secret', 'varchar(200)').execute();
  await db.schema.alterTable('users').addColumn('password_changed_at', time).execute();

  await db.schema
    .createTable('sign_in_challenges')
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('user_id', id, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('purpose', 'varchar(20)', (c) => c.notNull())
    .addColumn('pending_secret', 'varchar(200)')
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('expires_at', time, (c) => c.notNull())
    .addColumn('ip', 'varchar(64)')
    .addColumn('user_agent', 'varchar(300)')
    .execute();
  await db.schema.createIndex('sign_in_challenges_user_idx').on('sign_in_challenges').column('user_id').execute();

  await db.schema
    .createTable('security_events')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('occurred_at', time, (c) => c.notNull())
    .addColumn('user_id', id, (c) => c.notNull().references('users.id'))
    .addColumn('actor_id', id, (c) => c.references('users.id'))
    .addColumn('action', 'varchar(40)', (c) => c.notNull())
    .addColumn('ip', 'varchar(64)')
    .execute();
  await db.schema.createIndex('security_events_user_idx').on('security_events').columns(['user_id', 'occurred_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('security_events').execute();
  await db.schema.dropTable('sign_in_challenges').execute();
  await db.schema.alterTable('users').dropColumn('password_changed_at').execute();
  await db.schema.alterTable('users').dropColumn('totp_pending_secret').execute();
  await db.schema.alterTable('users').dropColumn('totp_last_step').execute();
  await db.schema.alterTable('users').dropColumn('totp_enabled_at').execute();
  await db.schema.alterTable('users').dropColumn('totp_secret').execute();
}
