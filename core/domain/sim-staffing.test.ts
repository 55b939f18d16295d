import { describe, expect, it } from 'vitest';
import { staffingFor } from './erlang-c';
import { DEFAULT_DAY_MODEL, kstMidnight, planDay, retrialOf } from './day-model';
import { createRng } from './prng';
import { boostedDay, occupancyVerdict, realisticDay, REALISTIC_DAY_MODEL, SIM_PRESETS, WELL_STAFFED_OCCUPANCY } from './sim-presets';
import { agentHours, buildRoster, erlangExpectation, expectedAhtSeconds, rosterCoverage, SHIFT_KIND_ORDER, SHIFT_KINDS, simStaffingPlan, SIM_STAFFING_DEFAULTS, solveCoverLp } from './sim-staffing';
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

  it('rosters 8-, 6- and 4-hour shifts starting over the day whose agents on the phones cover every half hour, with the breaks of 근로기준법 제54조', () => {
    for (const p of [plan, gimpo]) {
      const roster = buildRoster(p, createRng('roster'));
      rosterCoverage(p, roster).forEach((n, i) => expect(n, p[i]!.start).toBeGreaterThanOrEqual(p[i]!.atDesks));
      expect(new Set(roster.map((s) => s.start)).size).toBeGreaterThanOrEqual(5);
      const kinds = new Set(roster.map((s) => s.kind));
      expect(kinds.has('full')).toBe(true);
      expect(kinds.size).toBeGreaterThanOrEqual(2);
      for (const s of roster) {
        expect(SHIFT_KIND_ORDER).toContain(s.kind);
        expect(s.end - s.start).toBe(SHIFT_KINDS[s.kind].spanMinutes);
        expect(s.start).toBeGreaterThanOrEqual(minutesOf('08:30'));
        expect(s.end).toBeLessThanOrEqual(minutesOf('18:30'));
        const meals = s.pauses.filter((x) => x.reason === 'meal').map((x) => x.minutes);
        const breaks = s.pauses.filter((x) => x.reason === 'break').map((x) => x.minutes);
        // The unpaid meal or rest: an hour for 8 hours of work, 30 minutes for 4 or 6 (제54조), within the shift.
        const unpaid = s.end - s.start - SHIFT_KINDS[s.kind].paidMinutes;
        expect(unpaid).toBe(s.kind === 'full' ? 60 : 30);
        if (s.kind === 'full') {
          expect(meals).toEqual([60]);
          expect(breaks).toEqual([15, 15]);
        } else if (s.kind === 'mid') {
          expect(meals).toEqual([30]);
          expect(breaks).toEqual([15]);
        } else {
          expect(meals).toEqual([]);
          expect(breaks).toEqual([30]);
        }
        s.pauses.forEach((x, k) => {
          expect(x.at).toBeGreaterThan(s.start);
          expect(x.at + x.minutes).toBeLessThan(s.end);
          if (k > 0) expect(x.at).toBeGreaterThanOrEqual(s.pauses[k - 1]!.at + s.pauses[k - 1]!.minutes);
        });
        // No stretch of work longer than 4½ hours without a pause.
        const edges = [s.start, ...s.pauses.flatMap((x) => [x.at, x.at + x.minutes]), s.end];
        for (let k = 0; k < edges.length; k += 2) expect(edges[k + 1]! - edges[k]!).toBeLessThanOrEqual(270);
      }
    }
  });

  it('tracks the plan of a large centre: the agents on the phones per half hour within a few of Erlang C\'s, occupancy about 85 % at 80/20', () => {
    const roster = buildRoster(plan, createRng('roster'));
    const rostered = rosterCoverage(plan, roster);
    const need = plan.reduce((s, p) => s + p.atDesks, 0);
    expect(rostered.reduce((s, n) => s + n, 0)).toBeLessThanOrEqual(need * 1.01);
    rostered.forEach((n, i) => expect(n - plan[i]!.atDesks, plan[i]!.start).toBeLessThanOrEqual(8));
    const e = erlangExpectation(plan, rostered, aht);
    expect(e.occupancy).toBeGreaterThan(0.84);
    expect(e.serviceLevel).toBeGreaterThan(0.8);
    // Fewer paid hours than the plan's on the phones plus a tenth (breaks, whole shifts).
    expect(agentHours(roster)).toBeLessThan((need / 2) * 1.1);
  });

  it.each([
    // Two quarters, one shift covering both (cost 3) or one each (cost 2 apiece): the long one.
    { cost: [3, 2, 2], covers: [[true, true], [true, false], [false, true]], need: [4, 4], x: [4, 0, 0] },
    // The two short shifts cost less together than the long one: each quarter its own.
    { cost: [3, 1, 1], covers: [[true, true], [true, false], [false, true]], need: [5, 2], x: [0, 5, 2] },
    // A fractional optimum of the classic three-quarters cycle (each shift covers two of three).
    { cost: [1, 1, 1], covers: [[true, true, false], [false, true, true], [true, false, true]], need: [1, 1, 1], x: [0.5, 0.5, 0.5] },
  ])('solves the cover LP exactly: $need at costs $cost', ({ cost, covers, need, x }) => {
    const got = solveCoverLp(cost, covers, need);
    got.forEach((v, j) => expect(v).toBeCloseTo(x[j]!, 9));
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

  it('the well-staffed days target about 85 % occupancy: Seoul\'s roster is expected to meet it, Gimpo at 80/20 cannot', () => {
    const seoul = realisticDay(SIM_PRESETS.seoul!, createRng('1').fork('roster'));
    const gimpo = realisticDay(SIM_PRESETS.gimpo!, createRng('1').fork('roster'));
    expect(seoul.preset.occupancyTarget).toEqual(WELL_STAFFED_OCCUPANCY);
    expect(seoul.expected.roster.occupancy).toBeGreaterThanOrEqual(WELL_STAFFED_OCCUPANCY.min);
    expect(seoul.expected.roster.serviceLevel).toBeGreaterThanOrEqual(0.8);
    expect(occupancyVerdict(seoul, 0.85)).toMatchObject({ met: true, expected: true });
    expect(occupancyVerdict(seoul, 0.8)).toMatchObject({ met: false, expected: true });
    expect(occupancyVerdict(seoul, null)).toMatchObject({ met: false });
    // Gimpo: the target is stated and expected to be missed (the Erlang C pin above).
    expect(occupancyVerdict(gimpo, 0.5)).toMatchObject({ met: false, expected: false });
    expect(gimpo.expected.plan.occupancy).toBeLessThan(WELL_STAFFED_OCCUPANCY.min);
    // The other days have no occupancy target.
    expect(occupancyVerdict(realisticDay(SIM_PRESETS['gimpo-tax']!, createRng('1')), 0.85)).toBeNull();
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
