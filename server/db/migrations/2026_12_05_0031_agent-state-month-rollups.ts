import { sql, type Kysely } from 'kysely';
import { idType } from './helpers';

/*
 * 상담사별 over years (issue #12 speed): agent_state_rollups holds one row per KST day, agent, state and reason, so a
 * three-year by-agent report summed ~145k rows. agent_state_month_rollups holds the same time per KST month; the report
 * reads whole months from here and only the partial months at the edges from the day rows. Kept in the same
 * transaction as the day rows (statistics/rollups.repository.ts) and filled here from the day rows already written.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('agent_state_month_rollups')
    .addColumn('month', 'bigint', (c) => c.notNull())
    .addColumn('user_id', idType(db), (c) => c.notNull())
    .addColumn('status', 'varchar(32)', (c) => c.notNull())
    .addColumn('reason', 'varchar(64)', (c) => c.notNull())
    .addColumn('ms', 'bigint', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('agent_state_month_rollups_pk', ['month', 'user_id', 'status', 'reason'])
    .execute();
  // KST month start of a KST day start: the day's calendar date (UTC date of day + 9 h), first of its month, − 9 h.
  const days = await db.selectFrom('agent_state_rollups').select('day').distinct().execute();
  for (const { day } of days) {
    const local = new Date(Number(day) + 9 * 3_600_000);
    const month = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), 1) - 9 * 3_600_000;
    await sql`insert into agent_state_month_rollups (month, user_id, status, reason, ms)
      select ${month}, user_id, status, reason, ms from agent_state_rollups where day = ${Number(day)}
      on conflict (month, user_id, status, reason) do update set ms = agent_state_month_rollups.ms + excluded.ms`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('agent_state_month_rollups').execute();
}
