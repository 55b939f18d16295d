import type { Kysely } from 'kysely';
import { idType, timeType } from './helpers';

/*
 * The ACD (issue #4): queues and their routes (dialled number + IVR choice), agents' skills per category with levels,
 * each agent's current state and its append-only change log, the contacts the ACD holds (waiting calls, callbacks,
 * calls being handled: a restart rebuilds the in-memory line from these rows), the centre's business hours and the
 * days an admin declares closed, and the webhook event ids already accepted (replay refusal survives a restart).
 */
export async function up(db: Kysely<any>): Promise<void> {
  const id = idType(db);
  const time = timeType(db);

  await db.schema
    .createTable('acd_queues')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('code', 'varchar(32)', (c) => c.notNull().unique())
    .addColumn('name', 'varchar(100)', (c) => c.notNull())
    .addColumn('skill', id, (c) => c.references('categories.id'))
    .addColumn('strategy', 'varchar(16)', (c) => c.notNull())
    .addColumn('escalation', 'text')
    .addColumn('priority', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('is_active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('updated_at', time, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('acd_queue_routes')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('queue_id', id, (c) => c.notNull().references('acd_queues.id').onDelete('cascade'))
    .addColumn('dialled_number', 'varchar(32)', (c) => c.notNull())
    // '' = the number's default route (no IVR choice): a real value keeps the unique key the same on both dialects.
    .addColumn('ivr_choice', 'varchar(8)', (c) => c.notNull().defaultTo(''))
    .addUniqueConstraint('acd_queue_routes_number_choice_uq', ['dialled_number', 'ivr_choice'])
    .execute();

  await db.schema
    .createTable('agent_skills')
    .addColumn('user_id', id, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('skill', id, (c) => c.notNull().references('categories.id'))
    .addColumn('level', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('agent_skills_pk', ['user_id', 'skill'])
    .execute();

  await db.schema
    .createTable('agent_states')
    .addColumn('user_id', id, (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('status', 'varchar(20)', (c) => c.notNull())
    .addColumn('reason', 'varchar(20)')
    .addColumn('since', time, (c) => c.notNull())
    .addColumn('missed_offers', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('pending_not_ready', 'varchar(20)')
    .addColumn('timer_ends_at', time)
    .addColumn('contact_id', id)
    .addColumn('last_offered_at', time)
    .addColumn('calls_handled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('calls_day', 'varchar(10)')
    .addColumn('updated_at', time, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('agent_state_changes')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('user_id', id, (c) => c.notNull().references('users.id'))
    .addColumn('at', time, (c) => c.notNull())
    .addColumn('status', 'varchar(20)', (c) => c.notNull())
    .addColumn('reason', 'varchar(20)')
    .addColumn('source', 'varchar(16)', (c) => c.notNull())
    .addColumn('contact_id', id)
    .execute();
  await db.schema.createIndex('agent_state_changes_user_at_idx').on('agent_state_changes').columns(['user_id', 'at']).execute();
  await db.schema.createIndex('agent_state_changes_at_idx').on('agent_state_changes').column('at').execute();

  await db.schema
    .createTable('acd_contacts')
    .addColumn('id', id, (c) => c.primaryKey().references('interactions.id'))
    .addColumn('kind', 'varchar(16)', (c) => c.notNull())
    .addColumn('source', 'varchar(16)', (c) => c.notNull())
    .addColumn('external_call_id', 'varchar(128)', (c) => c.notNull())
    .addColumn('queue_id', id, (c) => c.notNull().references('acd_queues.id'))
    .addColumn('skill', id)
    .addColumn('priority', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('dialled_number', 'varchar(32)', (c) => c.notNull())
    .addColumn('ivr_choice', 'varchar(8)')
    .addColumn('entered_at', time, (c) => c.notNull())
    .addColumn('virtual_start_at', time, (c) => c.notNull())
    .addColumn('ready_at', time)
    .addColumn('status', 'varchar(20)', (c) => c.notNull())
    .addColumn('agent_id', id, (c) => c.references('users.id'))
    .addColumn('offered_at', time)
    .addColumn('offer_expires_at', time)
    .addColumn('answered_at', time)
    .addColumn('ended_at', time)
    /** JSON array of agent ids who missed or rejected this contact. */
    .addColumn('excluded_agents', 'text')
    /** Callback number sealed by the vault (personal data, server/lib/vault.ts). */
    .addColumn('callback_number_sealed', 'text')
    /** For a callback task: the call it was made from. */
    .addColumn('origin_id', id)
    .addColumn('updated_at', time, (c) => c.notNull())
    .addUniqueConstraint('acd_contacts_source_call_uq', ['source', 'external_call_id'])
    .execute();
  await db.schema.createIndex('acd_contacts_status_idx').on('acd_contacts').column('status').execute();

  await db.schema
    .createTable('acd_business_hours')
    .addColumn('weekday', 'integer', (c) => c.primaryKey())
    .addColumn('opens', 'varchar(5)', (c) => c.notNull())
    .addColumn('closes', 'varchar(5)', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('acd_closed_days')
    .addColumn('day', 'varchar(10)', (c) => c.primaryKey())
    .addColumn('reason', 'varchar(100)', (c) => c.notNull())
    .addColumn('created_by', id, (c) => c.references('users.id'))
    .addColumn('created_at', time, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('telephony_webhook_events')
    .addColumn('event_id', 'varchar(128)', (c) => c.primaryKey())
    .addColumn('received_at', time, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('telephony_webhook_events_at_idx').on('telephony_webhook_events').column('received_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'telephony_webhook_events',
    'acd_closed_days',
    'acd_business_hours',
    'acd_contacts',
    'agent_state_changes',
    'agent_states',
    'agent_skills',
    'acd_queue_routes',
    'acd_queues',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
