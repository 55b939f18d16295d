import { agentsForServiceLevel, scheduledStaff, staffingFor } from './erlang-c';
import { DEFAULT_DAY_MODEL, DEFAULT_INTRADAY_PROFILE, PROFILE_INTERVAL_MINUTES, minutesOf, type DayModelParams, type ProfileInterval } from './day-model';
import type { Rng } from './prng';

/**
 * The simulated centre's staffing (issue #19 "Staffing from the plan"), built the way workforce planners build a
 * roster: per half hour of the day's arrival curve, the agents Erlang C asks for on the phones (core/domain/erlang-c.ts,
 * 80/20 by default, and never above 85 % occupancy: the emotional-labour ceiling of contact-center.md §2); then a
 * covering heuristic picks shifts — full-time 8-hour shifts (a lunch hour and two paid 15-minute breaks) and part-time
 * 4-hour ones (a 30-minute rest, 근로기준법 제54조), starting at any half hour of the opening day at which the shift
 * still ends by closing — that have that many agents on the phones in every quarter hour with the fewest paid
 * agent-hours; breaks and lunch go where the requirement is lowest against the agents present. Pure and seeded; the
 * day simulator plays the roster against the ACD (log in, not ready with a reason, log out).
 * ../shared/reference/contact-center.md §6.
 */

/** One half hour of the staffing plan. */
export type SimPlanInterval = {
  /** "HH:MM" KST. */
  start: string;
  /** Expected calls in the half hour. */
  calls: number;
  /** A = λ · AHT, Erlang. */
  trafficErlangs: number;
  /** Erlang C: the fewest agents on the phones meeting the service-level target without exceeding the occupancy ceiling. */
  onPhones: number;
  /**
   * Agents the roster must have on the phones (present, not at lunch, on a break or another planned pause):
   * onPhones ÷ (1 − unplanned shrinkage), rounded up. Lunch, breaks and other pauses are placed by the roster itself.
   */
  atDesks: number;
};

export type SimStaffingTargets = {
  targetServiceLevel: number;
  targetAnswerSeconds: number;
  /**
   * Unplanned shrinkage: the share of an agent's time on the phones lost to what the roster does not place (a missed
   * offer's pause, recovery). Planned lunch, breaks and training are in the roster, so this is 0 by default.
   */
  shrinkage: number;
  /** Occupancy ceiling of the plan (0.85: above it the staffing page warns; contact-center.md §2). */
  maxOccupancy: number;
};

export const SIM_STAFFING_DEFAULTS: SimStaffingTargets = { targetServiceLevel: 0.8, targetAnswerSeconds: 20, shrinkage: 0, maxOccupancy: 0.85 };

/** The expected handle time of the day model: talk + the average hold + after-call work, in seconds. */
export function expectedAhtSeconds(p: DayModelParams = DEFAULT_DAY_MODEL): number {
  return p.talkMeanSeconds + p.holdShare * p.holdMeanSeconds + p.acwMeanSeconds;
}

/**
 * Erlang C per half hour of the profile for `calls` calls a day with the given AHT: the fewest agents N meeting the
 * service level, raised to ⌈A ÷ maxOccupancy⌉ where that is more. A small centre is bound by the service level (Gimpo's
 * 1,111 calls: 67 % occupancy over the day), a large one by the ceiling (Seoul's 43,000: 85 %, where 80/20 alone would
 * ask for 96 %).
 */
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
    const onPhones = need.agents === 0 ? 0 : Math.max(need.agents, Math.ceil(need.trafficErlangs / targets.maxOccupancy - 1e-9));
    return {
      start: p.start,
      calls: expected,
      trafficErlangs: need.trafficErlangs,
      onPhones,
      atDesks: onPhones === 0 ? 0 : scheduledStaff(onPhones, targets.shrinkage),
    };
  });
}

/** What Erlang C expects of a day with `onPhones[i]` agents on the phones in half hour i: SL(T) weighted by calls, occupancy by time. */
export function erlangExpectation(
  plan: readonly SimPlanInterval[],
  onPhones: readonly number[],
  ahtSeconds: number,
  targets: Pick<SimStaffingTargets, 'targetAnswerSeconds'> = SIM_STAFFING_DEFAULTS,
  callFactor = 1,
): { serviceLevel: number; occupancy: number } {
  let calls = 0;
  let answeredInTime = 0;
  let busy = 0;
  let staffed = 0;
  plan.forEach((p, i) => {
    const n = onPhones[i] ?? 0;
    const c = p.calls * callFactor;
    if (c === 0) return;
    const r = staffingFor({ arrivalsPerSecond: c / (PROFILE_INTERVAL_MINUTES * 60), ahtSeconds, targetAnswerSeconds: targets.targetAnswerSeconds }, n);
    calls += c;
    answeredInTime += c * r.serviceLevel;
    busy += Math.min(r.trafficErlangs, n);
    staffed += n;
  });
  return { serviceLevel: calls === 0 ? 1 : answeredInTime / calls, occupancy: staffed === 0 ? 0 : busy / staffed };
}

/** A not-ready period of a shift: minutes after midnight KST, its length and reason (the desk's reasons). */
export type ShiftPause = { at: number; minutes: number; reason: 'break' | 'meal' | 'training' | 'meeting' | 'admin' };

/** One agent's day. Times are minutes after midnight KST. */
export type Shift = {
  /** Full-time (8 hours of work, a lunch hour) or part-time (4 hours, a 30-minute rest). */
  kind: ShiftKind;
  /** Shift start (the agent logs in 5 minutes before). */
  start: number;
  /** Shift end: the agent logs out (after the call in hand). */
  end: number;
  /** Lunch, breaks and any other not-ready time, in time order. */
  pauses: ShiftPause[];
  /** The agent leaves before the end of the shift (minutes), or null. */
  leavesEarlyAt: number | null;
};

export type ShiftKind = 'full' | 'part';

/**
 * The shifts a roster is made of. Full-time: 9 hours at work, 8 of them paid (two 15-minute breaks included), a lunch
 * hour 2½–5 hours in. Part-time: 4 paid hours and a 30-minute rest in the middle (근로기준법 제54조: 30 minutes for 4
 * hours of work). Paid hours are what the covering heuristic saves.
 */
export const SHIFT_KINDS: Readonly<Record<ShiftKind, { spanMinutes: number; paidMinutes: number }>> = {
  full: { spanMinutes: 9 * 60, paidMinutes: 8 * 60 },
  part: { spanMinutes: 4 * 60 + 30, paidMinutes: 4 * 60 },
};
/** A full-time shift from start to end (9 hours with the lunch hour). */
export const SHIFT_MINUTES = SHIFT_KINDS.full.spanMinutes;
const QUARTER = 15;

/** Paid agent-hours of a roster (full-time 8, part-time 4 each; the hours before an early leave are counted whole). */
export function agentHours(roster: readonly Pick<Shift, 'kind'>[]): number {
  return roster.reduce((s, r) => s + SHIFT_KINDS[r.kind].paidMinutes / 60, 0);
}

type Placed = { kind: ShiftKind; start: number; off: Array<{ at: number; minutes: number; reason: ShiftPause['reason'] }> };

/** The quarter hours of the opening day and what each must have on the phones. */
type Floor = { open: number; close: number; need: number[]; cover: number[] };

const qIndex = (f: Floor, min: number) => (min - f.open) / QUARTER;

/** Whether the placed shift has its agent on the phones in quarter q. */
function onPhonesAt(f: Floor, s: Placed, q: number): boolean {
  const t = f.open + q * QUARTER;
  if (t < s.start || t >= s.start + SHIFT_KINDS[s.kind].spanMinutes) return false;
  return !s.off.some((o) => t >= o.at && t < o.at + o.minutes);
}

function apply(f: Floor, s: Placed, sign: 1 | -1): void {
  for (let q = 0; q < f.cover.length; q++) if (onPhonesAt(f, s, q)) f.cover[q]! += sign;
}

/** The lowest surplus (agents on the phones − need) over [at, at + minutes): where an absence hurts least. */
function surplus(f: Floor, at: number, minutes: number): number {
  let min = Number.POSITIVE_INFINITY;
  for (let t = at; t < at + minutes; t += QUARTER) min = Math.min(min, f.cover[qIndex(f, t)]! - f.need[qIndex(f, t)]!);
  return min;
}

/** Of the times from `from` to `to` (step `step`), the one where the floor best spares `minutes` off; ties nearest `ideal`. */
function bestTime(f: Floor, from: number, to: number, step: number, minutes: number, ideal: number): number {
  let best = from;
  let bestScore = Number.NEGATIVE_INFINITY;
  for (let t = from; t <= to; t += step) {
    const score = surplus(f, t, minutes) - Math.abs(t - ideal) / 10_000;
    if (score > bestScore) {
      bestScore = score;
      best = t;
    }
  }
  return best;
}

/** A shift of `kind` from `start` with its lunch, breaks or rest where the floor (without this agent) needs them least. */
function place(f: Floor, kind: ShiftKind, start: number): Placed {
  const end = start + SHIFT_KINDS[kind].spanMinutes;
  if (kind === 'part') {
    const rest = bestTime(f, start + 90, start + 150, 30, 30, start + 120);
    return { kind, start, off: [{ at: rest, minutes: 30, reason: 'break' }] };
  }
  const lunch = bestTime(f, Math.max(start + 150, f.open), Math.min(start + 300, end - 120), 30, 60, start + 240);
  const morning = bestTime(f, start + 60, lunch - 45, QUARTER, QUARTER, start + 120);
  const afternoon = bestTime(f, lunch + 120, end - 60, QUARTER, QUARTER, lunch + 180);
  return {
    kind,
    start,
    off: [
      { at: morning, minutes: QUARTER, reason: 'break' },
      { at: lunch, minutes: 60, reason: 'meal' },
      { at: afternoon, minutes: QUARTER, reason: 'break' },
    ],
  };
}

/** Quarters the shift would fill that still lack an agent. */
function gainOf(f: Floor, s: Placed): number {
  let gain = 0;
  for (let q = 0; q < f.cover.length; q++) if (f.cover[q]! < f.need[q]! && onPhonesAt(f, s, q)) gain++;
  return gain;
}

/**
 * The covering heuristic, in the order planners staff a floor: first the full-time core — while a full-time shift
 * (breaks placed against the floor so far) would spend at least `coreFill` of its time on the phones in quarters that
 * still lack agents, add the best one; then, while some quarter hour lacks agents, the shift of either kind that fills
 * the most lacking quarters per paid hour. Then, until nothing changes: every shift's breaks placed again against the
 * others, any shift the floor can spare dropped (full-time first: the largest saving), and any full-time shift whose
 * gap one part-time shift fills replaced by it.
 */
function coverFloor(f: Floor, kinds: readonly ShiftKind[], starts: ReadonlyMap<ShiftKind, readonly number[]>, coreFill: number): Placed[] {
  const shifts: Placed[] = [];
  const lacking = () => f.cover.some((c, q) => c < f.need[q]!);
  const onPhoneQuarters = (s: Placed) => (SHIFT_KINDS[s.kind].spanMinutes - s.off.reduce((m, o) => m + o.minutes, 0)) / QUARTER;
  const bestOf = (pool: readonly ShiftKind[], minFill: number): Placed | null => {
    let best: Placed | null = null;
    let bestScore = 0;
    for (const kind of pool) {
      for (const start of starts.get(kind) ?? []) {
        const s = place(f, kind, start);
        const gain = gainOf(f, s);
        if (gain === 0 || gain < minFill * onPhoneQuarters(s)) continue;
        const score = gain / SHIFT_KINDS[kind].paidMinutes;
        if (score > bestScore + 1e-12) {
          bestScore = score;
          best = s;
        }
      }
    }
    return best;
  };
  const add = (s: Placed) => {
    shifts.push(s);
    apply(f, s, 1);
  };
  if (kinds.includes('full')) for (let s = bestOf(['full'], coreFill); s; s = bestOf(['full'], coreFill)) add(s);
  while (lacking()) {
    const s = bestOf(kinds, 0);
    if (!s) throw new RangeError('no shift covers the plan');
    add(s);
  }
  for (let round = 0; round < 10; round++) {
    let changed = false;
    for (let i = 0; i < shifts.length; i++) {
      const s = shifts[i]!;
      apply(f, s, -1);
      const again = place(f, s.kind, s.start);
      apply(f, again, 1);
      // A lunch moved elsewhere moves the breaks' windows with it: keep the old places if the new ones leave a gap.
      if (lacking()) {
        apply(f, again, -1);
        apply(f, s, 1);
      } else shifts[i] = again;
    }
    const order = shifts.map((_, i) => i).sort((a, b) => SHIFT_KINDS[shifts[b]!.kind].paidMinutes - SHIFT_KINDS[shifts[a]!.kind].paidMinutes || shifts[b]!.start - shifts[a]!.start);
    const dropped = new Set<number>();
    for (const i of order) {
      const s = shifts[i]!;
      apply(f, s, -1);
      if (!lacking()) {
        dropped.add(i);
        changed = true;
        continue;
      }
      // A cheaper shift that fills the gap alone takes its place.
      let swap: Placed | null = null;
      for (const kind of kinds) {
        if (SHIFT_KINDS[kind].paidMinutes >= SHIFT_KINDS[s.kind].paidMinutes) continue;
        for (const start of starts.get(kind) ?? []) {
          const c = place(f, kind, start);
          apply(f, c, 1);
          const fills = !lacking();
          apply(f, c, -1);
          if (fills) {
            swap = c;
            break;
          }
        }
        if (swap) break;
      }
      if (swap) {
        shifts[i] = swap;
        apply(f, swap, 1);
        changed = true;
      } else apply(f, s, 1);
    }
    if (dropped.size > 0) {
      const kept = shifts.filter((_, i) => !dropped.has(i));
      shifts.length = 0;
      shifts.push(...kept);
    }
    if (!changed) break;
  }
  return shifts;
}

export type RosterOptions = {
  /** Share of the planned shifts that come to work (< 1: an under-staffed day, each shift kept with that probability). */
  scale?: number;
  /** Agents who go home at 15:00. */
  leaveEarly?: number;
  /** Share of agents given a training, meeting or admin pause where the floor can spare them (0.25 by default). */
  otherPauseShare?: number;
  /** The kinds of shift the roster may use (both by default; ['full'] is a centre without part-timers). */
  kinds?: readonly ShiftKind[];
  /** Shift starts ("HH:MM") instead of every half hour of the opening day at which the shift ends by closing. */
  starts?: readonly string[];
  /** Full-time shifts are added first while at least this share of their time on the phones fills a gap (0.8). */
  coreFill?: number;
};

/**
 * The roster that covers the plan's `atDesks` in every quarter hour (at least one agent in any half hour with calls;
 * coverFloor), with a training, meeting or admin pause of 15 or 30 minutes for about a quarter of the agents, placed
 * (with the seeded generator) where the floor can spare them or not at all; `leaveEarly` agents go home at 15:00
 * (never one whose shift closes the centre).
 */
export function buildRoster(plan: readonly SimPlanInterval[], rng: Rng, options: RosterOptions = {}): Shift[] {
  const open = minutesOf(plan[0]!.start);
  const close = minutesOf(plan[plan.length - 1]!.start) + PROFILE_INTERVAL_MINUTES;
  const perHalfHour = plan.map((p) => (p.calls > 0 ? Math.max(1, p.atDesks) : 0));
  const f: Floor = { open, close, need: perHalfHour.flatMap((n) => [n, n]), cover: perHalfHour.flatMap(() => [0, 0]) };
  const kinds = options.kinds ?? (['full', 'part'] as const);
  const starts = new Map<ShiftKind, number[]>();
  for (const kind of kinds) {
    const all = options.starts?.map(minutesOf) ?? Array.from({ length: plan.length }, (_, i) => open + i * PROFILE_INTERVAL_MINUTES);
    starts.set(kind, all.filter((s) => s >= open && s + SHIFT_KINDS[kind].spanMinutes <= close));
  }
  const chosen = coverFloor(f, kinds, starts, options.coreFill ?? 0.8).sort((a, b) => a.start - b.start || (a.kind === b.kind ? 0 : a.kind === 'full' ? -1 : 1));
  const scale = options.scale ?? 1;
  const kept = scale >= 1 ? chosen : chosen.filter((_, i) => i < 3 || rng.next() < scale);
  // Someone always closes the centre (a shift that ends at closing).
  const latest = Math.max(...chosen.map((c) => c.start + SHIFT_KINDS[c.kind].spanMinutes));
  const closer = chosen.find((c) => c.start + SHIFT_KINDS[c.kind].spanMinutes === latest);
  if (closer && !kept.includes(closer)) kept.push(closer);
  kept.sort((a, b) => a.start - b.start || (a.kind === b.kind ? 0 : a.kind === 'full' ? -1 : 1));
  // The floor as the kept shifts leave it, for the other pauses.
  f.cover.fill(0);
  for (const s of kept) apply(f, s, 1);
  const otherShare = options.otherPauseShare ?? 0.25;
  const reasons = ['training', 'meeting', 'admin'] as const;
  const shifts = kept.map((c): Shift => {
    const end = c.start + SHIFT_KINDS[c.kind].spanMinutes;
    const pauses: ShiftPause[] = c.off.map((o) => ({ ...o }));
    if (rng.next() < otherShare) {
      const minutes = QUARTER * (1 + rng.int(2));
      const reason = reasons[rng.int(reasons.length)]!;
      // Where the floor has a spare agent through the whole pause, and the agent is on the phones.
      const fits: number[] = [];
      for (let t = c.start + 30; t + minutes <= end - 30; t += QUARTER) {
        const free = !pauses.some((p) => t < p.at + p.minutes + QUARTER && p.at < t + minutes + QUARTER);
        if (free && surplus(f, t, minutes) >= 1) fits.push(t);
      }
      if (fits.length > 0) {
        const at = fits[rng.int(fits.length)]!;
        pauses.push({ at, minutes, reason });
        for (let t = at; t < at + minutes; t += QUARTER) f.cover[qIndex(f, t)]!--;
      }
    }
    pauses.sort((a, b) => a.at - b.at);
    return { kind: c.kind, start: c.start, end, pauses, leavesEarlyAt: null };
  });
  // The ones who leave early: spread over the roster, never a shift that closes the centre.
  const candidates = shifts.filter((s) => s.end !== latest && s.end > minutesOf('15:00') && s.start < minutesOf('15:00'));
  const early = Math.min(options.leaveEarly ?? 0, candidates.length);
  for (let k = 0; k < early; k++) candidates[Math.floor(((k + 0.5) * candidates.length) / early)]!.leavesEarlyAt = minutesOf('15:00');
  return shifts;
}

/**
 * Agents the roster has on the phones (present, not on lunch, a break or another pause, not gone home) in each half
 * hour of the plan: the fewer of its two quarter hours.
 */
export function rosterCoverage(plan: readonly SimPlanInterval[], roster: readonly Shift[]): number[] {
  return plan.map((p) => {
    const slot = minutesOf(p.start);
    let fewest = Number.POSITIVE_INFINITY;
    for (let t = slot; t < slot + PROFILE_INTERVAL_MINUTES; t += QUARTER) {
      const n = roster.filter((s) => t >= s.start && t < (s.leavesEarlyAt ?? s.end) && !s.pauses.some((x) => t < x.at + x.minutes && x.at < t + QUARTER)).length;
      fewest = Math.min(fewest, n);
    }
    return fewest;
  });
}
