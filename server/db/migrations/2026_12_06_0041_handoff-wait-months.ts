import type { Kysely } from 'kysely';
import { idType } from './helpers';

/*
 * 부서별 over years (issue #12 speed): the median and p90 time to answer of 1,096 days read every answer time of the
 * range from the day rows of 0039 (about half a million numbers at Gimpo's volume, parsed on every report).
 * handoff_wait_months holds the same answer times per KST month (received), department and bucket
 * (core/domain/handoff-rollups.ts waitBucketOf: four per doubling) with their count `n`: a long range sums the counts
 * of its whole months, finds the bucket holding each rank, and reads only the answer times of that bucket — the
 * percentiles stay exact. Kept with the day rows in the transaction of each hand-off change; the server fills it at
 * start from the day rows of a database written before it (statistics/handoff-rollups.repository.ts).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('handoff_wait_months')
    .addColumn('month', 'bigint', (c) => c.notNull())
    .addColumn('department_id', idType(db), (c) => c.notNull())
    .addColumn('bucket', 'integer', (c) => c.notNull())
    .addColumn('n', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('waits', 'text', (c) => c.notNull().defaultTo(''))
    .addPrimaryKeyConstraint('handoff_wait_months_pk', ['month', 'department_id', 'bucket'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('handoff_wait_months').execute();
}
