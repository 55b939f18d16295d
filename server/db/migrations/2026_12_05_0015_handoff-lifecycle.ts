import type { Kysely } from 'kysely';
import { idType, timeType } from './helpers';

/*
 * The hand-off lifecycle, complete (issue #11 §3):
 * - 반려 (return, wrong department): who returned it, when and why; the hand-off waits in the supervisors' re-routing
 *   queue (status 'returned') until it is re-assigned. received_at and due_at are never touched by a re-route: the
 *   legal clock does not restart (docs/HANDOFFS.md).
 * - 연장 (one extension): when, by whom, why, and the due time before it (original_due_at). Non-null extended_at =
 *   the one extension is used.
 * - users.is_department_head: who is told when a hand-off of the department is overdue (escalation).
 * - handoff_notices: reminders, overdue and escalation notices, once each: unique (handoff, kind, due time), so a
 *   second scan (or a second node) inserts nothing; the official's in-app notice list reads them.
 * Columns added to existing tables carry no REFERENCES so that `down` can drop them on SQLite.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const id = idType(db);
  const time = timeType(db);
  await db.schema.alterTable('handoffs').addColumn('returned_at', time).execute();
  await db.schema.alterTable('handoffs').addColumn('returned_by', id).execute();
  await db.schema.alterTable('handoffs').addColumn('return_reason', 'text').execute();
  await db.schema.alterTable('handoffs').addColumn('returned_from_department_id', id).execute();
  await db.schema.alterTable('handoffs').addColumn('extended_at', time).execute();
  await db.schema.alterTable('handoffs').addColumn('extended_by', id).execute();
  await db.schema.alterTable('handoffs').addColumn('extension_reason', 'text').execute();
  await db.schema.alterTable('handoffs').addColumn('original_due_at', time).execute();
  await db.schema.alterTable('users').addColumn('is_department_head', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.createIndex('handoffs_status_due_idx').on('handoffs').columns(['status', 'due_at']).execute();

  await db.schema
    .createTable('handoff_notices')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('handoff_id', id, (c) => c.notNull().references('handoffs.id'))
    .addColumn('kind', 'varchar(16)', (c) => c.notNull())
    .addColumn('due_at', time, (c) => c.notNull())
    .addColumn('department_id', id, (c) => c.notNull().references('departments.id'))
    .addColumn('user_id', id, (c) => c.references('users.id'))
    .addColumn('at', time, (c) => c.notNull())
    .addColumn('read_at', time)
    .addUniqueConstraint('handoff_notices_once', ['handoff_id', 'kind', 'due_at'])
    .execute();
  await db.schema.createIndex('handoff_notices_user_idx').on('handoff_notices').columns(['user_id', 'at']).execute();
  await db.schema.createIndex('handoff_notices_department_idx').on('handoff_notices').columns(['department_id', 'at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('handoff_notices').execute();
  await db.schema.dropIndex('handoffs_status_due_idx').execute();
  await db.schema.alterTable('users').dropColumn('is_department_head').execute();
  for (const column of ['original_due_at', 'extension_reason', 'extended_by', 'extended_at', 'returned_from_department_id', 'return_reason', 'returned_by', 'returned_at']) {
    await db.schema.alterTable('handoffs').dropColumn(column).execute();
  }
}
