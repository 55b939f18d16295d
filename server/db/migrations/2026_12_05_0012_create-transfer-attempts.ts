import type { Kysely } from 'kysely';
import { idType, timeType } from './helpers';

/*
 * Warm transfers (3자통화, issue #11 §2): one row per attempt to hand a caller to an official, with the agent's notes,
 * its end (disposition) and, when it fell back, the case and hand-off it became. Live attempts (ringing, consulting)
 * are resolved to the fall-back at start-up, so a restart loses nothing.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const id = idType(db);
  const time = timeType(db);
  await db.schema
    .createTable('transfer_attempts')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('interaction_id', id, (c) => c.notNull().references('interactions.id'))
    .addColumn('agent_id', id, (c) => c.notNull().references('users.id'))
    .addColumn('official_id', id, (c) => c.notNull().references('users.id'))
    .addColumn('department_id', id, (c) => c.references('departments.id'))
    .addColumn('category_id', id, (c) => c.notNull().references('categories.id'))
    .addColumn('summary', 'varchar(200)', (c) => c.notNull())
    .addColumn('notes', 'text', (c) => c.notNull())
    .addColumn('outside_duty_reason', 'text')
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('decline_reason', 'text')
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('ring_deadline_at', time, (c) => c.notNull())
    .addColumn('accepted_at', time)
    .addColumn('ended_at', time)
    .addColumn('case_id', id, (c) => c.references('cases.id'))
    .addColumn('handoff_id', id, (c) => c.references('handoffs.id'))
    .execute();
  await db.schema.createIndex('transfer_attempts_status_idx').on('transfer_attempts').columns(['status', 'ring_deadline_at']).execute();
  await db.schema.createIndex('transfer_attempts_interaction_idx').on('transfer_attempts').column('interaction_id').execute();
  await db.schema.createIndex('transfer_attempts_official_idx').on('transfer_attempts').columns(['official_id', 'created_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('transfer_attempts').execute();
}
