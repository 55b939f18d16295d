/**
 * 부서별 rollups (issue #12 speed, migration 0039): per KST day and department, the exact counts of the department
 * report (core/domain/statistics.ts departmentsReport) and the answer times themselves, so a year's report sums a few
 * thousand rows instead of reading every hand-off. A hand-off contributes
 * - to the KST day it was **received**: received, acknowledged, returned, answered (not returned) and its time to
 *   answer (answered − received, ms: kept whole, so the median and p90 are exact, not bucketed);
 * - to the KST day it is **due** (returned ones left out): due, and answered on time (answered ≤ due).
 * A change of a hand-off adds contribution(after) − contribution(before); only the fields of {@link HandOffRollupFact}
 * count, so a change of anything else (assignee, chase, told, answered → closed) changes nothing.
 */

import { DAY_MS, KST_OFFSET_MS } from './kst';
import { kstMonthStartOf, type HandOffFact } from './statistics';

/** The fields of a hand-off the department report reads (times as epoch ms): the report's own fact, less closing. */
export type HandOffRollupFact = Omit<HandOffFact, 'isClosed'>;

/** The counters of one (KST day, department) row. */
export const HANDOFF_COUNTERS = ['received', 'acknowledged', 'answered', 'returned', 'due', 'on_time'] as const;
export type HandOffCounter = (typeof HANDOFF_COUNTERS)[number];

/** What a set of hand-off changes adds to one (KST day, department) row: counters, and answer times added and taken away. */
export type HandOffRollupDelta = {
  day: number;
  departmentId: string;
  counts: Record<HandOffCounter, number>;
  waitsAdded: number[];
  waitsRemoved: number[];
};

/** The instant the KST day of `at` starts (KST has no daylight saving: a fixed offset). */
export function kstDayStartOfInstant(at: number): number {
  return at - ((((at + KST_OFFSET_MS) % DAY_MS) + DAY_MS) % DAY_MS);
}

function deltaOf(into: Map<string, HandOffRollupDelta>, day: number, departmentId: string): HandOffRollupDelta {
  const key = `${day}|${departmentId}`;
  let d = into.get(key);
  if (!d) {
    d = { day, departmentId, counts: { received: 0, acknowledged: 0, answered: 0, returned: 0, due: 0, on_time: 0 }, waitsAdded: [], waitsRemoved: [] };
    into.set(key, d);
  }
  return d;
}

/** Adds one hand-off's contribution (`sign` 1) or takes it away (−1), into deltas keyed by day and department. */
export function addHandOffContribution(into: Map<string, HandOffRollupDelta>, h: HandOffRollupFact, sign: 1 | -1): void {
  const r = deltaOf(into, kstDayStartOfInstant(h.receivedAt), h.departmentId);
  r.counts.received += sign;
  if (h.acknowledgedAt !== null) r.counts.acknowledged += sign;
  if (h.isReturned) r.counts.returned += sign;
  else if (h.answeredAt !== null) {
    r.counts.answered += sign;
    (sign === 1 ? r.waitsAdded : r.waitsRemoved).push(h.answeredAt - h.receivedAt);
  }
  if (h.isReturned) return;
  const d = deltaOf(into, kstDayStartOfInstant(h.dueAt), h.departmentId);
  d.counts.due += sign;
  if (h.answeredAt !== null && h.answeredAt <= h.dueAt) d.counts.on_time += sign;
}

/**
 * Cancels, pairwise and in place, the answer times of one delta row that were both taken away and added (a time
 * removed and added again leaves the stored row as it was): each removed time cancels one equal added time, at most
 * once. What is left keeps its order.
 */
export function cancelWaits(delta: { waitsAdded: number[]; waitsRemoved: number[] }): void {
  const removed = [...delta.waitsRemoved];
  delta.waitsAdded = delta.waitsAdded.filter((w) => {
    const i = removed.indexOf(w);
    if (i < 0) return true;
    removed.splice(i, 1);
    return false;
  });
  delta.waitsRemoved = removed;
}

/**
 * The deltas of hand-offs changing from `before` to `after` (new ones: `before` empty). A time to answer both taken away
 * and added again in one row cancels; rows left with nothing to change are dropped.
 */
export function handOffRollupDeltas(before: readonly HandOffRollupFact[], after: readonly HandOffRollupFact[]): HandOffRollupDelta[] {
  const into = new Map<string, HandOffRollupDelta>();
  for (const h of before) addHandOffContribution(into, h, -1);
  for (const h of after) addHandOffContribution(into, h, 1);
  const out: HandOffRollupDelta[] = [];
  for (const d of into.values()) {
    cancelWaits(d);
    if (HANDOFF_COUNTERS.some((k) => d.counts[k] !== 0) || d.waitsAdded.length > 0 || d.waitsRemoved.length > 0) out.push(d);
  }
  return out;
}

/** The answer times of a row as stored: whole milliseconds, comma-separated ('' for none). */
export function parseWaits(text: string | null | undefined): number[] {
  if (!text) return [];
  return JSON.parse(`[${text}]`) as number[];
}

/**
 * The nearest-rank percentiles p (0–100, ascending) of `values`, exactly as sorting and taking rank ⌈p·n/100⌉ would
 * (kpi.ts percentileOfSorted), by selection instead of a full sort: a year of a department's answer times is tens of
 * thousands of numbers. Reorders `values` in place. Nulls with no values.
 */
export function nearestRanks(values: Float64Array, ps: readonly number[]): Array<number | null> {
  const n = values.length;
  if (n === 0) return ps.map(() => null);
  let lo = 0;
  return ps.map((p) => {
    const k = Math.min(n, Math.max(1, Math.ceil((p / 100) * n))) - 1;
    const v = selectKth(values, k, Math.min(lo, k), n - 1);
    lo = k; // everything before k is ≤ values[k] now: a larger p only searches from k on
    return v;
  });
}

/** Hoare's selection: places the k-th smallest of a[left..right] at index k (smaller before it, larger after) and returns it. */
function selectKth(a: Float64Array, k: number, left: number, right: number): number {
  let l = left;
  let r = right;
  while (l < r) {
    const pivot = a[(l + r) >> 1]!;
    let i = l;
    let j = r;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) r = j;
    else if (k >= i) l = i;
    else break;
  }
  return a[k]!;
}

/** A row's stored answer times with `removed` taken away (one occurrence each) and `added` appended. */
export function editWaits(text: string, added: readonly number[], removed: readonly number[]): string {
  const waits = parseWaits(text);
  for (const w of removed) {
    const i = waits.indexOf(w);
    if (i >= 0) waits.splice(i, 1);
  }
  waits.push(...added);
  return waits.join(',');
}

/**
 * The bucket of an answer time (ms) in the month rows of migration 0041: four buckets per doubling (a bucket spans
 * [2^e·(1 + s/4), 2^e·(1 + (s+1)/4)), s = 0…3), so a bucket of a year's answer times holds at most a few percent of
 * them. Integer arithmetic only (no logarithm), so the writer and every later reader agree; non-decreasing in `ms`,
 * which is all the exact rank search needs. 0 for times ≤ 0.
 */
export function waitBucketOf(ms: number): number {
  if (!(ms > 0)) return 0;
  let e = 0;
  let p = 1;
  while (p * 2 <= ms) {
    p *= 2;
    e++;
  }
  return 1 + e * 4 + Math.floor(((ms - p) * 4) / p);
}

/** What a set of hand-off changes adds to one (KST month, department, bucket) row of answer times. */
export type HandOffWaitMonthDelta = { month: number; departmentId: string; bucket: number; waitsAdded: number[]; waitsRemoved: number[] };

/**
 * The month-and-bucket deltas of day deltas ({@link handOffRollupDeltas}): each answer time added or taken away on a
 * KST day (the day received) goes to that day's KST month and its {@link waitBucketOf} bucket. A time taken away and
 * added again in one month row cancels.
 */
export function waitMonthDeltas(dayDeltas: readonly HandOffRollupDelta[]): HandOffWaitMonthDelta[] {
  const into = new Map<string, HandOffWaitMonthDelta>();
  const at = (day: number, departmentId: string, w: number) => {
    const month = kstMonthStartOf(day);
    const bucket = waitBucketOf(w);
    const key = `${month}|${departmentId}|${bucket}`;
    let d = into.get(key);
    if (!d) into.set(key, (d = { month, departmentId, bucket, waitsAdded: [], waitsRemoved: [] }));
    return d;
  };
  for (const d of dayDeltas) {
    for (const w of d.waitsAdded) at(d.day, d.departmentId, w).waitsAdded.push(w);
    for (const w of d.waitsRemoved) at(d.day, d.departmentId, w).waitsRemoved.push(w);
  }
  const out: HandOffWaitMonthDelta[] = [];
  for (const d of into.values()) {
    cancelWaits(d);
    if (d.waitsAdded.length > 0 || d.waitsRemoved.length > 0) out.push(d);
  }
  return out;
}

/**
 * Where the nearest-rank percentiles p (0–100, ascending) of a set of values lie, from its count per bucket alone: the
 * bucket holding rank ⌈p·n/100⌉ and the 0-based index of that value among the bucket's values in ascending order. With
 * buckets non-decreasing in the value, the value at that index of that bucket is exactly the percentile of the whole
 * set ({@link nearestRanks}), so only that bucket's values need reading. Nulls when the set is empty.
 */
export function locateRanks(counts: ReadonlyMap<number, number>, ps: readonly number[]): Array<{ bucket: number; index: number } | null> {
  const buckets = [...counts.entries()].filter(([, n]) => n > 0).sort((a, b) => a[0] - b[0]);
  const n = buckets.reduce((s, [, c]) => s + c, 0);
  return ps.map((p) => {
    if (n === 0) return null;
    let k = Math.min(n, Math.max(1, Math.ceil((p / 100) * n))) - 1;
    for (const [bucket, c] of buckets) {
      if (k < c) return { bucket, index: k };
      k -= c;
    }
    return null; // unreachable: k < n
  });
}

/** The k-th smallest (0-based) of `values`, by selection; reorders `values` in place. */
export function kthSmallest(values: Float64Array, k: number): number {
  return selectKth(values, k, 0, values.length - 1);
}
