import type { Kysely } from 'kysely';
import { idType } from './helpers';

/*
 * Statistics at scale (issue #12 §4, Speed): rollups of the contact event log kept in step with it, in the same
 * transaction as the events (server/modules/statistics/rollups.ts), so a report over a year reads thousands of rows
 * instead of millions of events. Times here are epoch milliseconds (bigint) on both dialects: buckets are compared
 * and added as numbers. Everything in these tables can be rebuilt from the raw rows (`npm run stats:rebuild`).
 *
 * - stat_rollups: counters per grain (hour = UTC hour start, one KST hour; task / agent / fcr = KST day start) and
 *   dimension (category, agent, or '').
 * - stat_callbacks: each call that left the queue with a callback request, its callback contact and the delay to the
 *   call back (the median of the service report is not a sum).
 * - stat_dispositions: the first disposition of each call (caller blind index, category, outcome) for the FCR window.
 * - agent_state_rollups: time in each agent state (and not-ready reason) per KST day, closed intervals only.
 */
const COUNTERS = [
  'offered',
  'answered',
  'answered_in_sl',
  'abandoned',
  'short_abandoned',
  'abandoned_after_sl',
  'callbacks',
  'callbacks_answered',
  'callbacks_answered_in_sl',
  'wait_ms',
  'callback_wait_ms',
  'after_hours',
  'handled',
  'resolved',
  'handed_on',
  'handle_ms',
  'acw_ms',
  'fcr_contacts',
  'fcr_resolved',
  'fcr_unidentified',
] as const;

export async function up(db: Kysely<any>): Promise<void> {
  const id = idType(db);
  let rollups = db.schema
    .createTable('stat_rollups')
    .addColumn('grain', 'varchar(8)', (c) => c.notNull())
    .addColumn('bucket', 'bigint', (c) => c.notNull())
    .addColumn('dim', 'varchar(64)', (c) => c.notNull());
  for (const counter of COUNTERS) rollups = rollups.addColumn(counter, 'bigint', (c) => c.notNull().defaultTo(0));
  await rollups.addPrimaryKeyConstraint('stat_rollups_pk', ['grain', 'bucket', 'dim']).execute();

  await db.schema
    .createTable('stat_callbacks')
    .addColumn('interaction_id', id, (c) => c.primaryKey())
    .addColumn('callback_id', id)
    .addColumn('queued_at_ms', 'bigint')
    .addColumn('delay_ms', 'bigint')
    .execute();
  await db.schema.createIndex('stat_callbacks_callback_idx').on('stat_callbacks').column('callback_id').execute();
  await db.schema.createIndex('stat_callbacks_queued_idx').on('stat_callbacks').columns(['queued_at_ms', 'delay_ms']).execute();

  await db.schema
    .createTable('stat_dispositions')
    .addColumn('interaction_id', id, (c) => c.primaryKey())
    .addColumn('at_ms', 'bigint', (c) => c.notNull())
    .addColumn('caller_key', 'varchar(128)')
    .addColumn('category_id', id)
    .addColumn('outcome', 'varchar(16)')
    .execute();
  await db.schema.createIndex('stat_dispositions_key_idx').on('stat_dispositions').columns(['caller_key', 'category_id', 'at_ms']).execute();

  await db.schema
    .createTable('agent_state_rollups')
    .addColumn('day', 'bigint', (c) => c.notNull())
    .addColumn('user_id', id, (c) => c.notNull())
    .addColumn('status', 'varchar(32)', (c) => c.notNull())
    .addColumn('reason', 'varchar(64)', (c) => c.notNull())
    .addColumn('ms', 'bigint', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('agent_state_rollups_pk', ['day', 'user_id', 'status', 'reason'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('agent_state_rollups').execute();
  await db.schema.dropTable('stat_dispositions').execute();
  await db.schema.dropTable('stat_callbacks').execute();
  await db.schema.dropTable('stat_rollups').execute();
}
