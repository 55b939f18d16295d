import type { Kysely } from 'kysely';
import { idType, timeType } from './helpers';

/*
 * The administrative case system link (issue #16 §1). One settings row (the external system's URL, the admin's field
 * mapping as JSON, webhook or polling, the sealed secrets: the credential OneCall presents and the webhook's signing
 * secret, never read back to a client). The link of each registered hand-off to the external case number. The ids of
 * inbound reports already applied (a repeated webhook or poll changes nothing). Messages themselves go through the one
 * outbox (kind 'case_system'); the index on handoff_id lets the worker keep each hand-off's messages in order.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const id = idType(db);
  const time = timeType(db);
  await db.schema
    .createTable('case_system_settings')
    .addColumn('id', 'varchar(20)', (c) => c.primaryKey())
    .addColumn('is_enabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('base_url', 'text', (c) => c.notNull())
    .addColumn('inbound_mode', 'varchar(16)', (c) => c.notNull())
    .addColumn('mapping', 'text', (c) => c.notNull())
    .addColumn('auth_kind', 'varchar(20)', (c) => c.notNull())
    .addColumn('auth_name', 'varchar(100)')
    .addColumn('auth_secret_sealed', 'text')
    .addColumn('client_cert_sealed', 'text')
    .addColumn('webhook_secret_sealed', 'text')
    .addColumn('timeout_ms', 'integer', (c) => c.notNull())
    .addColumn('poll_cursor', 'text')
    .addColumn('updated_at', time, (c) => c.notNull())
    .addColumn('updated_by', id, (c) => c.references('users.id'))
    .execute();
  await db.schema
    .createTable('case_system_links')
    .addColumn('handoff_id', id, (c) => c.primaryKey().references('handoffs.id'))
    .addColumn('external_case_no', 'varchar(100)', (c) => c.notNull().unique())
    .addColumn('registered_at', time, (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('case_system_inbound')
    .addColumn('event_id', 'varchar(200)', (c) => c.primaryKey())
    .addColumn('handoff_id', id, (c) => c.references('handoffs.id'))
    .addColumn('kind', 'varchar(20)', (c) => c.notNull())
    .addColumn('via', 'varchar(16)', (c) => c.notNull())
    .addColumn('outcome', 'varchar(20)', (c) => c.notNull())
    .addColumn('received_at', time, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('outbox_messages_handoff_idx').on('outbox_messages').columns(['handoff_id', 'kind', 'status']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('outbox_messages_handoff_idx').execute();
  await db.schema.dropTable('case_system_inbound').execute();
  await db.schema.dropTable('case_system_links').execute();
  await db.schema.dropTable('case_system_settings').execute();
}
