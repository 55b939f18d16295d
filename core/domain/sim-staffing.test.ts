import { describe, expect, it } from 'vitest';
import { staffingFor } from './erlang-c';
import { DEFAULT_DAY_MODEL, kstMidnight, planDay, retrialOf } from './day-model';
import { createRng } from './prng';
import { boostedDay, realisticDay, REALISTIC_DAY_MODEL, SIM_PRESETS } from './sim-presets';
import { buildRoster, expectedAhtSeconds, rosterCoverage, SHIFT_MINUTES, simStaffingPlan, SIM_STAFFING_DEFAULTS } from './sim-staffing';
import { minutesOf } from './day-model';

describe('staffing plan of a simulated day (Erlang C per half hour)', () => {
  const aht = expectedAhtSeconds();
  const plan = simStaffingPlan(43_000, aht);

  it('asks for the fewest agents on the phones meeting 80/20 in each half hour, and more at the desks for shrinkage', () => {
    expect(plan).toHaveLength(20);
    for (const p of plan) {
      const input = { arrivalsPerSecond: p.calls / 1800, ahtSeconds: aht, targetAnswerSeconds: 20, targetServiceLevel: 0.8 };
      expect(staffingFor(input, p.onPhones).serviceLevel).toBeGreaterThanOrEqual(0.8);
      expect(staffingFor(input, p.onPhones - 1).serviceLevel).toBeLessThan(0.8);
      expect(p.atDesks).toBe(Math.ceil(p.onPhones / (1 - SIM_STAFFING_DEFAULTS.shrinkage) - 1e-9));
    }
    // The morning peak needs the most.
    const peak = plan.reduce((a, b) => (b.onPhones > a.onPhones ? b : a));
    expect(['10:00', '10:30']).toContain(peak.start);
    expect(plan.reduce((s, p) => s + p.calls, 0)).toBeCloseTo(43_000, 6);
  });

  it('rosters 8-hour shifts with staggered starts, a lunch hour and two breaks that cover the plan in every half hour', () => {
    const roster = buildRoster(plan, createRng('roster'), { leaveEarly: 1 });
    const coverage = rosterCoverage(plan, roster);
    const early = roster.filter((s) => s.leavesEarlyAt !== null);
    expect(early).toHaveLength(1);
    plan.forEach((p, i) => {
      // The one who leaves early may leave one half hour one agent short.
      expect(coverage[i]! + (minutesOf(p.start) >= minutesOf('15:00') ? 1 : 0)).toBeGreaterThanOrEqual(p.atDesks);
    });
    expect(new Set(roster.map((s) => s.start)).size).toBe(3);
    for (const s of roster) {
      expect(s.end - s.start).toBe(SHIFT_MINUTES);
      expect(s.pauses.filter((p) => p.reason === 'meal').map((p) => p.minutes)).toEqual([60]);
      expect(s.pauses.filter((p) => p.reason === 'break')).toHaveLength(2);
      for (const p of s.pauses) {
        expect(p.at).toBeGreaterThanOrEqual(s.start);
        expect(p.at + p.minutes).toBeLessThanOrEqual(s.end);
      }
    }
    // Not much more than the peak asks for: the lunch hours fit into the quieter middle of the day.
    const peakNeed = Math.max(...plan.map((p) => p.atDesks));
    expect(roster.length).toBeLessThan(peakNeed * 1.15);
  });

  it('an under-staffed roster has about four fifths of the shifts; the same seed gives the same roster', () => {
    const full = buildRoster(plan, createRng('r'));
    const under = buildRoster(plan, createRng('r'), { scale: 0.8 });
    expect(under.length / full.length).toBeGreaterThan(0.72);
    expect(under.length / full.length).toBeLessThan(0.88);
    expect(buildRoster(plan, createRng('r'), { scale: 0.8 })).toEqual(under);
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
