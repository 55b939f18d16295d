import { PostgresAdapter, sql } from 'kysely';
import {
  HANDOFF_COUNTERS,
  editWaits,
  handOffRollupDeltas,
  parseWaits,
  type HandOffCounter,
  type HandOffRollupFact,
} from '../../../core/domain/handoff-rollups';
import type { Db } from '../../db/database';
import type { HandOffTable } from '../../db/tables';

/**
 * Keeps 부서별's rollups (migration 0039, core/domain/handoff-rollups.ts) in step with the hand-offs, in the transaction
 * that writes them: the hand-off's creation (cases, seed), each change of state (handoffs.repository.ts) and simulated
 * history (in bulk). Every change adds contribution(after) − contribution(before). `npm run stats:rebuild` recomputes
 * them from the hand-offs.
 */

const isPostgres = (db: Db) => db.getExecutor().adapter instanceof PostgresAdapter;

/** The columns of a hand-off the rollups read. */
export const HANDOFF_FACT_COLUMNS = ['department_id', 'received_at', 'due_at', 'acknowledged_at', 'answered_at', 'status'] as const;
type FactColumns = Pick<HandOffTable, (typeof HANDOFF_FACT_COLUMNS)[number]>;

type Time = string | Date;
const ms = (t: Time) => (typeof t === 'string' ? Date.parse(t) : t.getTime());

/** A hand-off row as written or read (times as ISO text on SQLite, as text or Date from PostgreSQL). */
export type HandOffFactRow = {
  department_id: string;
  received_at: Time;
  due_at: Time;
  acknowledged_at?: Time | null;
  answered_at?: Time | null;
  status?: string;
};

/** The rollup's view of a hand-off row. */
export function handOffFactOf(row: HandOffFactRow): HandOffRollupFact {
  return {
    departmentId: row.department_id,
    receivedAt: ms(row.received_at),
    dueAt: ms(row.due_at),
    acknowledgedAt: row.acknowledged_at ? ms(row.acknowledged_at) : null,
    answeredAt: row.answered_at ? ms(row.answered_at) : null,
    isReturned: row.status === 'returned',
  };
}

/**
 * The fact columns of one hand-off before it changes; on PostgreSQL the row is locked (FOR UPDATE) so the change and
 * its rollup delta see the same "before" as any other transaction changing the hand-off.
 */
export async function findHandOffForChange(db: Db, id: string): Promise<FactColumns | undefined> {
  let q = db.selectFrom('handoffs').select([...HANDOFF_FACT_COLUMNS]).where('id', '=', id);
  if (isPostgres(db)) q = q.forUpdate();
  return q.executeTakeFirst();
}

/**
 * Keeps the rollups for hand-offs changing from `before` to `after` (new hand-offs: `before` empty; the same hand-offs
 * in the same order otherwise is not required: the deltas are sums). Counters are added by upsert; answer times added
 * are appended in the same statement; answer times taken away (an answer undone, a hand-off returned after its answer)
 * are removed from the locked row.
 */
export async function keepHandOffRollups(db: Db, before: readonly HandOffRollupFact[], after: readonly HandOffRollupFact[]): Promise<void> {
  const deltas = handOffRollupDeltas(before, after).sort((a, b) => a.day - b.day || a.departmentId.localeCompare(b.departmentId));
  if (deltas.length === 0) return;
  for (let i = 0; i < deltas.length; i += 500) {
    const part = deltas.slice(i, i + 500);
    await db
      .insertInto('handoff_rollups')
      .values(part.map((d) => ({ day: d.day, department_id: d.departmentId, ...d.counts, waits: d.waitsAdded.join(',') })))
      .onConflict((oc) =>
        oc.columns(['day', 'department_id']).doUpdateSet((eb) => ({
          ...Object.fromEntries(HANDOFF_COUNTERS.map((k) => [k, eb(eb.ref(`handoff_rollups.${k}`), '+', eb.ref(`excluded.${k}`))])),
          waits: sql<string>`case when excluded.waits = '' then handoff_rollups.waits when handoff_rollups.waits = '' then excluded.waits else handoff_rollups.waits || ',' || excluded.waits end`,
        })),
      )
      .execute();
  }
  for (const d of deltas) {
    if (d.waitsRemoved.length === 0) continue;
    const row = await db.selectFrom('handoff_rollups').select('waits').where('day', '=', d.day).where('department_id', '=', d.departmentId).executeTakeFirstOrThrow();
    await db
      .updateTable('handoff_rollups')
      .set({ waits: editWaits(row.waits, [], d.waitsRemoved) })
      .where('day', '=', d.day)
      .where('department_id', '=', d.departmentId)
      .execute();
  }
}

/** Recomputes every hand-off rollup from the hand-offs (the rebuild; run in a transaction). Returns the hand-offs read. */
export async function rebuildHandOffRollups(db: Db): Promise<number> {
  await db.deleteFrom('handoff_rollups').execute();
  let last: string | null = null;
  let count = 0;
  const facts: HandOffRollupFact[] = [];
  for (;;) {
    let page = db.selectFrom('handoffs').select(['id', ...HANDOFF_FACT_COLUMNS]);
    if (last !== null) page = page.where('id', '>', last);
    const rows = await page.orderBy('id').limit(20_000).execute();
    if (rows.length === 0) break;
    last = rows[rows.length - 1]!.id;
    for (const r of rows) facts.push(handOffFactOf(r));
    count += rows.length;
  }
  await keepHandOffRollups(db, [], facts);
  return count;
}

export type HandOffSums = Record<HandOffCounter, number>;

/**
 * Per department, the counters of the KST days in [fromMs, toMs): received, acknowledged, answered and returned of every
 * day; due and on time only of days before `dueCutMs` (the day of "now", whose deadlines have not all passed, is
 * counted from the hand-offs themselves: countDueHandOffs).
 */
export async function sumHandOffRollups(db: Db, fromMs: number, toMs: number, dueCutMs: number, departmentId?: string): Promise<Map<string, HandOffSums>> {
  let q = db
    .selectFrom('handoff_rollups')
    .select([
      'department_id',
      sql<number>`sum(received)`.as('received'),
      sql<number>`sum(acknowledged)`.as('acknowledged'),
      sql<number>`sum(answered)`.as('answered'),
      sql<number>`sum(returned)`.as('returned'),
      sql<number>`sum(case when day < ${dueCutMs} then due else 0 end)`.as('due'),
      sql<number>`sum(case when day < ${dueCutMs} then on_time else 0 end)`.as('on_time'),
    ])
    .where('day', '>=', fromMs)
    .where('day', '<', toMs);
  if (departmentId) q = q.where('department_id', '=', departmentId);
  const rows = await q.groupBy('department_id').execute();
  return new Map(rows.map((r) => [r.department_id, Object.fromEntries(HANDOFF_COUNTERS.map((k) => [k, Number(r[k])])) as HandOffSums]));
}

/** Per department, the answer times (ms) of the hand-offs received on the KST days in [fromMs, toMs), concatenated by the database. */
export async function listHandOffWaits(db: Db, fromMs: number, toMs: number, departmentId?: string): Promise<Map<string, number[]>> {
  const joined = isPostgres(db) ? sql<string>`string_agg(waits, ',')` : sql<string>`group_concat(waits, ',')`;
  let q = db
    .selectFrom('handoff_rollups')
    .select(['department_id', joined.as('waits')])
    .where('day', '>=', fromMs)
    .where('day', '<', toMs)
    .where('waits', '<>', '');
  if (departmentId) q = q.where('department_id', '=', departmentId);
  const rows = await q.groupBy('department_id').execute();
  return new Map(rows.map((r) => [r.department_id, parseWaits(r.waits)]));
}

/** Per department, the hand-offs (not returned) due in [fromIso, nowIso] and those answered by their deadline. */
export async function countDueHandOffs(db: Db, fromIso: string, nowIso: string, departmentId?: string): Promise<Map<string, { due: number; onTime: number }>> {
  let q = db
    .selectFrom('handoffs')
    .select([
      'department_id',
      (eb) => eb.fn.countAll<number>().as('due'),
      sql<number>`sum(case when answered_at is not null and answered_at <= due_at then 1 else 0 end)`.as('on_time'),
    ])
    .where('due_at', '>=', fromIso)
    .where('due_at', '<=', nowIso)
    .where('status', '<>', 'returned');
  if (departmentId) q = q.where('department_id', '=', departmentId);
  const rows = await q.groupBy('department_id').execute();
  return new Map(rows.map((r) => [r.department_id, { due: Number(r.due), onTime: Number(r.on_time) }]));
}
