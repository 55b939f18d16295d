import { describe, expect, it } from 'vitest';
import { staffingFor } from './erlang-c';
import { DEFAULT_DAY_MODEL, kstMidnight, planDay, retrialOf } from './day-model';
import { createRng } from './prng';
import { boostedDay, realisticDay, REALISTIC_DAY_MODEL, SIM_PRESETS } from './sim-presets';
import { agentHours, buildRoster, erlangExpectation, expectedAhtSeconds, rosterCoverage, SHIFT_KINDS, simStaffingPlan, SIM_STAFFING_DEFAULTS } from './sim-staffing';
import { minutesOf } from './day-model';

describe('staffing plan of a simulated day (Erlang C per half hour)', () => {
  const aht = expectedAhtSeconds();
  const plan = simStaffingPlan(43_000, aht);
  const gimpo = simStaffingPlan(1_111, aht);

  it('asks for the fewest agents on the phones meeting 80/20 without exceeding 85 % occupancy in each half hour', () => {
    expect(plan).toHaveLength(20);
    for (const p of [...plan, ...gimpo]) {
      const input = { arrivalsPerSecond: p.calls / 1800, ahtSeconds: aht, targetAnswerSeconds: 20, targetServiceLevel: 0.8 };
      const meets = (n: number) => staffingFor(input, n).serviceLevel >= 0.8 && p.trafficErlangs / n <= SIM_STAFFING_DEFAULTS.maxOccupancy;
      expect(meets(p.onPhones)).toBe(true);
      expect(meets(p.onPhones - 1)).toBe(false);
      // Lunch, breaks and other pauses are in the roster: no shrinkage on top.
      expect(p.atDesks).toBe(p.onPhones);
    }
    // The morning peak needs the most.
    const peak = plan.reduce((a, b) => (b.onPhones > a.onPhones ? b : a));
    expect(['10:00', '10:30']).toContain(peak.start);
    expect(plan.reduce((s, p) => s + p.calls, 0)).toBeCloseTo(43_000, 6);
  });

  it('expects occupancy by centre size: Gimpo at 80/20 cannot reach 85 %, Seoul is held to it', () => {
    const small = erlangExpectation(gimpo, gimpo.map((p) => p.onPhones), aht);
    expect(small.serviceLevel).toBeGreaterThanOrEqual(0.8);
    expect(small.occupancy).toBeGreaterThan(0.6);
    expect(small.occupancy).toBeLessThan(0.72);
    // Gimpo's peak half hour at 85 % occupancy or more (10 agents for A ≈ 8.8) would answer fewer than half in 20 s.
    const peak = gimpo.find((p) => p.start === '10:30')!;
    const at85 = Math.floor(peak.trafficErlangs / 0.85);
    expect(peak.trafficErlangs / at85).toBeGreaterThanOrEqual(0.85);
    expect(staffingFor({ arrivalsPerSecond: peak.calls / 1800, ahtSeconds: aht, targetAnswerSeconds: 20 }, at85).serviceLevel).toBeLessThan(0.5);
    const large = erlangExpectation(plan, plan.map((p) => p.onPhones), aht);
    expect(large.occupancy).toBeGreaterThan(0.83);
    expect(large.occupancy).toBeLessThanOrEqual(0.85);
    expect(large.serviceLevel).toBeGreaterThan(0.99);
  });

  it('rosters 8- and 4-hour shifts starting over the day whose agents on the phones cover every half hour', () => {
    for (const p of [plan, gimpo]) {
      const roster = buildRoster(p, createRng('roster'));
      rosterCoverage(p, roster).forEach((n, i) => expect(n, p[i]!.start).toBeGreaterThanOrEqual(p[i]!.atDesks));
      expect(new Set(roster.map((s) => s.start)).size).toBeGreaterThanOrEqual(5);
      expect(new Set(roster.map((s) => s.kind))).toEqual(new Set(['full', 'part']));
      for (const s of roster) {
        expect(s.end - s.start).toBe(SHIFT_KINDS[s.kind].spanMinutes);
        expect(s.start).toBeGreaterThanOrEqual(minutesOf('08:30'));
        expect(s.end).toBeLessThanOrEqual(minutesOf('18:30'));
        const meals = s.pauses.filter((x) => x.reason === 'meal').map((x) => x.minutes);
        const breaks = s.pauses.filter((x) => x.reason === 'break').map((x) => x.minutes);
        if (s.kind === 'full') {
          expect(meals).toEqual([60]);
          expect(breaks).toEqual([15, 15]);
        } else {
          expect(meals).toEqual([]);
          expect(breaks).toEqual([30]);
        }
        s.pauses.forEach((x, k) => {
          expect(x.at).toBeGreaterThanOrEqual(s.start);
          expect(x.at + x.minutes).toBeLessThanOrEqual(s.end);
          if (k > 0) expect(x.at).toBeGreaterThanOrEqual(s.pauses[k - 1]!.at + s.pauses[k - 1]!.minutes);
        });
      }
    }
  });

  it('one agent leaving at 15:00 leaves at most one half hour one short', () => {
    const roster = buildRoster(gimpo, createRng('roster'), { leaveEarly: 1 });
    expect(roster.filter((s) => s.leavesEarlyAt !== null)).toHaveLength(1);
    rosterCoverage(gimpo, roster).forEach((n, i) => expect(n + (minutesOf(gimpo[i]!.start) >= minutesOf('15:00') ? 1 : 0)).toBeGreaterThanOrEqual(gimpo[i]!.atDesks));
  });

  it('needs fewer paid agent-hours than 8-hour shifts starting 08:30, 09:00 and 09:30 covering the same plan', () => {
    for (const p of [plan, gimpo]) {
      const staggered = buildRoster(p, createRng('r'));
      const threeStarts = buildRoster(p, createRng('r'), { kinds: ['full'], starts: ['08:30', '09:00', '09:30'] });
      rosterCoverage(p, threeStarts).forEach((n, i) => expect(n).toBeGreaterThanOrEqual(p[i]!.atDesks));
      expect(agentHours(staggered)).toBeLessThan(agentHours(threeStarts) * 0.95);
      // Within a fifth of the plan's own agent-hours on the phones (breaks and lunch, whole shifts).
      expect(agentHours(staggered)).toBeLessThan((p.reduce((s, x) => s + x.atDesks, 0) / 2) * 1.2);
    }
  });

  it('an under-staffed roster has about four fifths of the shifts; the same seed gives the same roster', () => {
    const full = buildRoster(plan, createRng('r'));
    const under = buildRoster(plan, createRng('r'), { scale: 0.8 });
    expect(under.length / full.length).toBeGreaterThan(0.72);
    expect(under.length / full.length).toBeLessThan(0.88);
    expect(buildRoster(plan, createRng('r'), { scale: 0.8 })).toEqual(under);
    expect(buildRoster(gimpo, createRng('same'), { leaveEarly: 1 })).toEqual(buildRoster(gimpo, createRng('same'), { leaveEarly: 1 }));
  });
});

describe('presets', () => {
  it('keeps the old names: gimpo and seoul are the realistic well-staffed days', () => {
    expect(SIM_PRESETS.gimpo!.plannedCalls).toBe(1_111);
    expect(SIM_PRESETS.seoul!.plannedCalls).toBe(43_000);
    expect(SIM_PRESETS.seoul!.staffScale).toBe(1);
    expect(SIM_PRESETS['seoul-under']!.staffScale).toBeLessThan(1);
  });

  it('a bad day doubles its topics with the same staff', () => {
    const tax = boostedDay(SIM_PRESETS['gimpo-tax']!);
    // 지방세 (24%) and 증명 (9%) of a normal day doubled: 33% more calls.
    expect(tax.calls).toBe(Math.round(1_111 * 1.33));
    expect(tax.mix.find((m) => m.topic === 'local_tax')!.share).toBeCloseTo(0.48 / 1.33, 9);
    const normal = realisticDay(SIM_PRESETS.gimpo!, createRng('x'));
    const bad = realisticDay(SIM_PRESETS['gimpo-tax']!, createRng('x'));
    expect(bad.roster).toEqual(normal.roster);
    expect(bad.calls).toBeGreaterThan(normal.calls);
    // Erlang C on a bad day's calls with the normal roster: fewer answered in time, busier agents.
    expect(bad.expected.roster.serviceLevel).toBeLessThan(normal.expected.roster.serviceLevel);
    expect(bad.expected.roster.occupancy).toBeGreaterThan(normal.expected.roster.occupancy);
    expect(normal.hours.roster).toBeGreaterThan(normal.hours.plan);
    const snow = boostedDay(SIM_PRESETS['gimpo-snow']!);
    expect(snow.mix.find((m) => m.topic === 'roads')!.share).toBeGreaterThan(0.05);
  });
});

describe('callers who call again and chase', () => {
  const day = kstMidnight('2026-12-01');
  const params = { ...REALISTIC_DAY_MODEL };
  const calls = planDay(createRng('callers'), { calls: 3_000, dayStartKst: day, params });

  it('about the retrial share of callers would call again after abandoning, a few minutes later', () => {
    const share = calls.filter((c) => c.retriesAfterMs !== null).length / calls.length;
    expect(share).toBeGreaterThan(params.retrialShare! - 0.05);
    expect(share).toBeLessThan(params.retrialShare! + 0.05);
    const c = calls.find((x) => x.retriesAfterMs !== null)!;
    const again = retrialOf(c, 99_999, c.arrivesAt + 60_000, 'seed', params);
    expect(again).toMatchObject({ callerNumber: c.callerNumber, topic: c.topic, categoryPick: c.categoryPick, attempt: 1, firstIndex: c.index, index: 99_999 });
    expect(again.arrivesAt).toBe(c.arrivesAt + 60_000 + c.retriesAfterMs!);
    expect(retrialOf(c, 99_999, c.arrivesAt + 60_000, 'seed', params)).toEqual(again);
    // At most maxRetrials: the last retrial never calls again.
    let last = again;
    while (last.retriesAfterMs !== null) last = retrialOf(last, 99_999, last.arrivesAt, 'seed', params);
    expect(last.attempt).toBeLessThanOrEqual(params.maxRetrials!);
  });

  it('chasers ring about an earlier hand-off of the day from the same number; offers are missed and rejected now and then', () => {
    const chasers = calls.filter((c) => c.chasesIndex !== null);
    expect(chasers.length).toBeGreaterThan(30);
    for (const c of chasers) {
      const e = calls[c.chasesIndex!]!;
      expect(e.outcome).toBe('handed_off');
      expect(c.callerNumber).toBe(e.callerNumber);
      expect(c.arrivesAt).toBeGreaterThan(e.arrivesAt + 3_600_000);
    }
    expect(calls.filter((c) => c.firstOffer === 'miss').length).toBeGreaterThan(10);
    expect(calls.filter((c) => c.firstOffer === 'reject').length).toBeGreaterThan(3);
    // The plain model has none of it.
    const plain = planDay(createRng('callers'), { calls: 3_000, dayStartKst: day });
    expect(plain.every((c) => c.retriesAfterMs === null && c.chasesIndex === null && c.firstOffer === 'answer')).toBe(true);
    expect(DEFAULT_DAY_MODEL.retrialShare).toBe(0);
  });
});
