import type { Kysely } from 'kysely';
import { idType } from './helpers';

/*
 * 부서별 at scale (issue #12 speed): the department report read every hand-off received or due in its period (a year of
 * simulated Gimpo history holds ~140,000; 5.6 s p95 on PostgreSQL). handoff_rollups holds, per KST day and department,
 * the report's exact counts (received, acknowledged, answered, returned by the day received; due and answered on time by
 * the day due) and the answer times themselves (ms, comma-separated), so the median and p90 stay exact
 * (core/domain/handoff-rollups.ts). Kept in the transaction of each hand-off change; the server fills it at start from
 * the hand-offs already written (statistics/rollups.repository.ts rebuildRollupsIfMissing), as for migration 0018.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('handoff_rollups')
    .addColumn('day', 'bigint', (c) => c.notNull())
    .addColumn('department_id', idType(db), (c) => c.notNull())
    .addColumn('received', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('acknowledged', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('answered', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('returned', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('due', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('on_time', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('waits', 'text', (c) => c.notNull().defaultTo(''))
    .addPrimaryKeyConstraint('handoff_rollups_pk', ['day', 'department_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('handoff_rollups').execute();
}
