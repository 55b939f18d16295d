import type { Kysely } from 'kysely';
import { idType, timeType } from './helpers';

/**
 * 회신 전화 through the ACD (issue #11 §4): a callback task is offered to an agent like a call; each attempt that does
 * not reach the citizen is counted and tried again later, and after the last one the task is given up ('gave_up',
 * a status value, no schema change). contact_id is the ACD contact of the attempt under way.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const time = timeType(db);
  await db.schema.alterTable('callback_tasks').addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('callback_tasks').addColumn('next_attempt_at', time).execute();
  await db.schema.alterTable('callback_tasks').addColumn('last_attempt_at', time).execute();
  await db.schema.alterTable('callback_tasks').addColumn('contact_id', idType(db)).execute();
  await db.schema.createIndex('callback_tasks_contact_idx').on('callback_tasks').column('contact_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('callback_tasks_contact_idx').execute();
  for (const column of ['contact_id', 'last_attempt_at', 'next_attempt_at', 'attempts']) {
    await db.schema.alterTable('callback_tasks').dropColumn(column).execute();
  }
}
