import { PostgresAdapter, sql } from 'kysely';
import {
  HANDOFF_COUNTERS,
  editWaits,
  handOffRollupDeltas,
  kthSmallest,
  locateRanks,
  nearestRanks,
  parseWaits,
  waitBucketOf,
  waitMonthDeltas,
  type HandOffCounter,
  type HandOffRollupDelta,
  type HandOffRollupFact,
} from '../../../core/domain/handoff-rollups';
import { kstMonthStartOf, kstNextMonthStartOf } from '../../../core/domain/statistics';
import type { Db } from '../../db/database';
import { preparedRows, slotsOf } from '../../db/prepared';
import type { HandOffTable } from '../../db/tables';

/**
 * Keeps 부서별's rollups (migrations 0039 and 0041, core/domain/handoff-rollups.ts) in step with the hand-offs, in the
 * transaction that writes them: the hand-off's creation (cases, seed), each change of state (handoffs.repository.ts) and simulated
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
 * in the same order otherwise is not required: the deltas are sums): the day rows (0039) and the answer times' month
 * rows (0041). Counters are added by upsert; answer times added are appended in the same statement; answer times taken
 * away (an answer undone, a hand-off returned after its answer) are removed from the locked row.
 */
export async function keepHandOffRollups(db: Db, before: readonly HandOffRollupFact[], after: readonly HandOffRollupFact[]): Promise<void> {
  const deltas = handOffRollupDeltas(before, after).sort((a, b) => a.day - b.day || a.departmentId.localeCompare(b.departmentId));
  if (deltas.length === 0) return;
  await keepDayRows(db, deltas);
  await keepWaitMonthRows(db, deltas);
}

const appendWaits = (table: 'handoff_rollups' | 'handoff_wait_months') =>
  sql<string>`case when excluded.waits = '' then ${sql.ref(`${table}.waits`)} when ${sql.ref(`${table}.waits`)} = '' then excluded.waits else ${sql.ref(`${table}.waits`)} || ',' || excluded.waits end`;

type DayRow = { day: number; department_id: string; waits: string } & Record<HandOffCounter, number>;
const DAY_ROW_COLUMNS = ['day', 'department_id', ...HANDOFF_COUNTERS, 'waits'] as const;
// Every hand-off recorded adds to its received and due days: built once (server/db/prepared.ts), 100 rows a statement.
const addDayRows = preparedRows<DayRow>('handoff_rollups.add', (db, rows) =>
  db
    .insertInto('handoff_rollups')
    .values(rows.map((r) => slotsOf(r, DAY_ROW_COLUMNS)))
    .onConflict((oc) =>
      oc.columns(['day', 'department_id']).doUpdateSet((eb) => ({
        ...Object.fromEntries(HANDOFF_COUNTERS.map((k) => [k, eb(eb.ref(`handoff_rollups.${k}`), '+', eb.ref(`excluded.${k}`))])),
        waits: appendWaits('handoff_rollups'),
      })),
    ),
);

async function keepDayRows(db: Db, deltas: readonly HandOffRollupDelta[]): Promise<void> {
  await addDayRows(
    db,
    deltas.map((d) => ({ day: d.day, department_id: d.departmentId, ...d.counts, waits: d.waitsAdded.join(',') })),
  );
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

async function keepWaitMonthRows(db: Db, dayDeltas: readonly HandOffRollupDelta[]): Promise<void> {
  const deltas = waitMonthDeltas(dayDeltas).sort((a, b) => a.month - b.month || a.departmentId.localeCompare(b.departmentId) || a.bucket - b.bucket);
  for (let i = 0; i < deltas.length; i += 500) {
    const part = deltas.slice(i, i + 500);
    await db
      .insertInto('handoff_wait_months')
      .values(part.map((d) => ({ month: d.month, department_id: d.departmentId, bucket: d.bucket, n: d.waitsAdded.length - d.waitsRemoved.length, waits: d.waitsAdded.join(',') })))
      .onConflict((oc) =>
        oc.columns(['month', 'department_id', 'bucket']).doUpdateSet((eb) => ({
          n: eb(eb.ref('handoff_wait_months.n'), '+', eb.ref('excluded.n')),
          waits: appendWaits('handoff_wait_months'),
        })),
      )
      .execute();
  }
  for (const d of deltas) {
    if (d.waitsRemoved.length === 0) continue;
    const row = await db
      .selectFrom('handoff_wait_months')
      .select('waits')
      .where('month', '=', d.month)
      .where('department_id', '=', d.departmentId)
      .where('bucket', '=', d.bucket)
      .executeTakeFirstOrThrow();
    await db
      .updateTable('handoff_wait_months')
      .set({ waits: editWaits(row.waits, [], d.waitsRemoved) })
      .where('month', '=', d.month)
      .where('department_id', '=', d.departmentId)
      .where('bucket', '=', d.bucket)
      .execute();
  }
}

/** Recomputes every hand-off rollup from the hand-offs (the rebuild; run in a transaction). Returns the hand-offs read. */
export async function rebuildHandOffRollups(db: Db): Promise<number> {
  await db.deleteFrom('handoff_rollups').execute();
  await db.deleteFrom('handoff_wait_months').execute();
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

/**
 * Per department, the nearest-rank percentiles `ps` (ascending) of the answer times (ms) of the hand-offs received on
 * the KST days in [fromMs, toMs), exactly as sorting them all would give: the whole KST months of the range from the
 * month rows (0041) — their counts per bucket locate the bucket of each rank, and only those buckets' answer times are
 * read — and the days before the first and after the last whole month from the day rows. A range without a whole month
 * reads the day rows alone.
 */
export async function handOffWaitPercentiles(
  db: Db,
  fromMs: number,
  toMs: number,
  ps: readonly number[],
  departmentId?: string,
): Promise<Map<string, Array<number | null>>> {
  const monthFrom = kstMonthStartOf(fromMs) === fromMs ? fromMs : kstNextMonthStartOf(fromMs);
  const monthTo = kstMonthStartOf(toMs);
  if (monthTo <= monthFrom) {
    const waits = await listHandOffWaits(db, fromMs, toMs, departmentId);
    return new Map([...waits].map(([d, w]) => [d, nearestRanks(Float64Array.from(w), ps)]));
  }
  const none = Promise.resolve(new Map<string, number[]>());
  let countQuery = db
    .selectFrom('handoff_wait_months')
    .select(['department_id', 'bucket', sql<number>`sum(n)`.as('n')])
    .where('month', '>=', monthFrom)
    .where('month', '<', monthTo);
  if (departmentId) countQuery = countQuery.where('department_id', '=', departmentId);
  const [head, tail, countRows] = await Promise.all([
    monthFrom > fromMs ? listHandOffWaits(db, fromMs, monthFrom, departmentId) : none,
    toMs > monthTo ? listHandOffWaits(db, monthTo, toMs, departmentId) : none,
    countQuery.groupBy(['department_id', 'bucket']).execute(),
  ]);
  // Per department: answer times of the edge days by bucket, and the count of every bucket (months + edge days).
  const edges = new Map<string, Map<number, number[]>>();
  const counts = new Map<string, Map<number, number>>();
  const countOf = (d: string) => counts.get(d) ?? counts.set(d, new Map()).get(d)!;
  for (const part of [head, tail])
    for (const [d, waits] of part) {
      const byBucket = edges.get(d) ?? edges.set(d, new Map()).get(d)!;
      const c = countOf(d);
      for (const w of waits) {
        const b = waitBucketOf(w);
        (byBucket.get(b) ?? byBucket.set(b, []).get(b)!).push(w);
        c.set(b, (c.get(b) ?? 0) + 1);
      }
    }
  for (const r of countRows) {
    const c = countOf(r.department_id);
    c.set(Number(r.bucket), (c.get(Number(r.bucket)) ?? 0) + Number(r.n));
  }
  const located = new Map([...counts].map(([d, c]) => [d, locateRanks(c, ps)]));
  const pairs = new Map<string, { departmentId: string; bucket: number }>();
  for (const [d, ranks] of located) for (const r of ranks) if (r) pairs.set(`${d}|${r.bucket}`, { departmentId: d, bucket: r.bucket });
  const values = new Map<string, number[]>();
  if (pairs.size > 0) {
    const joined = isPostgres(db) ? sql<string>`string_agg(waits, ',')` : sql<string>`group_concat(waits, ',')`;
    const rows = await db
      .selectFrom('handoff_wait_months')
      .select(['department_id', 'bucket', joined.as('waits')])
      .where('month', '>=', monthFrom)
      .where('month', '<', monthTo)
      .where('waits', '<>', '')
      // (department, bucket) IN a list of row values: an OR of 46 pairs took ~7× longer on a 5-year SQLite history.
      .where((eb) => eb(eb.refTuple('department_id', 'bucket'), 'in', [...pairs.values()].map((p) => eb.tuple(p.departmentId, p.bucket))))
      .groupBy(['department_id', 'bucket'])
      .execute();
    for (const r of rows) values.set(`${r.department_id}|${Number(r.bucket)}`, parseWaits(r.waits));
  }
  const arrays = new Map<string, Float64Array>();
  const valuesOf = (d: string, bucket: number) => {
    const key = `${d}|${bucket}`;
    let a = arrays.get(key);
    if (!a) arrays.set(key, (a = Float64Array.from([...(values.get(key) ?? []), ...(edges.get(d)?.get(bucket) ?? [])])));
    return a;
  };
  return new Map([...located].map(([d, ranks]) => [d, ranks.map((r) => (r ? kthSmallest(valuesOf(d, r.bucket), r.index) : null))]));
}

/**
 * A database whose day rows (0039) predate the answer times' month rows (0041) gets them once, from the day rows' answer
 * times, a KST month at a time. Returns the months filled (0 when they were there or nothing needs them).
 */
export async function fillHandOffWaitMonthsIfMissing(db: Db): Promise<number> {
  const hasMonths = await db.selectFrom('handoff_wait_months').select('month').limit(1).executeTakeFirst();
  if (hasMonths) return 0;
  const span = await db
    .selectFrom('handoff_rollups')
    .select((eb) => [eb.fn.min('day').as('first'), eb.fn.max('day').as('last')])
    .where('waits', '<>', '')
    .executeTakeFirst();
  if (span?.first === null || span?.first === undefined || span.last === null) return 0;
  let months = 0;
  for (let month = kstMonthStartOf(Number(span.first)); month <= Number(span.last); month = kstNextMonthStartOf(month)) {
    const rows = await db
      .selectFrom('handoff_rollups')
      .select(['day', 'department_id', 'waits'])
      .where('day', '>=', month)
      .where('day', '<', kstNextMonthStartOf(month))
      .where('waits', '<>', '')
      .execute();
    const zero = { received: 0, acknowledged: 0, answered: 0, returned: 0, due: 0, on_time: 0 };
    await keepWaitMonthRows(
      db,
      rows.map((r) => ({ day: Number(r.day), departmentId: r.department_id, counts: zero, waitsAdded: parseWaits(r.waits), waitsRemoved: [] })),
    );
    months++;
  }
  return months;
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
