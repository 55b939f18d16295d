import { describe, expect, it } from 'vitest';
import {
  CLOSED_DAY_CALLER_SHARE,
  DEFAULT_INTRADAY_PROFILE,
  arrivalCurve,
  gammaFunction,
  integrateCurve,
  kstMidnight,
  planDay,
  sampleArrivals,
  sampleExponential,
  sampleIndex,
  sampleLognormal,
  sampleWeibull,
  seasonalDay,
} from './day-model';
import { createRng } from './prng';

const DAY = kstMidnight('2026-12-01');
const HOUR = 3_600_000;

function meanAndCv(xs: number[]): { mean: number; cv: number } {
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length;
  return { mean, cv: Math.sqrt(variance) / mean };
}

describe('distributions', () => {
  const n = 50_000;
  it('exponential: mean within 2%, cv ≈ 1', () => {
    const r = createRng('exp');
    const { mean, cv } = meanAndCv(Array.from({ length: n }, () => sampleExponential(r, 180)));
    expect(Math.abs(mean / 180 - 1)).toBeLessThan(0.02);
    expect(cv).toBeCloseTo(1, 1);
  });

  it('lognormal: mean and coefficient of variation as asked', () => {
    const r = createRng('lognormal');
    const { mean, cv } = meanAndCv(Array.from({ length: n }, () => sampleLognormal(r, 165, 0.7)));
    expect(Math.abs(mean / 165 - 1)).toBeLessThan(0.02);
    expect(Math.abs(cv - 0.7)).toBeLessThan(0.05);
  });

  it('Γ: known values', () => {
    expect(gammaFunction(5)).toBeCloseTo(24, 8);
    expect(gammaFunction(0.5)).toBeCloseTo(Math.sqrt(Math.PI), 8);
    expect(gammaFunction(1.5)).toBeCloseTo(Math.sqrt(Math.PI) / 2, 8);
  });

  it.each([0.7, 1, 2])('Weibull shape %s: mean within 2%', (shape) => {
    const r = createRng(`weibull-${shape}`);
    const { mean } = meanAndCv(Array.from({ length: n }, () => sampleWeibull(r, shape, 120)));
    expect(Math.abs(mean / 120 - 1)).toBeLessThan(0.02);
  });

  it('categorical: frequencies follow the weights', () => {
    const r = createRng('cat');
    const counts = [0, 0, 0];
    for (let i = 0; i < 60_000; i++) counts[sampleIndex(r, [1, 2, 3])]!++;
    expect(counts[0]! / 60_000).toBeCloseTo(1 / 6, 2);
    expect(counts[2]! / 60_000).toBeCloseTo(3 / 6, 2);
  });
});

describe('the arrival curve', () => {
  it('integrates to the requested total', () => {
    for (const total of [1_111, 43_000, 200]) expect(integrateCurve(arrivalCurve(total, DAY))).toBeCloseTo(total, 6);
  });

  it('spans the opening hours 08:30–18:30 KST', () => {
    const c = arrivalCurve(1_000, DAY);
    expect(c.intervals[0]!.from).toBe(DAY + 8.5 * HOUR);
    expect(c.intervals.at(-1)!.to).toBe(DAY + 18.5 * HOUR);
    expect(DEFAULT_INTRADAY_PROFILE.reduce((s, p) => s + p.weight, 0)).toBeCloseTo(1, 9);
  });

  it('exact mode: exactly N arrivals, sorted, inside the opening hours', () => {
    const xs = sampleArrivals(createRng(1), arrivalCurve(1_111, DAY), { exactTotal: 1_111 });
    expect(xs).toHaveLength(1_111);
    expect(xs.every((x, i) => i === 0 || x >= xs[i - 1]!)).toBe(true);
    expect(xs[0]!).toBeGreaterThanOrEqual(DAY + 8.5 * HOUR);
    expect(xs.at(-1)!).toBeLessThan(DAY + 18.5 * HOUR);
  });

  it('Poisson mode: the count is Poisson around ∫λ (each seed within 4σ, the mean of 40 seeds within 1%)', () => {
    const curve = arrivalCurve(5_000, DAY);
    let sum = 0;
    for (let s = 0; s < 40; s++) {
      const k = sampleArrivals(createRng(`p${s}`), curve).length;
      expect(Math.abs(k - 5_000)).toBeLessThan(4 * Math.sqrt(5_000));
      sum += k;
    }
    expect(Math.abs(sum / 40 / 5_000 - 1)).toBeLessThan(0.01);
  });

  it('peaks in the morning (10–11 h) and after lunch (14–15 h), with a dip at lunch', () => {
    const xs = sampleArrivals(createRng(3), arrivalCurve(50_000, DAY));
    const perHour = new Map<number, number>();
    for (const t of xs) {
      const h = Math.floor((t - DAY) / HOUR);
      perHour.set(h, (perHour.get(h) ?? 0) + 1);
    }
    const at = (h: number) => perHour.get(h) ?? 0;
    const busiest = [...perHour.entries()].sort((a, b) => b[1] - a[1])[0]![0];
    expect(busiest).toBe(10);
    expect(at(10)).toBeGreaterThan(at(9));
    expect(at(10)).toBeGreaterThan(at(11));
    expect(at(14)).toBeGreaterThan(at(13));
    expect(at(14)).toBeGreaterThan(at(15));
    expect(at(12)).toBeLessThan(0.6 * at(10));
    expect(at(12)).toBeLessThan(0.6 * at(14));
    expect(at(17)).toBeLessThan(at(16));
  });
});

describe('planDay', () => {
  it('is deterministic by seed', () => {
    const a = planDay(createRng(11), { calls: 500, dayStartKst: DAY });
    const b = planDay(createRng(11), { calls: 500, dayStartKst: DAY });
    const c = planDay(createRng(12), { calls: 500, dayStartKst: DAY });
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it('keeps the mix and the 60/40 split, with 지방세 > 여권 > 교통 on top', () => {
    const calls = planDay(createRng(5), { calls: 10_000, dayStartKst: DAY });
    const count = (topic: string) => calls.filter((c) => c.topic === topic).length;
    expect(count('local_tax')).toBeGreaterThan(count('passport'));
    expect(count('passport')).toBeGreaterThan(count('traffic'));
    expect(count('local_tax') / calls.length).toBeCloseTo(0.24, 1);
    const resolved = calls.filter((c) => c.outcome === 'resolved').length / calls.length;
    expect(Math.abs(resolved - 0.6)).toBeLessThan(0.015);
    const talk = meanAndCv(calls.map((c) => c.talkMs / 1000));
    expect(Math.abs(talk.mean / 165 - 1)).toBeLessThan(0.03);
    const patience = meanAndCv(calls.map((c) => c.patienceMs / 1000));
    expect(Math.abs(patience.mean / 180 - 1)).toBeLessThan(0.03);
    const held = calls.filter((c) => c.holdMs > 0).length / calls.length;
    expect(Math.abs(held - 0.15)).toBeLessThan(0.015);
    expect(calls.filter((c) => !/^010-\d{4}-\d{4}$/.test(c.callerNumber))).toEqual([]);
  });

  it('with exactTotal false the count varies with the seed', () => {
    const counts = new Set([1, 2, 3, 4].map((s) => planDay(createRng(s), { calls: 1_000, dayStartKst: DAY, exactTotal: false }).length));
    expect(counts.size).toBeGreaterThan(1);
  });
});

describe('kstMidnight', () => {
  it('is 15:00 UTC the day before', () => {
    expect(new Date(kstMidnight('2026-12-01')).toISOString()).toBe('2026-11-30T15:00:00.000Z');
    expect(() => kstMidnight('2026-13-45')).toThrow(RangeError);
    expect(() => kstMidnight('tomorrow')).toThrow(RangeError);
  });
});

describe('seasons of simulated history', () => {
  it('closes weekends and holidays (a few callers ring anyway) and weights weekdays, Monday the busiest', () => {
    expect(seasonalDay('2026-12-05', false)).toMatchObject({ isOpen: false, volumeFactor: CLOSED_DAY_CALLER_SHARE }); // Saturday
    expect(seasonalDay('2026-12-25', true).isOpen).toBe(false); // 성탄절, a Friday
    const monday = seasonalDay('2026-11-30', false);
    const friday = seasonalDay('2026-11-27', false);
    expect(monday.isOpen && friday.isOpen).toBe(true);
    expect(monday.volumeFactor).toBeGreaterThan(friday.volumeFactor);
  });

  it('January and May double 지방세, July brings water calls, December snow (roads); shares sum to 1', () => {
    const share = (day: string, topic: string) => seasonalDay(day, false).mix.find((m) => m.topic === topic)?.share ?? 0;
    expect(share('2027-01-13', 'local_tax')).toBeGreaterThan(1.5 * share('2026-11-11', 'local_tax'));
    expect(share('2026-05-13', 'local_tax')).toBeGreaterThan(1.5 * share('2026-11-11', 'local_tax'));
    expect(share('2026-07-15', 'water')).toBeGreaterThan(0.05);
    expect(share('2026-11-11', 'water')).toBe(0);
    expect(share('2026-12-16', 'roads')).toBeGreaterThan(0.04);
    for (const day of ['2027-01-13', '2026-07-15', '2026-12-16']) expect(seasonalDay(day, false).mix.reduce((a, m) => a + m.share, 0)).toBeCloseTo(1, 12);
  });
});
