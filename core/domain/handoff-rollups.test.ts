import { describe, expect, it } from 'vitest';
import {
  cancelWaits,
  editWaits,
  handOffRollupDeltas,
  kstDayStartOfInstant,
  kthSmallest,
  locateRanks,
  nearestRanks,
  parseWaits,
  waitBucketOf,
  waitMonthDeltas,
  type HandOffRollupFact,
} from './handoff-rollups';
import { percentileOfSorted } from './kpi';
import { createRng } from './prng';

const KST = (s: string) => Date.parse(`${s}+09:00`);
const base: HandOffRollupFact = {
  departmentId: 'd1',
  receivedAt: KST('2026-11-30T23:30:00'),
  dueAt: KST('2026-12-07T18:00:00'),
  acknowledgedAt: null,
  answeredAt: null,
  isReturned: false,
};

describe('hand-off rollups (부서별, migration 0039)', () => {
  it('cuts days at 00:00 KST, whatever the instant', () => {
    expect(kstDayStartOfInstant(KST('2026-11-30T23:59:59'))).toBe(KST('2026-11-30T00:00:00'));
    expect(kstDayStartOfInstant(KST('2026-12-01T00:00:00'))).toBe(KST('2026-12-01T00:00:00'));
    expect(kstDayStartOfInstant(Date.parse('2026-11-30T15:00:00Z'))).toBe(KST('2026-12-01T00:00:00'));
  });

  it('a new hand-off counts received on its day and due on its deadline day; an answer moves counters and adds its time', () => {
    const created = handOffRollupDeltas([], [base]);
    expect(created.map((d) => [d.day, d.counts.received, d.counts.due])).toEqual([
      [KST('2026-11-30T00:00:00'), 1, 0],
      [KST('2026-12-07T00:00:00'), 0, 1],
    ]);
    const answered = { ...base, acknowledgedAt: KST('2026-12-01T09:00:00'), answeredAt: KST('2026-12-02T10:00:00') };
    const change = handOffRollupDeltas([base], [answered]);
    expect(change.map((d) => ({ day: d.day, ack: d.counts.acknowledged, answered: d.counts.answered, onTime: d.counts.on_time, received: d.counts.received, added: d.waitsAdded }))).toEqual([
      { day: KST('2026-11-30T00:00:00'), ack: 1, answered: 1, onTime: 0, received: 0, added: [answered.answeredAt! - base.receivedAt] },
      { day: KST('2026-12-07T00:00:00'), ack: 0, answered: 0, onTime: 1, received: 0, added: [] },
    ]);
    // Returned after its answer: the answer and its time leave, the deadline no longer counts.
    const returned = handOffRollupDeltas([answered], [{ ...answered, isReturned: true }]);
    expect(returned.map((d) => [d.counts.answered, d.counts.returned, d.counts.due, d.counts.on_time, d.waitsRemoved.length])).toEqual([
      [-1, 1, 0, 0, 1],
      [0, 0, -1, -1, 0],
    ]);
    // A change of nothing the report reads changes nothing.
    expect(handOffRollupDeltas([answered], [{ ...answered }])).toEqual([]);
  });

  it.each([
    { added: [5, 5, 7], removed: [5, 9], left: [5, 7], stillRemoved: [9] },
    { added: [1, 2, 3], removed: [3, 2, 1], left: [], stillRemoved: [] },
    { added: [4, 4], removed: [4, 4, 4], left: [], stillRemoved: [4] },
    { added: [8, 6], removed: [], left: [8, 6], stillRemoved: [] },
    { added: [], removed: [3], left: [], stillRemoved: [3] },
  ])('cancelWaits: +$added −$removed leaves +$left −$stillRemoved (one added time per removed one)', ({ added, removed, left, stillRemoved }) => {
    const delta = { waitsAdded: [...added], waitsRemoved: [...removed] };
    cancelWaits(delta);
    expect(delta).toEqual({ waitsAdded: left, waitsRemoved: stillRemoved });
  });

  it('stored answer times: one occurrence removed per removal, parsed back as numbers', () => {
    expect(editWaits('5,7,5', [9], [5])).toBe('7,5,9');
    expect(parseWaits(editWaits('', [3600000], []))).toEqual([3600000]);
    expect(parseWaits('')).toEqual([]);
  });

  it('nearestRanks equals sorting and taking the nearest rank, with ties and any length', () => {
    const rng = createRng('ranks');
    for (let n = 0; n < 300; n++) {
      const values = Array.from({ length: n }, () => rng.int(n < 50 ? 5 : 100_000));
      const sorted = [...values].sort((a, b) => a - b);
      const ps = [1, 50, 90, 99, 100];
      expect(nearestRanks(Float64Array.from(values), ps), `n=${n}`).toEqual(ps.map((p) => percentileOfSorted(sorted, p)));
    }
  });

  it('answer-time buckets (0041): four per doubling, never decreasing, whatever the time', () => {
    expect([0, -5, 1, 2, 3, 4, 5, 6, 7, 8].map(waitBucketOf)).toEqual([0, 0, 1, 5, 7, 9, 10, 11, 12, 13]);
    const HOUR = 3_600_000;
    // 2^31 ms ≈ 24.9 days starts a doubling: the quarters of it are buckets of their own.
    expect([2 ** 31 - 1, 2 ** 31, 2 ** 31 + 2 ** 29 - 1, 2 ** 31 + 2 ** 29].map(waitBucketOf)).toEqual([124, 125, 125, 126]);
    const rng = createRng('buckets');
    let last = 0;
    const lowest = new Map<number, number>();
    const samples = Array.from({ length: 5_000 }, () => 1_000 + rng.int(60 * 24 * HOUR)).sort((a, b) => a - b);
    for (const w of samples) {
      const b = waitBucketOf(w);
      expect(b).toBeGreaterThanOrEqual(last);
      last = b;
      // The times of one bucket lie within a quarter of its lowest (a quarter of a doubling).
      if (!lowest.has(b)) lowest.set(b, w);
      expect(w).toBeLessThan(lowest.get(b)! * 1.25);
    }
    expect([40, 50, 60, 70].map((h) => waitBucketOf(h * HOUR))).toEqual([109, 110, 111, 112]);
  });

  it('month deltas: each answer time goes to the KST month of the day received and its bucket; taken away and added again cancels', () => {
    const answered = { ...base, answeredAt: base.receivedAt + 5 * 3_600_000 };
    const created = waitMonthDeltas(handOffRollupDeltas([], [answered]));
    expect(created).toEqual([{ month: KST('2026-11-01T00:00:00'), departmentId: 'd1', bucket: waitBucketOf(5 * 3_600_000), waitsAdded: [5 * 3_600_000], waitsRemoved: [] }]);
    // Received 23:30 KST on 30 November = 14:30 UTC: still November in Seoul.
    const moved = { ...answered, departmentId: 'd2' };
    expect(waitMonthDeltas(handOffRollupDeltas([answered], [moved])).map((d) => [d.departmentId, d.waitsAdded.length, d.waitsRemoved.length])).toEqual([
      ['d1', 0, 1],
      ['d2', 1, 0],
    ]);
    const later = { ...answered, answeredAt: answered.answeredAt + 1 };
    const changed = waitMonthDeltas(handOffRollupDeltas([answered], [later]));
    expect(changed.flatMap((d) => [...d.waitsAdded, ...d.waitsRemoved.map((w) => -w)])).toEqual([5 * 3_600_000 + 1, -5 * 3_600_000]);
    expect(waitMonthDeltas(handOffRollupDeltas([answered], [{ ...answered, acknowledgedAt: KST('2026-12-01T09:00:00') }]))).toEqual([]);
    // Received a day earlier, answered as fast: two day rows change, but the month row's time is taken away and added again.
    const dayBefore = { ...answered, receivedAt: answered.receivedAt - 86_400_000, answeredAt: answered.answeredAt - 86_400_000 };
    const dayRows = handOffRollupDeltas([answered], [dayBefore]);
    expect(dayRows.map((d) => [d.waitsAdded.length, d.waitsRemoved.length])).toEqual([
      [0, 1],
      [1, 0],
    ]);
    expect(waitMonthDeltas(dayRows)).toEqual([]);
  });

  it('locateRanks + the bucket\'s k-th value equals sorting everything and taking the nearest rank', () => {
    const rng = createRng('locate');
    for (let n = 0; n < 300; n++) {
      const values = Array.from({ length: n }, () => (n % 3 === 0 ? rng.int(20) : rng.int(40 * 86_400_000)));
      const counts = new Map<number, number>();
      const byBucket = new Map<number, number[]>();
      for (const v of values) {
        const b = waitBucketOf(v);
        counts.set(b, (counts.get(b) ?? 0) + 1);
        (byBucket.get(b) ?? byBucket.set(b, []).get(b)!).push(v);
      }
      const ps = [1, 50, 90, 99, 100];
      const located = locateRanks(counts, ps).map((r) => (r ? kthSmallest(Float64Array.from(byBucket.get(r.bucket)!), r.index) : null));
      expect(located, `n=${n}`).toEqual(ps.map((p) => percentileOfSorted([...values].sort((a, b) => a - b), p)));
    }
  });
});
