import { describe, expect, it } from 'vitest';
import { editWaits, handOffRollupDeltas, kstDayStartOfInstant, nearestRanks, parseWaits, type HandOffRollupFact } from './handoff-rollups';
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
});
