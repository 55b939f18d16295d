import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  agentsForServiceLevel,
  arrivalRate,
  averageSpeedOfAnswer,
  erlangB,
  erlangC,
  occupancy,
  offeredLoad,
  scheduledStaff,
  serviceLevel,
  staffingFor,
} from './erlang-c';

const HOUR = 3600;

/**
 * An independent oracle: the textbook formula (contact-center.md line 185) evaluated in log space,
 * `P_w = X / (Σₖ₌₀ᴺ⁻¹ Aᵏ/k! + X)` with `X = Aᴺ/N! · N/(N−A)`, by log-sum-exp so nothing overflows.
 */
function erlangCByLogSum(a: number, n: number): number {
  const logTerms: number[] = [];
  let logTerm = 0; // ln(A⁰/0!)
  for (let k = 0; k < n; k++) {
    logTerms.push(logTerm);
    logTerm += Math.log(a) - Math.log(k + 1);
  }
  const logX = logTerm + Math.log(n / (n - a)); // logTerm is now ln(Aᴺ/N!)
  const max = Math.max(logX, ...logTerms);
  const sum = logTerms.reduce((s, l) => s + Math.exp(l - max), 0);
  return Math.exp(logX - max) / (sum + Math.exp(logX - max));
}

describe('Erlang C: hand-checked textbook cases', () => {
  // A = 2 Erl, N = 3. Direct: Aᴺ/N!·N/(N−A) = 8/6·3 = 4; Σₖ₌₀² Aᵏ/k! = 1 + 2 + 2 = 5; P_w = 4/9.
  // Recursion: B₁ = 2/3, B₂ = (4/3)/(10/3) = 2/5, B₃ = (4/5)/(19/5) = 4/19; P_w = (12/19)/(3 − 2·15/19) = 4/9.
  it.each([
    ['A=2, N=3', 2, 3, 4 / 19, 4 / 9],
    ['A=1, N=2: B₂ = 1/5, P_w = 1/3', 1, 2, 1 / 5, 1 / 3],
    ['M/M/1 with ρ = 0.5: P_w = ρ', 0.5, 1, 1 / 3, 0.5],
  ])('%s', (_name, a, n, b, pw) => {
    expect(erlangB(a, n)).toBeCloseTo(b, 12);
    expect(erlangC(a, n)).toBeCloseTo(pw, 12);
  });

  it('ASA and SL of A=2, N=3, AHT 180 s: ASA = 4/9 · 180 / 1 = 80 s; SL(20) = 1 − 4/9 · e^(−1/9)', () => {
    expect(averageSpeedOfAnswer(2, 3, 180)).toBeCloseTo(80, 9);
    expect(serviceLevel(2, 3, 180, 20)).toBeCloseTo(1 - (4 / 9) * Math.exp(-1 / 9), 12);
    expect(occupancy(2, 3)).toBeCloseTo(2 / 3, 12);
  });
});

describe('Erlang C: the reference worked example (contact-center.md lines 204–217)', () => {
  // 700 calls/day, AHT 180 s, 80/20. Columns: λ calls/h, A, N, P_w, SL(20 s) %, ASA s, occupancy %.
  // The table is rounded, so each figure is pinned to half a unit of its last printed digit.
  it.each([
    ['flat over 9 h (line 208): N=5', 700 / 9, 3.889, 5, 0.512, 54.7, 83.0, 77.8],
    ['flat over 9 h (line 209): N=6', 700 / 9, 3.889, 6, 0.258, 79.6, 22.0, 64.8],
    ['flat over 9 h (line 210): N=7', 700 / 9, 3.889, 7, 0.12, 91.5, 6.9, 55.6],
    ['flat over 8 h (line 211): N=6', 87.5, 4.375, 6, 0.385, 67.9, 42.6, 72.9],
    ['flat over 8 h (line 212): N=7', 87.5, 4.375, 7, 0.194, 85.5, 13.3, 62.5],
    ['peak hour = 15% of the day (line 213): N=7', 105, 5.25, 7, 0.387, 68.1, 39.8, 75.0],
    ['peak hour = 15% of the day (line 214): N=8', 105, 5.25, 8, 0.207, 84.8, 13.5, 65.6],
  ])('%s', (_name, callsPerHour, a, n, pw, slPercent, asa, occPercent) => {
    const row = staffingFor({ arrivalsPerSecond: callsPerHour / HOUR, ahtSeconds: 180 }, n);
    expect(Math.abs(row.trafficErlangs - a)).toBeLessThanOrEqual(0.0005 + 1e-9);
    expect(Math.abs(row.probabilityOfWaiting - pw)).toBeLessThanOrEqual(0.0005 + 1e-9);
    expect(Math.abs(row.serviceLevel * 100 - slPercent)).toBeLessThanOrEqual(0.05 + 1e-9);
    expect(Math.abs(row.asaSeconds - asa)).toBeLessThanOrEqual(0.05 + 1e-9);
    expect(Math.abs(row.occupancy * 100 - occPercent)).toBeLessThanOrEqual(0.05 + 1e-9);
  });

  it.each([
    ['an average hour over 9 h needs 7 (6 gives 79.6%)', 700 / 9, 7],
    ['an average hour over 8 h needs 7', 87.5, 7],
    ['the peak hour needs 8', 105, 8],
  ])('%s', (_name, callsPerHour, agents) => {
    const best = agentsForServiceLevel({ arrivalsPerSecond: callsPerHour / HOUR, ahtSeconds: 180 });
    expect(best.agents).toBe(agents);
    expect(best.serviceLevel).toBeGreaterThanOrEqual(0.8);
    expect(
      staffingFor({ arrivalsPerSecond: callsPerHour / HOUR, ahtSeconds: 180 }, agents - 1).serviceLevel,
    ).toBeLessThan(0.8);
  });

  it('with 30% shrinkage 7–8 on the phones means 10–12 scheduled (lines 216–217)', () => {
    expect(scheduledStaff(7, 0.3)).toBe(10);
    expect(scheduledStaff(21, 0.3)).toBe(30); // 21 / (1 − 0.3) is 30.000000000000004 in doubles: must not become 31
    expect(Object.is(scheduledStaff(0, 0.3), 0)).toBe(true); // not −0
    expect(scheduledStaff(8, 0.3)).toBe(12); // 11.43 → 12
    expect(scheduledStaff(8, 0)).toBe(8);
  });

  it('turns a day count into λ', () => {
    expect(arrivalRate(700, 9 * HOUR) * 180).toBeCloseTo(3.889, 3);
    expect(offeredLoad(arrivalRate(700, 9 * HOUR), 180)).toBeCloseTo(35 / 9, 12);
  });
});

describe('Erlang C at Seoul 120 scale (550+ agents)', () => {
  it.each([
    [238.9, 250],
    [322.5, 330],
    [500, 520],
    [500, 550],
    [580, 600],
    [1500, 1540],
  ])('A=%s, N=%s matches the log-space formula and stays a probability', (a, n) => {
    const pw = erlangC(a, n);
    expect(Number.isFinite(pw)).toBe(true);
    expect(pw).toBeGreaterThan(0);
    expect(pw).toBeLessThan(1);
    expect(pw).toBeCloseTo(erlangCByLogSum(a, n), 10);
  });

  it('staffs a Seoul peak hour (15% of 43,000 calls, AHT 180 s, A = 322.5 Erl) with a sane N', () => {
    const input = { arrivalsPerSecond: (0.15 * 43_000) / HOUR, ahtSeconds: 180 };
    const best = agentsForServiceLevel(input);
    expect(best.trafficErlangs).toBeCloseTo(322.5, 9);
    expect(best.agents).toBeGreaterThan(322);
    expect(best.agents).toBeLessThan(350); // large centres pool well: SL 80/20 at a few % above A
    expect(best.serviceLevel).toBeGreaterThanOrEqual(0.8);
    expect(staffingFor(input, best.agents - 1).serviceLevel).toBeLessThan(0.8);
    expect(best.occupancy).toBeGreaterThan(0.9);
  });

  it('finds N for A = 560 Erl (about 600 agents) and agrees with a brute-force scan', () => {
    const input = { arrivalsPerSecond: 560 / 180, ahtSeconds: 180 };
    const best = agentsForServiceLevel(input);
    let scan = 561;
    while (serviceLevel(560, scan, 180, 20) < 0.8) scan++;
    expect(best.agents).toBe(scan);
    expect(best.agents).toBeGreaterThan(560);
  });
});

describe('Erlang C: edges and refusals', () => {
  it.each([
    ['no traffic never waits', 0, 0, 0],
    ['no traffic with agents', 0, 5, 0],
    ['N = A is unstable: everyone waits', 4, 4, 1],
    ['N < A: everyone waits', 5.5, 3, 1],
  ])('%s', (_name, a, n, pw) => {
    expect(erlangC(a, n)).toBe(pw);
  });

  it('reports an unstable queue as SL 0 and ASA ∞, occupancy 100%', () => {
    expect(serviceLevel(5, 5, 180, 20)).toBe(0);
    expect(averageSpeedOfAnswer(5, 4, 180)).toBe(Number.POSITIVE_INFINITY);
    expect(occupancy(5, 4)).toBe(1);
    expect(staffingFor({ arrivalsPerSecond: 5 / 180, ahtSeconds: 180 }, 4)).toMatchObject({
      probabilityOfWaiting: 1,
      serviceLevel: 0,
      asaSeconds: Number.POSITIVE_INFINITY,
      occupancy: 1,
    });
  });

  it('needs no agents without traffic', () => {
    expect(agentsForServiceLevel({ arrivalsPerSecond: 0, ahtSeconds: 180 })).toMatchObject({
      agents: 0,
      serviceLevel: 1,
    });
  });

  it('takes other targets: 90% in 10 s needs more than 80% in 20 s', () => {
    const base = { arrivalsPerSecond: 105 / HOUR, ahtSeconds: 180 };
    expect(agentsForServiceLevel({ ...base, targetAnswerSeconds: 10, targetServiceLevel: 0.9 }).agents).toBeGreaterThan(
      agentsForServiceLevel(base).agents,
    );
  });

  it.each([
    ['negative traffic', () => erlangC(-1, 3)],
    ['fractional agents', () => erlangC(2, 2.5)],
    ['NaN AHT', () => serviceLevel(2, 3, Number.NaN, 20)],
    ['shrinkage of 100%', () => scheduledStaff(7, 1)],
    [
      'a 100% service-level target',
      () => agentsForServiceLevel({ arrivalsPerSecond: 0.01, ahtSeconds: 180, targetServiceLevel: 1 }),
    ],
    ['an empty interval', () => arrivalRate(10, 0)],
    ['a search cap too low', () => agentsForServiceLevel({ arrivalsPerSecond: 1, ahtSeconds: 180, maxAgents: 150 })],
  ])('refuses %s', (_name, f) => {
    expect(f).toThrowError(RangeError);
  });
});

describe('Erlang C: properties', () => {
  const load = fc.double({ min: 0.01, max: 800, noNaN: true });

  it('P_w is a probability and falls as agents are added', () => {
    fc.assert(
      fc.property(load, fc.integer({ min: 1, max: 60 }), (a, extra) => {
        const n = Math.floor(a) + extra;
        const p1 = erlangC(a, n);
        const p2 = erlangC(a, n + 1);
        return p1 >= 0 && p1 <= 1 && p2 <= p1;
      }),
    );
  });

  it('matches the log-space formula everywhere', () => {
    fc.assert(
      fc.property(load, fc.integer({ min: 1, max: 60 }), (a, extra) => {
        const n = Math.floor(a) + extra;
        return Math.abs(erlangC(a, n) - erlangCByLogSum(a, n)) < 1e-9;
      }),
    );
  });

  it('SL(T) rises with T and with N', () => {
    fc.assert(
      fc.property(load, fc.integer({ min: 1, max: 30 }), fc.integer({ min: 0, max: 120 }), (a, extra, t) => {
        const n = Math.floor(a) + extra;
        return (
          serviceLevel(a, n, 180, t + 1) >= serviceLevel(a, n, 180, t) &&
          serviceLevel(a, n + 1, 180, t) >= serviceLevel(a, n, 180, t) - 1e-12
        );
      }),
    );
  });

  it('agentsForServiceLevel returns the smallest N meeting the target', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.001, max: 0.5, noNaN: true }),
        fc.integer({ min: 30, max: 600 }),
        (lambda, aht) => {
          const best = agentsForServiceLevel({ arrivalsPerSecond: lambda, ahtSeconds: aht });
          const a = lambda * aht;
          const below = best.agents - 1 <= a ? 0 : serviceLevel(a, best.agents - 1, aht, 20);
          return best.serviceLevel >= 0.8 && below < 0.8;
        },
      ),
      { numRuns: 200 },
    );
  });
});
