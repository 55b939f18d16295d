import { sql, type Kysely } from 'kysely';
import { idType, timeType } from './helpers';

/*
 * 감정노동 보호 over the day (issue #14 §4) and one protocol end per call (§2):
 * - break_plans: the scheduled breaks (휴식, 점심) of one agent, or the centre's default (agent_id null, id 'default'),
 *   as JSON (core/domain/breaks.ts BreakPlan);
 * - agent_breaks: each break the scheduler put due for an agent on a KST day (one row per plan slot), how it went:
 *   due (waiting for the call or wrap-up to end), on_break, taken, missed;
 * - protection_incidents_call_end_uq: at most one protocol end (종료 / 긴급종료) per call, so that two concurrent
 *   ends (two nodes, two requests) can never record two incidents and two 회복.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const id = idType(db);
  const time = timeType(db);
  await db.schema
    .createTable('break_plans')
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('agent_id', id, (c) => c.references('users.id').unique())
    .addColumn('plan', 'text', (c) => c.notNull())
    .addColumn('updated_at', time, (c) => c.notNull())
    .addColumn('updated_by', id, (c) => c.references('users.id'))
    .execute();
  await db.schema
    .createTable('agent_breaks')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('agent_id', id, (c) => c.notNull().references('users.id'))
    .addColumn('day', 'varchar(10)', (c) => c.notNull())
    .addColumn('slot', 'varchar(32)', (c) => c.notNull())
    .addColumn('kind', 'varchar(16)', (c) => c.notNull())
    .addColumn('minutes', 'integer', (c) => c.notNull())
    .addColumn('due_at', time, (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('started_at', time)
    .addColumn('ended_at', time)
    .addColumn('updated_at', time, (c) => c.notNull())
    .addUniqueConstraint('agent_breaks_slot_uq', ['agent_id', 'day', 'slot'])
    .execute();
  await db.schema.createIndex('agent_breaks_day_idx').on('agent_breaks').columns(['day', 'status']).execute();
  await db.schema
    .createIndex('protection_incidents_call_end_uq')
    .on('protection_incidents')
    .column('interaction_id')
    .unique()
    .where(sql.ref('version'), '=', 1)
    .where(sql.ref('end_kind'), 'in', ['after_warnings', 'emergency'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('protection_incidents_call_end_uq').execute();
  await db.schema.dropTable('agent_breaks').execute();
  await db.schema.dropTable('break_plans').execute();
}
