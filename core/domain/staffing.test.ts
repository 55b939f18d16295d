import { describe, expect, it } from 'vitest';
import type { ContactFacts } from './kpi';
import {
  INTERVALS_PER_WEEK,
  agentsOnPhonesOf,
  intervalOf,
  slotTime,
  staffingHistory,
  staffingPlan,
  summarisePlan,
  summariseWhatIf,
  whatIf,
  type IntervalHistory,
  type StaffingHistory,
} from './staffing';

const TARGETS = { targetServiceLevel: 0.8, targetAnswerSeconds: 20, shrinkage: 0.3 };
const at = (kst: string) => Date.parse(`${kst}+09:00`);
const S = 1000;

/** A history whose only traffic is one half hour (Monday 09:00, slot 18) with the given sums over `days` Mondays. */
function oneInterval(offered: number, days: number, handled: number, handleSeconds: number): StaffingHistory {
  const intervals: IntervalHistory[] = [];
  for (let i = 0; i < INTERVALS_PER_WEEK; i++) {
    const weekday = Math.floor(i / 48) + 1;
    const slot = i % 48;
    const hit = weekday === 1 && slot === 18;
    intervals.push({ weekday, slot, days, offered: hit ? offered : 0, handled: hit ? handled : 0, handleSeconds: hit ? handleSeconds : 0 });
  }
  return { intervals, excludedDays: [], handled, handleSeconds };
}

const monday9 = <R extends { weekday: number; slot: number }>(rows: readonly R[]): R => rows.find((r) => r.weekday === 1 && r.slot === 18)!;

describe('the plan pinned to the reference worked example (contact-center.md lines 204–217, AHT 180 s, 80/20)', () => {
  // A half hour's average offered × 180 s ÷ 1,800 s = A: 43.75 calls → 4.375 Erl ("flat over 8 h"), 52.5 → 5.25 Erl
  // (the peak hour), 38.89 → 3.889 Erl ("flat over 9 h", where 6 agents give 79.6%: just short).
  it.each([
    ['flat over 8 h: 175 calls over 4 Mondays', 175, 4, 4.375, 7, 0.855, 13.3, 10],
    ['peak hour: 210 calls over 4 Mondays', 210, 4, 5.25, 8, 0.848, 13.5, 12],
    ['flat over 9 h: 350 calls over 9 Mondays', 350, 9, 3.889, 7, 0.915, 6.9, 10],
  ])('%s', (_name, offered, days, a, onPhones, sl, asa, scheduled) => {
    const row = monday9(staffingPlan(oneInterval(offered, days, 100, 100 * 180), TARGETS));
    expect(row.offered).toBeCloseTo(offered / days, 12);
    expect(row.ahtSeconds).toBe(180);
    expect(row.ahtSource).toBe('interval');
    expect(Math.abs(row.trafficErlangs - a)).toBeLessThanOrEqual(0.0005 + 1e-9);
    expect(row.required.agentsOnPhones).toBe(onPhones);
    expect(Math.abs(row.required.serviceLevel - sl)).toBeLessThanOrEqual(0.0005 + 1e-9);
    expect(Math.abs(row.required.asaSeconds! - asa)).toBeLessThanOrEqual(0.05 + 1e-9);
    // N ÷ (1 − 0.3) rounded up (line 190): 7 → 10, 8 → 11.43 → 12.
    expect(row.required.scheduledAgents).toBe(scheduled);
    expect(row.required.meetsTarget).toBe(true);
  });

  it('a looser target needs fewer agents: 79.6% with 6 at 3.889 Erl meets 75/20 but not 80/20', () => {
    const history = oneInterval(350, 9, 1, 180);
    expect(monday9(staffingPlan(history, TARGETS)).required.agentsOnPhones).toBe(7);
    const loose = monday9(staffingPlan(history, { ...TARGETS, targetServiceLevel: 0.75 }));
    expect(loose.required.agentsOnPhones).toBe(6);
    expect(loose.required.serviceLevel).toBeCloseTo(0.796, 3);
  });

  it('shrinkage only changes how many to schedule: 0% → N, 50% → 2N', () => {
    const history = oneInterval(175, 4, 1, 180);
    expect(monday9(staffingPlan(history, { ...TARGETS, shrinkage: 0 })).required.scheduledAgents).toBe(7);
    expect(monday9(staffingPlan(history, { ...TARGETS, shrinkage: 0.5 })).required.scheduledAgents).toBe(14);
  });

  it('a half hour without traffic needs nobody; a half hour that handled nobody takes the window AHT', () => {
    const history = oneInterval(175, 4, 0, 0);
    history.handled = 10;
    history.handleSeconds = 10 * 180;
    const plan = staffingPlan(history, TARGETS);
    const row = monday9(plan);
    expect(row.ahtSource).toBe('window');
    expect(row.ahtSeconds).toBe(180);
    expect(row.required.agentsOnPhones).toBe(7);
    const quiet = plan.find((r) => r.weekday === 3 && r.slot === 4)!;
    expect(quiet).toMatchObject({ offered: 0, ahtSeconds: null, ahtSource: null, trafficErlangs: 0 });
    expect(quiet.required).toMatchObject({ agentsOnPhones: 0, scheduledAgents: 0, serviceLevel: 1, asaSeconds: 0 });
  });

  it('refuses targets outside their range', () => {
    const history = oneInterval(1, 1, 1, 180);
    expect(() => staffingPlan(history, { ...TARGETS, targetServiceLevel: 1 })).toThrow(RangeError);
    expect(() => staffingPlan(history, { ...TARGETS, shrinkage: 1 })).toThrow(RangeError);
    expect(() => staffingPlan(history, { ...TARGETS, targetAnswerSeconds: -1 })).toThrow(RangeError);
  });
});

describe("what-if: the seed centre's 12 agents against 30", () => {
  it('12 scheduled with 30% shrinkage are 8 on the phones: the peak half hour gets 84.8%, ASA 13.5 s (line 214)', () => {
    const plan = staffingPlan(oneInterval(210, 4, 1, 180), TARGETS);
    const row = monday9(whatIf(plan, 12, TARGETS));
    expect(row.whatIf.agentsOnPhones).toBe(8);
    expect(row.whatIf.serviceLevel).toBeCloseTo(0.848, 3);
    expect(row.whatIf.asaSeconds).toBeCloseTo(13.5, 1);
    expect(row.whatIf.meetsTarget).toBe(true);
  });

  it('10 scheduled are 7 on the phones: 68.1%, ASA 39.8 s at the peak (line 213); 30 scheduled are 21', () => {
    const plan = staffingPlan(oneInterval(210, 4, 1, 180), TARGETS);
    const ten = monday9(whatIf(plan, 10, TARGETS));
    expect(ten.whatIf.agentsOnPhones).toBe(7);
    expect(ten.whatIf.serviceLevel).toBeCloseTo(0.681, 3);
    expect(ten.whatIf.asaSeconds).toBeCloseTo(39.8, 1);
    expect(ten.whatIf.meetsTarget).toBe(false);
    const thirty = monday9(whatIf(plan, 30, TARGETS));
    expect(thirty.whatIf.agentsOnPhones).toBe(21);
    expect(thirty.whatIf.serviceLevel).toBeGreaterThan(0.999);
  });

  it("scheduling the plan's own figure always meets the target (⌊⌈N/(1−s)⌉·(1−s)⌋ ≥ N)", () => {
    for (const shrinkage of [0, 0.1, 0.25, 0.3, 0.35, 0.5]) {
      for (let n = 0; n <= 60; n++) {
        const scheduled = Math.ceil(n / (1 - shrinkage) - 1e-9);
        expect(agentsOnPhonesOf(scheduled, shrinkage), `n=${n} s=${shrinkage}`).toBeGreaterThanOrEqual(n);
      }
    }
    const plan = staffingPlan(oneInterval(210, 4, 1, 180), TARGETS);
    expect(monday9(whatIf(plan, monday9(plan).required.scheduledAgents, TARGETS)).whatIf.meetsTarget).toBe(true);
  });

  it('too few agents: the queue is unstable, SL 0, ASA unbounded (null), occupancy 100%', () => {
    const plan = staffingPlan(oneInterval(210, 4, 1, 180), TARGETS);
    const row = monday9(whatIf(plan, 5, TARGETS)); // 3 on the phones for 5.25 Erl
    expect(row.whatIf).toMatchObject({ agentsOnPhones: 3, serviceLevel: 0, asaSeconds: null, occupancy: 1, meetsTarget: false });
    const sum = summariseWhatIf(whatIf(plan, 5, TARGETS));
    expect(sum).toMatchObject({ serviceLevel: 0, asaSeconds: null, intervalsOverloaded: 1, intervalsWithTraffic: 1, intervalsMeetingTarget: 0 });
    expect(() => whatIf(plan, -1, TARGETS)).toThrow(RangeError);
  });

  it("the week's figures weight each half hour by its traffic", () => {
    const history = oneInterval(210, 4, 1, 180);
    // A second busy half hour, Tuesday 14:00, with 175 calls (4.375 Erl).
    history.intervals[48 + 28] = { weekday: 2, slot: 28, days: 4, offered: 175, handled: 1, handleSeconds: 180 };
    const rows = whatIf(staffingPlan(history, TARGETS), 10, TARGETS); // 7 on the phones: 68.1% and 85.5%
    const sum = summariseWhatIf(rows);
    expect(sum.intervalsWithTraffic).toBe(2);
    expect(sum.intervalsMeetingTarget).toBe(1);
    const expected = (52.5 * rows.find((r) => r.weekday === 1 && r.slot === 18)!.whatIf.serviceLevel + 43.75 * rows.find((r) => r.weekday === 2 && r.slot === 28)!.whatIf.serviceLevel) / (52.5 + 43.75);
    expect(sum.serviceLevel).toBeCloseTo(expected, 12);
    expect(sum.serviceLevel).toBeCloseTo((52.5 * 0.681 + 43.75 * 0.855) / 96.25, 2);
    const plan = summarisePlan(rows);
    expect(plan).toMatchObject({ intervalsWithTraffic: 2, weeklyOffered: 96.25, peakScheduled: 12, peakAt: { weekday: 1, slot: 18 } });
    expect(plan.scheduledAgentHours).toBe((12 + 10) / 2);
  });
});

/** A contact queued at `q`, left the queue after `wait` s by `exit`, handled for `handle` s (talk 150, ACW rest). */
function contact(id: string, q: number, wait: number, exit: 'answered' | 'abandoned' | 'callback', handle = 180): ContactFacts {
  const answeredAt = exit === 'answered' ? q + wait * S : null;
  return {
    interactionId: id,
    queueId: null,
    agentId: null,
    queuedAt: q,
    answeredAt,
    abandonedAt: exit === 'abandoned' ? q + wait * S : null,
    callbackRequestedAt: exit === 'callback' ? q + wait * S : null,
    endedAt: answeredAt !== null ? answeredAt + (handle - 30) * S : null,
    wrapUpEndedAt: answeredAt !== null ? answeredAt + handle * S : null,
    holdMs: 0,
    outcome: null,
    queueExit: exit,
    callbackId: null,
    callbackAnsweredAt: null,
  };
}

describe('the history: KST weekday × half hour, by queue entry and by answer', () => {
  // Four weeks: Monday 2 November 2026 00:00 KST to Monday 30 November 00:00 KST.
  const window = { from: at('2026-11-02T00:00:00'), to: at('2026-11-30T00:00:00') };

  it('cuts half hours in KST whatever the instant: Sunday 23:59 KST is Sunday slot 47, Monday 00:00 KST slot 0', () => {
    expect(intervalOf(at('2026-11-08T23:59:59'))).toEqual({ weekday: 7, slot: 47 });
    expect(intervalOf(at('2026-11-09T00:00:00'))).toEqual({ weekday: 1, slot: 0 });
    expect(intervalOf(Date.parse('2026-11-09T00:29:59Z'))).toEqual({ weekday: 1, slot: 18 }); // 09:29:59 KST
    expect(slotTime(18)).toBe('09:00');
    expect(slotTime(48)).toBe('24:00');
  });

  it('offered by queue entry (short abandons out, callbacks and real abandons in), handled and AHT by answer', () => {
    const contacts = [
      contact('a', at('2026-11-02T09:10:00'), 10, 'answered', 200),
      contact('b', at('2026-11-09T09:29:50'), 20, 'answered', 100), // queued in 09:00, answered in 09:30
      contact('c', at('2026-11-16T09:05:00'), 3, 'abandoned'), // short abandon: not demand
      contact('d', at('2026-11-16T09:06:00'), 40, 'abandoned'),
      contact('e', at('2026-11-23T09:07:00'), 60, 'callback'),
      contact('f', at('2026-10-26T09:10:00'), 10, 'answered'), // before the window
      contact('g', at('2026-11-30T09:10:00'), 10, 'answered'), // after it
    ];
    const h = staffingHistory(contacts, window);
    const nine = h.intervals.find((r) => r.weekday === 1 && r.slot === 18)!;
    const nineThirty = h.intervals.find((r) => r.weekday === 1 && r.slot === 19)!;
    expect(nine).toMatchObject({ days: 4, offered: 4, handled: 1, handleSeconds: 200 });
    expect(nineThirty).toMatchObject({ days: 4, offered: 0, handled: 1, handleSeconds: 100 });
    expect(h).toMatchObject({ handled: 2, handleSeconds: 300, excludedDays: [] });
    expect(h.intervals.every((r) => r.days === 4)).toBe(true);

    const plan = staffingPlan(h, TARGETS);
    expect(monday9(plan)).toMatchObject({ offered: 1, ahtSeconds: 200, ahtSource: 'interval' });
  });

  it('an excluded day (a holiday Monday) counts neither its calls nor as a Monday', () => {
    const contacts = [contact('a', at('2026-11-02T09:10:00'), 10, 'answered'), contact('b', at('2026-11-09T09:10:00'), 10, 'answered')];
    const h = staffingHistory(contacts, window, { isExcluded: (d) => d === '2026-11-09' });
    expect(h.excludedDays).toEqual(['2026-11-09']);
    const nine = h.intervals.find((r) => r.weekday === 1 && r.slot === 18)!;
    expect(nine).toMatchObject({ days: 3, offered: 1, handled: 1 });
    expect(h.intervals.find((r) => r.weekday === 2 && r.slot === 18)!.days).toBe(4);
    expect(monday9(staffingPlan(h, TARGETS)).offered).toBeCloseTo(1 / 3, 12);
  });
});
