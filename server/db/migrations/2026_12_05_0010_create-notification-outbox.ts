import type { Kysely } from 'kysely';
import { idType, timeType } from './helpers';

/*
 * The citizen hears back (issue #11 §4). One outbox for the whole product: a message has a kind (what it is about),
 * a channel, a sealed payload (address and text), an idempotency key (unique: the same message is never queued twice),
 * attempts, when to try next, a lease (claimed_until) so two workers never send one message twice at once, and the
 * last error. Templates edited by the admin (defaults live in core/domain/notifications.ts). The citizen's reply
 * preference per case (address sealed by the vault). Callback tasks for agents. And on the hand-off, how and when the
 * citizen was told: it closes only then.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const id = idType(db);
  const time = timeType(db);
  await db.schema
    .createTable('outbox_messages')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('kind', 'varchar(40)', (c) => c.notNull())
    .addColumn('channel', 'varchar(16)', (c) => c.notNull())
    .addColumn('payload_sealed', 'text', (c) => c.notNull())
    .addColumn('idempotency_key', 'varchar(200)', (c) => c.notNull().unique())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('max_attempts', 'integer', (c) => c.notNull())
    .addColumn('next_attempt_at', time)
    .addColumn('claimed_until', time)
    .addColumn('last_error', 'text')
    .addColumn('case_id', id, (c) => c.references('cases.id'))
    .addColumn('handoff_id', id, (c) => c.references('handoffs.id'))
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('updated_at', time, (c) => c.notNull())
    .addColumn('sent_at', time)
    .execute();
  await db.schema.createIndex('outbox_messages_due_idx').on('outbox_messages').columns(['status', 'next_attempt_at']).execute();
  await db.schema.createIndex('outbox_messages_case_idx').on('outbox_messages').column('case_id').execute();

  await db.schema
    .createTable('notification_templates')
    .addColumn('key', 'varchar(60)', (c) => c.primaryKey())
    .addColumn('subject', 'text')
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('updated_at', time, (c) => c.notNull())
    .addColumn('updated_by', id, (c) => c.references('users.id'))
    .execute();

  await db.schema
    .createTable('reply_preferences')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('case_id', id, (c) => c.notNull().unique().references('cases.id'))
    .addColumn('channel', 'varchar(16)', (c) => c.notNull())
    .addColumn('consent', 'integer', (c) => c.notNull())
    .addColumn('address_sealed', 'text')
    .addColumn('recorded_by', id, (c) => c.references('users.id'))
    .addColumn('recorded_at', time, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('callback_tasks')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('case_id', id, (c) => c.notNull().references('cases.id'))
    .addColumn('handoff_id', id, (c) => c.references('handoffs.id'))
    .addColumn('outbox_message_id', id, (c) => c.references('outbox_messages.id'))
    .addColumn('reason', 'varchar(20)', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('done_at', time)
    .addColumn('done_by', id, (c) => c.references('users.id'))
    .execute();
  await db.schema.createIndex('callback_tasks_status_idx').on('callback_tasks').columns(['status', 'created_at']).execute();
  await db.schema.createIndex('callback_tasks_case_idx').on('callback_tasks').column('case_id').execute();

  await db.schema.alterTable('handoffs').addColumn('told_channel', 'varchar(16)').execute();
  await db.schema.alterTable('handoffs').addColumn('told_at', time).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('handoffs').dropColumn('told_at').execute();
  await db.schema.alterTable('handoffs').dropColumn('told_channel').execute();
  await db.schema.dropTable('callback_tasks').execute();
  await db.schema.dropTable('reply_preferences').execute();
  await db.schema.dropTable('notification_templates').execute();
  await db.schema.dropTable('outbox_messages').execute();
}
