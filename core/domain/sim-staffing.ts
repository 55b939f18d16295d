import { agentsForServiceLevel, scheduledStaff } from './erlang-c';
import { DEFAULT_DAY_MODEL, DEFAULT_INTRADAY_PROFILE, PROFILE_INTERVAL_MINUTES, minutesOf, type DayModelParams, type ProfileInterval } from './day-model';
import type { Rng } from './prng';

/**
 * The simulated centre's staffing (issue #19 "Staffing from the plan"): per half hour of the day's arrival curve, the
 * agents Erlang C asks for (core/domain/erlang-c.ts, 80/20 by default) and, with in-shift shrinkage, the agents to
 * have at their desks; then a roster of 8-hour shifts (9 hours at work with a lunch hour) with staggered starts, lunch
 * waves and two 15-minute breaks that covers that plan. Pure and seeded; the day simulator plays the roster against
 * the ACD (log in, not ready with a reason, log out). ../shared/reference/contact-center.md §6.
 */

/** One half hour of the staffing plan. */
export type SimPlanInterval = {
  /** "HH:MM" KST. */
  start: string;
  /** Expected calls in the half hour. */
  calls: number;
  /** A = λ · AHT, Erlang. */
  trafficErlangs: number;
  /** Erlang C: the fewest agents on the phones meeting the target. */
  onPhones: number;
  /** Agents to have at their desks (not at lunch) for them: onPhones ÷ (1 − in-shift shrinkage), rounded up. */
  atDesks: number;
};

export type SimStaffingTargets = {
  targetServiceLevel: number;
  targetAnswerSeconds: number;
  /**
   * In-shift shrinkage: the share of a present agent's time off the phones for breaks and other not-ready time
   * (the lunch hour is planned explicitly by the roster, so it is not in here). 0.12 by default.
   */
  shrinkage: number;
};

export const SIM_STAFFING_DEFAULTS: SimStaffingTargets = { targetServiceLevel: 0.8, targetAnswerSeconds: 20, shrinkage: 0.12 };

/** The expected handle time of the day model: talk + the average hold + after-call work, in seconds. */
export function expectedAhtSeconds(p: DayModelParams = DEFAULT_DAY_MODEL): number {
  return p.talkMeanSeconds + p.holdShare * p.holdMeanSeconds + p.acwMeanSeconds;
}

/** Erlang C per half hour of the profile for `calls` calls a day with the given AHT. */
export function simStaffingPlan(
  calls: number,
  ahtSeconds: number,
  targets: SimStaffingTargets = SIM_STAFFING_DEFAULTS,
  profile: readonly ProfileInterval[] = DEFAULT_INTRADAY_PROFILE,
): SimPlanInterval[] {
  const sum = profile.reduce((s, p) => s + p.weight, 0);
  const seconds = PROFILE_INTERVAL_MINUTES * 60;
  return profile.map((p) => {
    const expected = (calls * p.weight) / sum;
    const need = agentsForServiceLevel({
      arrivalsPerSecond: expected / seconds,
      ahtSeconds,
      targetAnswerSeconds: targets.targetAnswerSeconds,
      targetServiceLevel: targets.targetServiceLevel,
    });
    return {
      start: p.start,
      calls: expected,
      trafficErlangs: need.trafficErlangs,
      onPhones: need.agents,
      atDesks: need.agents === 0 ? 0 : scheduledStaff(need.agents, targets.shrinkage),
    };
  });
}

/** A not-ready period of a shift: minutes after midnight KST, its length and reason (the desk's reasons). */
export type ShiftPause = { at: number; minutes: number; reason: 'break' | 'meal' | 'training' | 'meeting' | 'admin' };

/** One agent's day. Times are minutes after midnight KST. */
export type Shift = {
  /** Shift start (the agent logs in 5 minutes before). */
  start: number;
  /** Shift end: the agent logs out (after the call in hand). */
  end: number;
  /** The lunch hour, two short breaks and any other not-ready time, in time order. */
  pauses: ShiftPause[];
  /** The agent leaves before the end of the shift (minutes), or null. */
  leavesEarlyAt: number | null;
};

/** Shift starts (KST) and the lunch hours a shift may take. */
const SHIFT_STARTS = ['08:30', '09:00', '09:30'];
const LUNCH_STARTS = ['11:00', '11:30', '12:00', '12:30', '13:00', '13:30', '14:00'];
/** 8 hours of work plus the lunch hour. */
export const SHIFT_MINUTES = 9 * 60;
const BREAK_MINUTES = 15;

type Candidate = { start: number; lunch: number };

function covers(c: Candidate, slotStart: number): boolean {
  const slotEnd = slotStart + PROFILE_INTERVAL_MINUTES;
  const present = c.start <= slotStart && slotEnd <= c.start + SHIFT_MINUTES;
  const atLunch = slotStart < c.lunch + 60 && c.lunch < slotEnd;
  return present && !atLunch;
}

/**
 * The fewest shifts (start, lunch) whose agents at their desks cover `need` in every half hour: for R agents (from the
 * plan's peak up), as many start at 08:30 as the first half hour needs, the next ones at 09:00, the rest at 09:30;
 * then each agent in turn (the earliest starters first) takes the lunch hour where the floor can best spare them. If
 * some half hour falls short, one more agent and again.
 */
function coverPlan(slots: readonly number[], need: readonly number[]): Candidate[] {
  const starts = SHIFT_STARTS.map(minutesOf);
  const lunches = LUNCH_STARTS.map(minutesOf);
  const needAt = (min: number) => need[slots.indexOf(min)] ?? 0;
  for (let r = Math.max(1, ...need); r < 100_000; r++) {
    const first = Math.min(r, needAt(starts[0]!));
    const second = Math.min(r - first, Math.max(0, needAt(starts[1]!) - first));
    const counts = [first, second, r - first - second];
    const shifts: Candidate[] = [];
    counts.forEach((n, k) => {
      for (let i = 0; i < n; i++) shifts.push({ start: starts[k]!, lunch: -999 });
    });
    const cover = slots.map((slot) => shifts.filter((c) => covers(c, slot)).length);
    let ok = true;
    for (const c of shifts) {
      let best = -1;
      let bestSlack = Number.NEGATIVE_INFINITY;
      for (const l of lunches) {
        if (l < c.start + 150 || l > c.start + 300) continue;
        let slack = Number.POSITIVE_INFINITY;
        slots.forEach((slot, i) => {
          if (slot >= l && slot < l + 60) slack = Math.min(slack, cover[i]! - 1 - need[i]!);
        });
        if (slack > bestSlack) {
          bestSlack = slack;
          best = l;
        }
      }
      c.lunch = best;
      slots.forEach((slot, i) => {
        if (slot >= best && slot < best + 60) cover[i]!--;
      });
    }
    slots.forEach((_, i) => {
      if (cover[i]! < need[i]!) ok = false;
    });
    if (ok) return shifts;
  }
  throw new RangeError('no roster covers the plan');
}

/**
 * The roster's shifts (start and lunch) cover the plan's `atDesks` in every half hour (at least one agent per half
 * hour with calls; coverPlan). Then each agent gets two 15-minute
 * breaks (about two hours into the morning and two hours after lunch, staggered by 5 minutes so the floor never empties)
 * and, with the seeded generator, now and then a training, meeting or admin pause; `leaveEarly` agents go home at 15:00.
 * `scale` < 1 rosters fewer agents than the plan asks for (an under-staffed day): each shift kept with that probability.
 */
export function buildRoster(plan: readonly SimPlanInterval[], rng: Rng, options: { scale?: number; leaveEarly?: number; otherPauseShare?: number } = {}): Shift[] {
  const slots = plan.map((p) => minutesOf(p.start));
  const need = plan.map((p) => (p.calls > 0 ? Math.max(1, p.atDesks) : 0));
  const chosen = coverPlan(slots, need);
  const scale = options.scale ?? 1;
  const kept = scale >= 1 ? chosen : chosen.filter((_, i) => i < 3 || rng.next() < scale);
  // Someone always closes the centre (the latest shift of the plan).
  const latest = Math.max(...chosen.map((c) => c.start));
  const closer = chosen.find((c) => c.start === latest);
  if (closer && !kept.includes(closer)) kept.push(closer);
  kept.sort((a, b) => a.start - b.start || a.lunch - b.lunch);
  const otherShare = options.otherPauseShare ?? 0.25;
  const reasons = ['training', 'meeting', 'admin'] as const;
  const shifts = kept.map((c, i): Shift => {
    const stagger = (i % 8) * 10;
    const pauses: ShiftPause[] = [
      { at: Math.min(c.start + 75 + stagger, c.lunch - BREAK_MINUTES - 15), minutes: BREAK_MINUTES, reason: 'break' },
      { at: c.lunch, minutes: 60, reason: 'meal' },
      { at: c.lunch + 60 + 90 + stagger, minutes: BREAK_MINUTES, reason: 'break' },
    ];
    if (rng.next() < otherShare) {
      // An afternoon pause of 10–30 minutes between the second break and the end of the shift.
      const from = c.lunch + 60 + 90 + stagger + BREAK_MINUTES + 10;
      const to = c.start + SHIFT_MINUTES - 40;
      if (to > from) pauses.push({ at: from + rng.int(to - from), minutes: 10 + rng.int(21), reason: reasons[rng.int(reasons.length)]! });
    }
    pauses.sort((a, b) => a.at - b.at);
    return { start: c.start, end: c.start + SHIFT_MINUTES, pauses, leavesEarlyAt: null };
  });
  // The ones who leave early: spread over the roster (never the last shift of the day, which closes the centre).
  const early = Math.min(options.leaveEarly ?? 0, Math.max(0, shifts.length - 1));
  for (let k = 0; k < early; k++) shifts[Math.floor(((k + 0.5) * (shifts.length - 1)) / early)]!.leavesEarlyAt = minutesOf('15:00');
  return shifts;
}

/** Agents the roster has at their desks (present, not at lunch) in each half hour of the plan. */
export function rosterCoverage(plan: readonly SimPlanInterval[], roster: readonly Shift[]): number[] {
  return plan.map((p) => {
    const slot = minutesOf(p.start);
    return roster.filter((s) => {
      const lunch = s.pauses.find((x) => x.reason === 'meal');
      const end = s.leavesEarlyAt ?? s.end;
      return covers({ start: s.start, lunch: lunch ? lunch.at : -999 }, slot) && slot + PROFILE_INTERVAL_MINUTES <= end;
    }).length;
  });
}
