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
  /** Full-time (8 hours of work, a lunch hour), a 6-hour shift (a 30-minute meal) or part-time (4 hours, a 30-minute rest). */
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

export type ShiftKind = 'full' | 'mid' | 'part';

/**
 * The shifts a roster is made of; the unpaid meal or rest follows 근로기준법 제54조 (30 minutes for 4 hours of work, an
 * hour for 8, given during the work). Full-time: 9 hours at work, 8 of them paid (two 15-minute breaks included), a
 * lunch hour 2½–5 hours in. `mid`: 6½ hours at work, 6 paid (a 15-minute break included), a 30-minute meal 2–4 hours
 * in. Part-time: 4 paid hours and a 30-minute rest in the middle. Paid hours are what the roster saves.
 */
export const SHIFT_KINDS: Readonly<Record<ShiftKind, { spanMinutes: number; paidMinutes: number }>> = {
  full: { spanMinutes: 9 * 60, paidMinutes: 8 * 60 },
  mid: { spanMinutes: 6 * 60 + 30, paidMinutes: 6 * 60 },
  part: { spanMinutes: 4 * 60 + 30, paidMinutes: 4 * 60 },
};
/** The kinds, longest first (a roster lists its shifts by start, then in this order). */
export const SHIFT_KIND_ORDER: readonly ShiftKind[] = ['full', 'mid', 'part'];
/** A full-time shift from start to end (9 hours with the lunch hour). */
export const SHIFT_MINUTES = SHIFT_KINDS.full.spanMinutes;
const QUARTER = 15;
/**
 * What the roster minimises per shift: its paid minutes plus an hour a head (a desk, training, supervision and a login
 * of every agent), so that a roster of many short shifts is not cheaper than the full-time one it replaces unless it
 * really has fewer idle agents.
 */
const HEAD_COST_MINUTES = 60;
const costOf = (kind: ShiftKind) => SHIFT_KINDS[kind].paidMinutes + HEAD_COST_MINUTES;

/** Paid agent-hours of a roster (full-time 8, mid 6, part-time 4 each; the hours before an early leave are counted whole). */
export function agentHours(roster: readonly Pick<Shift, 'kind'>[]): number {
  return roster.reduce((s, r) => s + SHIFT_KINDS[r.kind].paidMinutes / 60, 0);
}

type Off = { at: number; minutes: number; reason: ShiftPause['reason'] };
type Placed = { kind: ShiftKind; start: number; off: Off[] };

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

/** A window in which a pause of `minutes` may start (every `step` minutes from `from` to `to`), `ideal` its best place on a quiet floor. */
type Window = { from: number; to: number; step: number; minutes: number; reason: ShiftPause['reason']; ideal: number };

/** Where a shift of `kind` from `start` may take its meal or rest (the first pause it places). */
function mealWindow(kind: ShiftKind, start: number): Window {
  const end = start + SHIFT_KINDS[kind].spanMinutes;
  if (kind === 'full') return { from: start + 150, to: Math.min(start + 300, end - 120), step: 30, minutes: 60, reason: 'meal', ideal: start + 240 };
  if (kind === 'mid') return { from: start + 120, to: start + 240, step: 30, minutes: 30, reason: 'meal', ideal: start + 180 };
  return { from: start + 90, to: start + 150, step: 30, minutes: 30, reason: 'break', ideal: start + 120 };
}

/** The paid 15-minute breaks' windows once the meal is at `meal`: an hour or more from the start, the end and the meal. */
function breakWindows(kind: ShiftKind, start: number, meal: number): Window[] {
  const end = start + SHIFT_KINDS[kind].spanMinutes;
  const b = (from: number, to: number, ideal: number): Window => ({ from, to, step: QUARTER, minutes: QUARTER, reason: 'break', ideal });
  if (kind === 'full') return [b(start + 60, meal - 45, start + 120), b(meal + 120, end - 60, meal + 180)];
  if (kind === 'mid') {
    // One break, in the longer of the two stretches around the 30-minute meal.
    const mealEnd = meal + 30;
    return meal - start >= end - mealEnd ? [b(start + 60, meal - 75, start + 90)] : [b(mealEnd + 60, end - 60, mealEnd + 90)];
  }
  return [];
}

/** Of the window's times, the one where the floor best spares the pause; ties nearest the ideal. */
function bestTime(f: Floor, w: Window): number {
  let best = w.from;
  let bestScore = Number.NEGATIVE_INFINITY;
  for (let t = w.from; t <= w.to; t += w.step) {
    const score = surplus(f, t, w.minutes) - Math.abs(t - w.ideal) / 10_000;
    if (score > bestScore) {
      bestScore = score;
      best = t;
    }
  }
  return best;
}

/** A shift of `kind` from `start` with its meal (or rest) and breaks where the floor (without this agent) needs them least. */
function place(f: Floor, kind: ShiftKind, start: number): Placed {
  const mw = mealWindow(kind, start);
  const meal = bestTime(f, { ...mw, from: Math.max(mw.from, f.open) });
  const off: Off[] = [{ at: meal, minutes: mw.minutes, reason: mw.reason }];
  for (const w of breakWindows(kind, start, meal)) off.push({ at: bestTime(f, w), minutes: w.minutes, reason: w.reason });
  return { kind, start, off: off.sort((a, b) => a.at - b.at) };
}

/** Every shift of `kind` from `start` with its pauses at a few places in their windows (ends, middle): the LP's columns. */
function layouts(kind: ShiftKind, start: number): Placed[] {
  const mw = mealWindow(kind, start);
  const spots = (w: Window) => [...new Set([w.from, w.to, w.from + Math.round((w.to - w.from) / 2 / w.step) * w.step])].filter((t) => t >= w.from && t <= w.to);
  const out: Placed[] = [];
  for (let meal = mw.from; meal <= mw.to; meal += mw.step) {
    let combos: Off[][] = [[{ at: meal, minutes: mw.minutes, reason: mw.reason }]];
    for (const w of breakWindows(kind, start, meal)) combos = combos.flatMap((c) => spots(w).map((t) => [...c, { at: t, minutes: w.minutes, reason: w.reason }]));
    for (const c of combos) out.push({ kind, start, off: c.sort((a, b) => a.at - b.at) });
  }
  return out;
}

/** Quarters the shift would fill that still lack an agent. */
function gainOf(f: Floor, s: Placed): number {
  let gain = 0;
  for (let q = 0; q < f.cover.length; q++) if (f.cover[q]! < f.need[q]! && onPhonesAt(f, s, q)) gain++;
  return gain;
}

const lacking = (f: Floor) => f.cover.some((c, q) => c < f.need[q]!);
const onPhoneQuarters = (s: Placed) => (SHIFT_KINDS[s.kind].spanMinutes - s.off.reduce((m, o) => m + o.minutes, 0)) / QUARTER;

/** Of every kind and start, the shift (breaks placed against the floor) filling the most lacking quarters per cost. */
function bestShift(f: Floor, pool: readonly ShiftKind[], starts: ReadonlyMap<ShiftKind, readonly number[]>, minFill: number): Placed | null {
  let best: Placed | null = null;
  let bestScore = 0;
  for (const kind of pool) {
    for (const start of starts.get(kind) ?? []) {
      const s = place(f, kind, start);
      const gain = gainOf(f, s);
      if (gain === 0 || gain < minFill * onPhoneQuarters(s)) continue;
      const score = gain / costOf(kind);
      if (score > bestScore + 1e-12) {
        bestScore = score;
        best = s;
      }
    }
  }
  return best;
}

/**
 * The linear programme of the cover: minimise Σ cost_j·x_j subject to Σ_j a_qj·x_j ≥ need_q for every quarter q, x ≥ 0
 * (a_qj = 1 when shift layout j has its agent on the phones in quarter q). Solved as its dual, max Σ need_q·y_q subject
 * to Σ_q a_qj·y_q ≤ cost_j, y ≥ 0, by the tableau simplex from the slack basis (feasible: every cost is positive);
 * the cover's x_j are the dual's reduced costs of the slacks at the optimum. Dantzig's rule, Bland's after a run of
 * degenerate pivots (no cycling).
 */
export function solveCoverLp(cost: readonly number[], covers: readonly (readonly boolean[])[], need: readonly number[]): number[] {
  const m = cost.length;
  const n = need.length;
  const width = n + m + 1;
  const t = new Float64Array(m * width);
  covers.forEach((a, j) => {
    a.forEach((on, q) => {
      if (on) t[j * width + q] = 1;
    });
    t[j * width + n + j] = 1;
    t[j * width + width - 1] = cost[j]!;
  });
  const z = new Float64Array(width);
  need.forEach((v, q) => (z[q] = -v));
  const basis = Array.from({ length: m }, (_, j) => n + j);
  const eps = 1e-9;
  let degenerate = 0;
  for (let iter = 0; iter < 100_000; iter++) {
    let e = -1;
    if (degenerate > 50) {
      for (let k = 0; k < width - 1; k++) if (z[k]! < -eps) {
        e = k;
        break;
      }
    } else {
      let most = -eps;
      for (let k = 0; k < width - 1; k++) if (z[k]! < most) {
        most = z[k]!;
        e = k;
      }
    }
    if (e < 0) break;
    let r = -1;
    let ratio = Number.POSITIVE_INFINITY;
    for (let i = 0; i < m; i++) {
      const a = t[i * width + e]!;
      if (a <= eps) continue;
      const v = t[i * width + width - 1]! / a;
      if (v < ratio - eps || (v < ratio + eps && r >= 0 && basis[i]! < basis[r]!)) {
        ratio = v;
        r = i;
      }
    }
    if (r < 0) throw new RangeError('cover LP unbounded: a quarter no shift covers');
    degenerate = ratio < eps ? degenerate + 1 : 0;
    const row = r * width;
    const p = t[row + e]!;
    for (let k = 0; k < width; k++) t[row + k]! /= p;
    for (let i = 0; i < m; i++) {
      if (i === r) continue;
      const a = t[i * width + e]!;
      if (a === 0) continue;
      const o = i * width;
      for (let k = 0; k < width; k++) t[o + k]! -= a * t[row + k]!;
    }
    const a = z[e]!;
    for (let k = 0; k < width; k++) z[k]! -= a * t[row + k]!;
    basis[r] = e;
  }
  return Array.from({ length: m }, (_, j) => Math.max(0, z[n + j]!));
}

/**
 * The covering heuristic as planners staff a floor: first the full-time core — while a full-time shift (breaks placed
 * against the floor so far) would spend at least `coreFill` of its time on the phones in quarters that still lack
 * agents, add the best one; then, while some quarter hour lacks agents, the shift of any kind that fills the most lacking
 * quarters per cost.
 */
function greedyCover(f: Floor, kinds: readonly ShiftKind[], starts: ReadonlyMap<ShiftKind, readonly number[]>, coreFill: number): Placed[] {
  const shifts: Placed[] = [];
  const add = (s: Placed) => {
    shifts.push(s);
    apply(f, s, 1);
  };
  if (kinds.includes('full')) for (let s = bestShift(f, ['full'], starts, coreFill); s; s = bestShift(f, ['full'], starts, coreFill)) add(s);
  fill(f, shifts, kinds, starts);
  return shifts;
}

/** While some quarter hour lacks agents, add the shift that fills the most lacking quarters per cost. */
function fill(f: Floor, shifts: Placed[], kinds: readonly ShiftKind[], starts: ReadonlyMap<ShiftKind, readonly number[]>): void {
  while (lacking(f)) {
    const s = bestShift(f, kinds, starts, 0);
    if (!s) throw new RangeError('no shift covers the plan');
    shifts.push(s);
    apply(f, s, 1);
  }
}

/**
 * The exact cover of the linear programme (solveCoverLp over every kind, start and a few places of each pause),
 * rounded down to whole shifts; the few quarters that leaves short are filled by the greedy step.
 */
function lpCover(f: Floor, kinds: readonly ShiftKind[], starts: ReadonlyMap<ShiftKind, readonly number[]>): Placed[] {
  const columns = kinds.flatMap((kind) => (starts.get(kind) ?? []).flatMap((start) => layouts(kind, start)));
  const x = solveCoverLp(
    columns.map((c) => costOf(c.kind) / 60),
    columns.map((c) => f.cover.map((_, q) => onPhonesAt(f, c, q))),
    f.need,
  );
  const shifts: Placed[] = [];
  columns.forEach((c, j) => {
    for (let k = 0; k < Math.floor(x[j]! + 1e-6); k++) {
      const s = { ...c, off: c.off.map((o) => ({ ...o })) };
      shifts.push(s);
      apply(f, s, 1);
    }
  });
  fill(f, shifts, kinds, starts);
  return shifts;
}

/**
 * Until nothing changes: every shift's breaks placed again against the others, any shift the floor can spare dropped
 * (the costliest first), and any shift whose gap one cheaper shift fills replaced by it.
 */
function improve(f: Floor, shifts: Placed[], kinds: readonly ShiftKind[], starts: ReadonlyMap<ShiftKind, readonly number[]>): Placed[] {
  for (let round = 0; round < 10; round++) {
    let changed = false;
    for (let i = 0; i < shifts.length; i++) {
      const s = shifts[i]!;
      apply(f, s, -1);
      const again = place(f, s.kind, s.start);
      apply(f, again, 1);
      // A meal moved elsewhere moves the breaks' windows with it: keep the old places if the new ones leave a gap.
      if (lacking(f)) {
        apply(f, again, -1);
        apply(f, s, 1);
      } else shifts[i] = again;
    }
    const order = shifts.map((_, i) => i).sort((a, b) => costOf(shifts[b]!.kind) - costOf(shifts[a]!.kind) || shifts[b]!.start - shifts[a]!.start);
    const dropped = new Set<number>();
    for (const i of order) {
      const s = shifts[i]!;
      apply(f, s, -1);
      if (!lacking(f)) {
        dropped.add(i);
        changed = true;
        continue;
      }
      // A cheaper shift that fills the gap alone takes its place.
      let swap: Placed | null = null;
      for (const kind of [...kinds].sort((a, b) => costOf(a) - costOf(b))) {
        if (costOf(kind) >= costOf(s.kind)) continue;
        for (const start of starts.get(kind) ?? []) {
          const c = place(f, kind, start);
          apply(f, c, 1);
          const fills = !lacking(f);
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

/**
 * The cheapest of two covers, each improved (improve): the linear programme's, rounded (lpCover: near the optimum
 * where hundreds of agents make rounding cheap), and the planners' greedy one (greedyCover: often as good for a
 * handful of agents). Cost: paid minutes plus an hour a head.
 */
function coverFloor(f: Floor, kinds: readonly ShiftKind[], starts: ReadonlyMap<ShiftKind, readonly number[]>, coreFill: number): Placed[] {
  const fresh = (): Floor => ({ ...f, cover: f.cover.map(() => 0) });
  const candidates = [(g: Floor) => lpCover(g, kinds, starts), (g: Floor) => greedyCover(g, kinds, starts, coreFill)].map((make) => {
    const g = fresh();
    const shifts = improve(g, make(g), kinds, starts);
    return { g, shifts, cost: shifts.reduce((s, x) => s + costOf(x.kind), 0) };
  });
  const best = candidates.reduce((a, b) => (b.cost < a.cost ? b : a));
  f.cover.splice(0, f.cover.length, ...best.g.cover);
  return best.shifts;
}

export type RosterOptions = {
  /** Share of the planned shifts that come to work (< 1: an under-staffed day, each shift kept with that probability). */
  scale?: number;
  /** Agents who go home at 15:00. */
  leaveEarly?: number;
  /** Share of agents given a training, meeting or admin pause where the floor can spare them (0.25 by default). */
  otherPauseShare?: number;
  /** The kinds of shift the roster may use (all three by default; ['full'] is a centre without part-timers). */
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
  const kinds = options.kinds ?? SHIFT_KIND_ORDER;
  const starts = new Map<ShiftKind, number[]>();
  for (const kind of kinds) {
    const all = options.starts?.map(minutesOf) ?? Array.from({ length: plan.length }, (_, i) => open + i * PROFILE_INTERVAL_MINUTES);
    starts.set(kind, all.filter((s) => s >= open && s + SHIFT_KINDS[kind].spanMinutes <= close));
  }
  const chosen = coverFloor(f, kinds, starts, options.coreFill ?? 0.8).sort((a, b) => a.start - b.start || SHIFT_KIND_ORDER.indexOf(a.kind) - SHIFT_KIND_ORDER.indexOf(b.kind));
  const scale = options.scale ?? 1;
  const kept = scale >= 1 ? chosen : chosen.filter((_, i) => i < 3 || rng.next() < scale);
  // Someone always closes the centre (a shift that ends at closing).
  const latest = Math.max(...chosen.map((c) => c.start + SHIFT_KINDS[c.kind].spanMinutes));
  const closer = chosen.find((c) => c.start + SHIFT_KINDS[c.kind].spanMinutes === latest);
  if (closer && !kept.includes(closer)) kept.push(closer);
  kept.sort((a, b) => a.start - b.start || SHIFT_KIND_ORDER.indexOf(a.kind) - SHIFT_KIND_ORDER.indexOf(b.kind));
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
