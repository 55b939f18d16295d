import { sql } from 'kysely';
import { MONTH_GRAIN_OF, ROLLUP_COUNTERS, zeroCounts, type RollupCounter, type RollupCounts, type RollupGrain } from '../../../core/domain/stat-rollups';
import type { Db } from '../../db/database';
import { DAY_MS, HOUR_MS, KST_OFFSET_MS } from '../../../core/domain/kst';
import { kstMonthStartOf, kstNextMonthStartOf } from '../../../core/domain/statistics';

/**
 * Reads of the statistics (issue #12 §1). Every figure is recomputed from the raw rows: the contact event log for
 * contacts, the agent state log for occupancy and not-ready time, the hand-offs and transfer attempts for departments.
 * Times are ISO-8601 UTC strings on both dialects, so a range is a string comparison on the indexed `at` columns.
 */

/** The contact events the figures read (other types are not loaded). */
export const STAT_EVENT_TYPES = [
  'call_offered',
  'call_queued',
  'call_answered',
  'call_held',
  'call_resumed',
  'call_transferred',
  'call_abandoned',
  'callback_requested',
  'call_ended',
  'wrap_up_ended',
  'call_dispositioned',
] as const;

/** The contact events of calls in [fromIso, toIso), of the given types (default: every type the figures read). */
export async function listContactEvents(db: Db, fromIso: string, toIso: string, types: readonly (typeof STAT_EVENT_TYPES)[number][] = STAT_EVENT_TYPES) {
  return db
    .selectFrom('contact_events')
    .select(['interaction_id', 'type', 'at', 'actor_id', 'data'])
    .where('at', '>=', fromIso)
    .where('at', '<', toIso)
    .where('interaction_id', 'is not', null)
    .where('type', 'in', [...types])
    .execute();
}

/**
 * Agent state changes in [fromIso, toIso) and, for each agent, the last change before `fromIso` (the state the agent
 * was in when the period began).
 */
export async function listAgentStateChanges(db: Db, fromIso: string, toIso: string, agentIds?: readonly string[]) {
  let q = db
    .selectFrom('agent_state_changes as c')
    .select(['c.user_id', 'c.at', 'c.status', 'c.reason'])
    .where((eb) =>
      eb.or([
        eb.and([eb('c.at', '>=', fromIso), eb('c.at', '<', toIso)]),
        eb(
          'c.at',
          '=',
          eb
            .selectFrom('agent_state_changes as p')
            .select((s) => s.fn.max('p.at').as('at'))
            .whereRef('p.user_id', '=', 'c.user_id')
            .where('p.at', '<', fromIso),
        ),
      ]),
    );
  if (agentIds) q = q.where('c.user_id', 'in', agentIds.length > 0 ? [...agentIds] : ['']);
  return q.orderBy('c.at').orderBy('c.id').execute();
}

/** The 분야 → 업무 → 세부 tree (inactive categories too: old contacts keep theirs). */
export async function listCategories(db: Db) {
  return db.selectFrom('categories').select(['id', 'parent_id', 'level', 'code', 'name', 'path', 'department_id']).orderBy('code').execute();
}

export async function listDepartments(db: Db) {
  return db.selectFrom('departments').select(['id', 'name']).orderBy('code').execute();
}

/** Every agent (active or not: a report on last year names who worked then). */
export async function listAgents(db: Db) {
  return db.selectFrom('users').select(['id', 'name', 'role']).where('role', '=', 'agent').orderBy('name').execute();
}

export async function findUser(db: Db, id: string) {
  return db.selectFrom('users').select(['id', 'name', 'role']).where('id', '=', id).executeTakeFirst();
}

/**
 * Hand-offs received or due in [fromIso, toIso): two index range reads (migration 0036), a hand-off in both once.
 * The open overdue ones of all time are counted apart (countOverdueHandOffs), not read.
 */
export async function listHandOffs(db: Db, fromIso: string, toIso: string, departmentId?: string) {
  const columns = ['id', 'department_id', 'received_at', 'due_at', 'acknowledged_at', 'answered_at', 'status'] as const;
  let received = db.selectFrom('handoffs').select(columns).where('received_at', '>=', fromIso).where('received_at', '<', toIso);
  let due = db.selectFrom('handoffs').select(columns).where('due_at', '>=', fromIso).where('due_at', '<', toIso);
  if (departmentId) {
    received = received.where('department_id', '=', departmentId);
    due = due.where('department_id', '=', departmentId);
  }
  return received.union(due).execute();
}

/** Hand-offs still open (not answered, closed or returned) past their deadline at `nowIso`, per department. */
export async function countOverdueHandOffs(db: Db, nowIso: string, departmentId?: string): Promise<Map<string, number>> {
  let q = db
    .selectFrom('handoffs')
    .select(['department_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('status', 'in', ['pending', 'acknowledged', 'in_progress'])
    .where('due_at', '<', nowIso)
    .where('answered_at', 'is', null);
  if (departmentId) q = q.where('department_id', '=', departmentId);
  const rows = await q.groupBy('department_id').execute();
  return new Map(rows.map((r) => [r.department_id, Number(r.n)]));
}

/** Warm-transfer attempts begun in [fromIso, toIso). */
export async function listTransferAttempts(db: Db, fromIso: string, toIso: string, departmentId?: string) {
  let q = db
    .selectFrom('transfer_attempts')
    .select(['department_id', 'created_at', 'status', 'handoff_id'])
    .where('created_at', '>=', fromIso)
    .where('created_at', '<', toIso);
  if (departmentId) q = q.where('department_id', '=', departmentId);
  return q.execute();
}

// ————————————————————————— rollups (migration 0018, kept by statistics/rollups.repository.ts) —————————————————————————

const sumOf = (column: RollupCounter) => sql<number>`coalesce(sum(${sql.ref(column)}), 0)`.as(column);

/** The counters of a grain summed over buckets in [fromMs, toMs). */
export async function sumRollups(db: Db, grain: RollupGrain, fromMs: number, toMs: number): Promise<RollupCounts> {
  const row = await db
    .selectFrom('stat_rollups')
    .select(ROLLUP_COUNTERS.map(sumOf))
    .where('grain', '=', grain)
    .where('bucket', '>=', fromMs)
    .where('bucket', '<', toMs)
    .executeTakeFirstOrThrow();
  return Object.fromEntries(ROLLUP_COUNTERS.map((k) => [k, Number(row[k])])) as RollupCounts;
}

/** The handling counters a per-dimension report reads (by-task, by-agent). */
const HANDLING_COUNTERS = ['handled', 'resolved', 'handed_on', 'handle_ms', 'acw_ms'] as const;
export type HandlingCounts = Record<(typeof HANDLING_COUNTERS)[number], number>;

/**
 * Handling per category ('task') or answering agent ('agent') over KST days in [fromMs, toMs): whole KST months from
 * the month rows (task_m, agent_m), the partial months at either edge from the day rows, only the counters the reports
 * read (a three-year by-agent report reads ~36 rows per agent instead of ~1,100).
 */
export async function sumHandlingByDim(db: Db, grain: 'task' | 'agent', fromMs: number, toMs: number): Promise<Map<string, HandlingCounts>> {
  const firstMonth = kstMonthStartOf(fromMs) === fromMs ? fromMs : kstNextMonthStartOf(fromMs);
  const endMonth = kstMonthStartOf(toMs);
  const read = (g: RollupGrain, a: number, b: number) =>
    a >= b
      ? Promise.resolve([])
      : db
          .selectFrom('stat_rollups')
          .select(['dim', ...HANDLING_COUNTERS.map(sumOf)])
          .where('grain', '=', g)
          .where('bucket', '>=', a)
          .where('bucket', '<', b)
          .groupBy('dim')
          .execute();
  const parts =
    firstMonth < endMonth
      ? [read(grain, fromMs, firstMonth), read(MONTH_GRAIN_OF[grain], firstMonth, endMonth), read(grain, endMonth, toMs)]
      : [read(grain, fromMs, toMs)];
  const out = new Map<string, HandlingCounts>();
  for (const rows of await Promise.all(parts))
    for (const r of rows) {
      const got = out.get(r.dim) ?? { handled: 0, resolved: 0, handed_on: 0, handle_ms: 0, acw_ms: 0 };
      for (const k of HANDLING_COUNTERS) got[k] += Number(r[k]);
      out.set(r.dim, got);
    }
  return out;
}

/** The nearest-rank percentile of the callback delays (request → call back answered) of calls queued in [fromMs, toMs). */
export async function callbackDelayPercentile(db: Db, fromMs: number, toMs: number, p: number): Promise<number | null> {
  const inRange = db.selectFrom('stat_callbacks').where('queued_at_ms', '>=', fromMs).where('queued_at_ms', '<', toMs).where('delay_ms', 'is not', null);
  const { n } = await inRange.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  if (Number(n) === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * Number(n)));
  const row = await inRange.select('delay_ms').orderBy('delay_ms').limit(1).offset(rank - 1).executeTakeFirstOrThrow();
  return Number(row.delay_ms);
}

/**
 * Closed agent-state time per agent, state and reason ('' = none) over KST days in [fromMs, toMs): whole KST months
 * from agent_state_month_rollups, the partial months at either edge from the day rows (a three-year report reads ~36
 * month rows per agent and state instead of ~1,100 day rows).
 */
export async function sumAgentStates(db: Db, fromMs: number, toMs: number, agentIds?: readonly string[]) {
  if (agentIds && agentIds.length === 0) return [];
  const firstMonth = kstMonthStartOf(fromMs) === fromMs ? fromMs : kstNextMonthStartOf(fromMs);
  const endMonth = kstMonthStartOf(toMs);
  const parts =
    firstMonth < endMonth
      ? [sumStateRows(db, 'day', fromMs, firstMonth, agentIds), sumStateRows(db, 'month', firstMonth, endMonth, agentIds), sumStateRows(db, 'day', endMonth, toMs, agentIds)]
      : [sumStateRows(db, 'day', fromMs, toMs, agentIds)];
  const sums = new Map<string, { user_id: string; status: string; reason: string; ms: number }>();
  for (const rows of await Promise.all(parts))
    for (const r of rows) {
      const key = `${r.user_id}|${r.status}|${r.reason}`;
      const got = sums.get(key);
      if (got) got.ms += Number(r.ms);
      else sums.set(key, { user_id: r.user_id, status: r.status, reason: r.reason, ms: Number(r.ms) });
    }
  return [...sums.values()];
}

async function sumStateRows(db: Db, grain: 'day' | 'month', fromMs: number, toMs: number, agentIds?: readonly string[]) {
  if (fromMs >= toMs) return [];
  const table = grain === 'day' ? 'agent_state_rollups' : 'agent_state_month_rollups';
  let q = db
    .selectFrom(table)
    .select(['user_id', 'status', 'reason', sql<number>`sum(ms)`.as('ms')])
    .where(grain, '>=', fromMs)
    .where(grain, '<', toMs);
  if (agentIds) q = q.where('user_id', 'in', [...agentIds]);
  return q.groupBy(['user_id', 'status', 'reason']).execute();
}

/** The counters the period totals read (StatsTotals: offered, answered, handled, SL, 포기율, ASA, AHT, 직접처리율). */
const TOTALS_COUNTERS = ['offered', 'answered', 'answered_in_sl', 'abandoned', 'short_abandoned', 'abandoned_after_sl', 'wait_ms', 'handled', 'resolved', 'handle_ms'] as const;

const KST_OFFSET = sql.lit(KST_OFFSET_MS);

/**
 * The counters of the period totals of the hour rows in [fromMs, toMs), summed per series bucket by the database (a
 * three-year series has ~26,000 hour rows and a few dozen buckets): `starts` are the buckets' ascending starts, an hour
 * goes to the last bucket starting at or before it. The starts are computed instants, written as literals so the
 * bucket expression is one text for GROUP BY on PostgreSQL. Index i of the result is bucket i (zeros when empty).
 */
export async function sumHourTotalsPerBucket(db: Db, fromMs: number, toMs: number, starts: readonly number[]): Promise<RollupCounts[]> {
  const index =
    starts.length <= 1
      ? sql<number>`0`
      : sql<number>`case ${sql.join(starts.slice(1).map((start, i) => sql`when bucket < ${sql.lit(start)} then ${sql.lit(i)}`), sql` `)} else ${sql.lit(starts.length - 1)} end`;
  const rows = await db
    .selectFrom('stat_rollups')
    .select([index.as('i'), ...TOTALS_COUNTERS.map(sumOf)])
    .where('grain', '=', 'hour')
    .where('bucket', '>=', fromMs)
    .where('bucket', '<', toMs)
    .groupBy(index)
    .execute();
  const out = starts.map(() => zeroCounts());
  for (const r of rows) {
    const into = out[Number(r.i)]!;
    for (const k of TOTALS_COUNTERS) into[k] = Number(r[k]);
  }
  return out;
}

/** Calls offered in [fromMs, toMs) per KST weekday (index 0 = Monday) and hour of day, summed by the database (the heat map). */
export async function sumOfferedByHourOfWeek(db: Db, fromMs: number, toMs: number): Promise<number[][]> {
  // 1970-01-01 (KST day 0) was a Thursday: ISO weekday index (day + 3) mod 7.
  const weekday = sql<number>`(((bucket + ${KST_OFFSET}) / ${sql.lit(DAY_MS)}) + 3) % 7`;
  const hour = sql<number>`((bucket + ${KST_OFFSET}) / ${sql.lit(HOUR_MS)}) % 24`;
  const rows = await db
    .selectFrom('stat_rollups')
    .select([weekday.as('weekday'), hour.as('hour'), sql<number>`coalesce(sum(offered), 0)`.as('offered')])
    .where('grain', '=', 'hour')
    .where('bucket', '>=', fromMs)
    .where('bucket', '<', toMs)
    .groupBy([weekday, hour])
    .execute();
  const grid = Array.from({ length: 7 }, () => Array<number>(24).fill(0));
  for (const r of rows) grid[Number(r.weekday)]![Number(r.hour)] = Number(r.offered);
  return grid;
}

/** The hour rows in [fromMs, toMs) in time order, with the counters of the period totals (one row per hour: no grouping). */
export async function listHourTotals(db: Db, fromMs: number, toMs: number) {
  const rows = await db
    .selectFrom('stat_rollups')
    .select(['bucket', ...TOTALS_COUNTERS])
    .where('grain', '=', 'hour')
    .where('bucket', '>=', fromMs)
    .where('bucket', '<', toMs)
    .orderBy('bucket')
    .execute();
  return rows.map((r) => {
    const counts = zeroCounts();
    for (const k of TOTALS_COUNTERS) counts[k] = Number(r[k]);
    return { at: Number(r.bucket), counts };
  });
}
