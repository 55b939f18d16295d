import { agentsForServiceLevel, staffingFor, scheduledStaff, type StaffingInput } from './erlang-c';
import type { ContactFacts } from './kpi';
import { DAY_MS, KST_OFFSET_MS } from './kst';
import { handleMsOf, kstDayOf } from './statistics';

/**
 * 인력 산정 (issue #12 §3): how many agents each half hour of the week needs for a service-level target, and what a
 * given number of agents would achieve, from the history of the last N weeks (../shared/reference/contact-center.md
 * §6 lines 179–224: plan per 30-minute interval from an intraday profile, not a daily average).
 *
 * The history is the contact facts of core/domain/kpi.ts, counted per KST weekday × half hour with the attribution
 * of docs/METRICS.md: arrivals by queue entry, handle time by answer. Erlang C itself is core/domain/erlang-c.ts.
 * Definitions and choices: docs/METRICS.md "Staffing".
 */

/** The length of one planning interval (the usual WFM interval, contact-center.md line 67). */
export const INTERVAL_MINUTES = 30;
const INTERVAL_SECONDS = INTERVAL_MINUTES * 60;
/** Half hours in a day. */
export const INTERVALS_PER_DAY = (24 * 60) / INTERVAL_MINUTES;
/** Half hours in a week (Monday 00:00 KST first). */
export const INTERVALS_PER_WEEK = 7 * INTERVALS_PER_DAY;

/** The city's defaults: 4 weeks of history, 80% in 20 s (KS), 30% shrinkage (contact-center.md line 216). */
export const STAFFING_DEFAULTS = {
  weeks: 4,
  maxWeeks: 52,
  targetServiceLevel: 0.8,
  targetAnswerSeconds: 20,
  shrinkage: 0.3,
  /** Abandons shorter than this are not demand (misdials, the same rule as the rates: docs/METRICS.md). */
  shortAbandonSeconds: 5,
} as const;

/** One half hour of the week: ISO weekday (1 = Monday … 7 = Sunday) and slot (0 = 00:00–00:30 KST … 47). */
export type IntervalKey = { weekday: number; slot: number };

/** The weekday and half-hour slot (KST) an instant falls in. */
export function intervalOf(at: number): IntervalKey {
  const local = new Date(at + KST_OFFSET_MS);
  const dow = local.getUTCDay();
  return { weekday: dow === 0 ? 7 : dow, slot: Math.floor((local.getUTCHours() * 60 + local.getUTCMinutes()) / INTERVAL_MINUTES) };
}

/** "HH:MM" of a slot's start (slot 48 is "24:00", the end of the last one). */
export function slotTime(slot: number): string {
  const minutes = slot * INTERVAL_MINUTES;
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

const indexOf = (k: IntervalKey): number => (k.weekday - 1) * INTERVALS_PER_DAY + k.slot;

/** What happened in one half hour of the week, summed over the days of the history that count. */
export type IntervalHistory = IntervalKey & {
  /** How many days of this weekday the history counts (N weeks minus the excluded days). */
  days: number;
  /** Contacts that entered the queue in this half hour (short abandons left out), summed over those days. */
  offered: number;
  /** Contacts answered in this half hour whose call has ended, summed over those days. */
  handled: number;
  /** Their talk + hold + after-call work, seconds. */
  handleSeconds: number;
};

/** The history of a window of whole KST days, per half hour of the week. */
export type StaffingHistory = {
  intervals: IntervalHistory[];
  /** Days of the window left out (public holidays, days the centre was closed), YYYY-MM-DD. */
  excludedDays: string[];
  /** Over the whole window: handled contacts and their handle time (the AHT of an interval with none of its own). */
  handled: number;
  handleSeconds: number;
};

/** Contacts of one KST day and half hour: offered (by queue entry) or handled (by answer) with their handle time. */
export type HalfHourCount = {
  kind: 'offered' | 'handled';
  /** The KST day, YYYY-MM-DD. */
  day: string;
  slot: number;
  contacts: number;
  /** Σ talk + hold + after-call work of handled contacts, ms (0 for offered). */
  handleMs: number;
};

/**
 * The counts the plan is made of, per KST day and half hour of the window [from, to): contacts offered by queue entry
 * (an abandon within `shortAbandonSeconds` is not demand), contacts handled by answer (answered and ended) with their
 * handle time. The server computes the same counts in SQL (server/modules/staffing/staffing.repository.ts); a test
 * proves both equal on a random history.
 */
export function countHalfHours(contacts: readonly ContactFacts[], window: { from: number; to: number }, shortAbandonSeconds: number = STAFFING_DEFAULTS.shortAbandonSeconds): HalfHourCount[] {
  const shortMs = shortAbandonSeconds * 1000;
  const out = new Map<string, HalfHourCount>();
  const add = (kind: HalfHourCount['kind'], at: number, handleMs: number) => {
    const day = kstDayOf(at);
    const { slot } = intervalOf(at);
    const key = `${kind}|${day}|${slot}`;
    const row = out.get(key) ?? { kind, day, slot, contacts: 0, handleMs: 0 };
    row.contacts += 1;
    row.handleMs += handleMs;
    out.set(key, row);
  };
  const inWindow = (at: number | null): at is number => at !== null && at >= window.from && at < window.to;
  for (const c of contacts) {
    if (inWindow(c.queuedAt)) {
      const shortAbandon = c.queueExit === 'abandoned' && c.abandonedAt !== null && c.abandonedAt - c.queuedAt < shortMs;
      if (!shortAbandon) add('offered', c.queuedAt, 0);
    }
    if (inWindow(c.answeredAt) && c.endedAt !== null) add('handled', c.answeredAt, handleMsOf(c));
  }
  return [...out.values()];
}

/**
 * The history per KST weekday × half hour from the counts of a window of whole KST days. Days for which `isExcluded`
 * is true (holidays, closed days) count neither their contacts nor as a day of their weekday, so a holiday Monday
 * does not pull Monday's average down.
 */
export function historyFromCounts(counts: readonly HalfHourCount[], window: { from: number; to: number }, isExcluded?: (day: string) => boolean): StaffingHistory {
  const excluded = new Set<string>();
  const intervals: IntervalHistory[] = [];
  for (let i = 0; i < INTERVALS_PER_WEEK; i++) {
    intervals.push({ weekday: Math.floor(i / INTERVALS_PER_DAY) + 1, slot: i % INTERVALS_PER_DAY, days: 0, offered: 0, handled: 0, handleSeconds: 0 });
  }
  const weekdayOf = new Map<string, number>();
  for (let day = window.from; day < window.to; day += DAY_MS) {
    const ymd = kstDayOf(day);
    if (isExcluded?.(ymd)) {
      excluded.add(ymd);
      continue;
    }
    const { weekday } = intervalOf(day);
    weekdayOf.set(ymd, weekday);
    for (let slot = 0; slot < INTERVALS_PER_DAY; slot++) intervals[indexOf({ weekday, slot })]!.days += 1;
  }
  let handled = 0;
  let handleMs = 0;
  for (const c of counts) {
    const weekday = weekdayOf.get(c.day);
    if (weekday === undefined || c.slot < 0 || c.slot >= INTERVALS_PER_DAY) continue; // outside the window or excluded
    const row = intervals[indexOf({ weekday, slot: c.slot })]!;
    if (c.kind === 'offered') row.offered += c.contacts;
    else {
      row.handled += c.contacts;
      row.handleSeconds += c.handleMs / 1000;
      handled += c.contacts;
      handleMs += c.handleMs;
    }
  }
  return { intervals, excludedDays: [...excluded].sort(), handled, handleSeconds: handleMs / 1000 };
}

/** {@link countHalfHours} then {@link historyFromCounts}: the history of a window from contact facts. */
export function staffingHistory(
  contacts: readonly ContactFacts[],
  window: { from: number; to: number },
  options: { shortAbandonSeconds?: number; isExcluded?: (day: string) => boolean } = {},
): StaffingHistory {
  return historyFromCounts(countHalfHours(contacts, window, options.shortAbandonSeconds), window, options.isExcluded);
}

/** What to plan for: the service-level target (fraction), its answer time T (s) and shrinkage (fraction in [0, 1)). */
export type StaffingTargets = { targetServiceLevel: number; targetAnswerSeconds: number; shrinkage: number };

/** Erlang C figures of one staffing level in one half hour. */
export type IntervalOutlook = {
  /** Agents scheduled (rostered) for the half hour. */
  scheduledAgents: number;
  /** Of them on the phones: ⌊scheduled · (1 − shrinkage)⌋. */
  agentsOnPhones: number;
  /** Expected SL(T) as a fraction (1 without traffic, 0 when the queue is unstable). */
  serviceLevel: number;
  /** Expected ASA in seconds; null when N ≤ A (the queue grows without bound). */
  asaSeconds: number | null;
  /** A / N, capped at 1. */
  occupancy: number;
  meetsTarget: boolean;
};

/** One half hour of the plan. */
export type PlanInterval = IntervalKey & {
  /** "HH:MM" KST, start and end. */
  start: string;
  end: string;
  /** Days of history behind the averages (0: nothing to plan from). */
  days: number;
  /** Average contacts offered per half hour (per day of history). */
  offered: number;
  /** Average handle time in seconds: the interval's own, or the window's when it handled none; null without any. */
  ahtSeconds: number | null;
  /** Where the AHT came from. */
  ahtSource: 'interval' | 'window' | null;
  /** A = λ · AHT in Erlang. */
  trafficErlangs: number;
  /** The fewest agents on the phones meeting the target (Erlang C), and the agents to schedule for them. */
  required: IntervalOutlook;
};

function outlook(input: StaffingInput, scheduled: number, onPhones: number, targets: StaffingTargets): IntervalOutlook {
  const r = staffingFor(input, onPhones);
  return {
    scheduledAgents: scheduled,
    agentsOnPhones: onPhones,
    serviceLevel: r.serviceLevel,
    asaSeconds: Number.isFinite(r.asaSeconds) ? r.asaSeconds : null,
    occupancy: r.occupancy,
    meetsTarget: r.serviceLevel >= targets.targetServiceLevel,
  };
}

function inputOf(row: Pick<PlanInterval, 'offered' | 'ahtSeconds'>, targets: StaffingTargets): StaffingInput {
  return {
    arrivalsPerSecond: row.offered / INTERVAL_SECONDS,
    ahtSeconds: row.ahtSeconds ?? 0,
    targetAnswerSeconds: targets.targetAnswerSeconds,
    targetServiceLevel: targets.targetServiceLevel,
  };
}

function assertTargets(t: StaffingTargets): void {
  if (!(t.targetServiceLevel > 0 && t.targetServiceLevel < 1)) throw new RangeError(`targetServiceLevel must be in (0, 1), got ${t.targetServiceLevel}`);
  if (!(Number.isFinite(t.targetAnswerSeconds) && t.targetAnswerSeconds >= 0)) throw new RangeError(`targetAnswerSeconds must be ≥ 0, got ${t.targetAnswerSeconds}`);
  if (!(t.shrinkage >= 0 && t.shrinkage < 1)) throw new RangeError(`shrinkage must be in [0, 1), got ${t.shrinkage}`);
}

/**
 * The plan: per half hour, λ = average offered ÷ 1,800 s and the average handle time give A = λ · AHT; Erlang C's
 * fewest agents on the phones N meeting SL(T) ≥ target (contact-center.md lines 183–189), and N ÷ (1 − shrinkage)
 * rounded up to schedule (line 190). AHT is the call-weighted mean of the interval's handled contacts, or of the whole
 * window's when the interval handled none (a half hour where every caller hung up still has a load).
 */
export function staffingPlan(history: StaffingHistory, targets: StaffingTargets): PlanInterval[] {
  assertTargets(targets);
  const windowAht = history.handled > 0 ? history.handleSeconds / history.handled : null;
  return history.intervals.map((h): PlanInterval => {
    const offered = h.days > 0 ? h.offered / h.days : 0;
    const ownAht = h.handled > 0 ? h.handleSeconds / h.handled : null;
    const ahtSeconds = ownAht ?? (offered > 0 ? windowAht : null);
    const ahtSource = ownAht !== null ? 'interval' : ahtSeconds !== null ? 'window' : null;
    const base = { weekday: h.weekday, slot: h.slot, start: slotTime(h.slot), end: slotTime(h.slot + 1), days: h.days, offered, ahtSeconds, ahtSource } as const;
    const input = inputOf(base, targets);
    const need = agentsForServiceLevel(input);
    // scheduledStaff(0, s) is −0 (⌈0 − 1e-9⌉): no agents on the phones is nobody to schedule.
    const scheduled = need.agents === 0 ? 0 : scheduledStaff(need.agents, targets.shrinkage);
    return { ...base, trafficErlangs: need.trafficErlangs, required: outlook(input, scheduled, need.agents, targets) };
  });
}

/** Agents on the phones out of `scheduled`: ⌊scheduled · (1 − shrinkage)⌋, the inverse of {@link scheduledStaff}. */
export function agentsOnPhonesOf(scheduled: number, shrinkage: number): number {
  if (!Number.isInteger(scheduled) || scheduled < 0) throw new RangeError(`scheduled agents must be an integer ≥ 0, got ${scheduled}`);
  // 10 · (1 − 0.3) is 6.999999999999999 in doubles: forgive rounding noise before rounding down.
  return Math.floor(scheduled * (1 - shrinkage) + 1e-9);
}

/** A half hour of the plan with what `scheduledAgents` agents would achieve there. */
export type WhatIfInterval = PlanInterval & { whatIf: IntervalOutlook };

/** What a given number of scheduled agents in every half hour would achieve: expected SL(T), ASA and occupancy. */
export function whatIf(plan: readonly PlanInterval[], scheduledAgents: number, targets: StaffingTargets): WhatIfInterval[] {
  assertTargets(targets);
  const onPhones = agentsOnPhonesOf(scheduledAgents, targets.shrinkage);
  return plan.map((row) => ({ ...row, whatIf: outlook(inputOf(row, targets), scheduledAgents, onPhones, targets) }));
}

/** The week at a glance. */
export type PlanSummary = {
  /** Half hours with traffic in the history. */
  intervalsWithTraffic: number;
  /** Average contacts offered in a week (Σ of the half hours' averages). */
  weeklyOffered: number;
  /** The most agents any half hour needs scheduled, and the first half hour that needs them. */
  peakScheduled: number;
  peakAt: IntervalKey | null;
  /** Σ scheduled agents × ½ h: the agent-hours on the roster a week needs. */
  scheduledAgentHours: number;
};

/** Totals of a plan. */
export function summarisePlan(plan: readonly PlanInterval[]): PlanSummary {
  let intervalsWithTraffic = 0;
  let weeklyOffered = 0;
  let peakScheduled = 0;
  let peakAt: IntervalKey | null = null;
  let agentIntervals = 0;
  for (const row of plan) {
    if (row.offered > 0) intervalsWithTraffic++;
    weeklyOffered += row.offered;
    agentIntervals += row.required.scheduledAgents;
    if (row.required.scheduledAgents > peakScheduled) {
      peakScheduled = row.required.scheduledAgents;
      peakAt = { weekday: row.weekday, slot: row.slot };
    }
  }
  return { intervalsWithTraffic, weeklyOffered, peakScheduled, peakAt, scheduledAgentHours: (agentIntervals * INTERVAL_MINUTES) / 60 };
}

/** A what-if over the week: the expected SL and ASA weighted by each half hour's traffic, and where it falls short. */
export type WhatIfSummary = {
  /** Σ offered · SL(T) ÷ Σ offered over the half hours with traffic; null without traffic. */
  serviceLevel: number | null;
  /** Σ offered · ASA ÷ Σ offered; null without traffic or when some half hour is unstable (ASA unbounded). */
  asaSeconds: number | null;
  /** Half hours with traffic meeting the target, and those with traffic. */
  intervalsMeetingTarget: number;
  intervalsWithTraffic: number;
  /** Half hours where N ≤ A: the queue grows without bound. */
  intervalsOverloaded: number;
};

/** Totals of a what-if. */
export function summariseWhatIf(rows: readonly WhatIfInterval[]): WhatIfSummary {
  let weight = 0;
  let slSum = 0;
  let asaSum = 0;
  let unbounded = false;
  let meeting = 0;
  let withTraffic = 0;
  let overloaded = 0;
  for (const row of rows) {
    if (row.offered <= 0) continue;
    withTraffic++;
    weight += row.offered;
    slSum += row.offered * row.whatIf.serviceLevel;
    if (row.whatIf.asaSeconds === null) {
      unbounded = true;
      overloaded++;
    } else asaSum += row.offered * row.whatIf.asaSeconds;
    if (row.whatIf.meetsTarget) meeting++;
  }
  return {
    serviceLevel: weight > 0 ? slSum / weight : null,
    asaSeconds: weight > 0 && !unbounded ? asaSum / weight : null,
    intervalsMeetingTarget: meeting,
    intervalsWithTraffic: withTraffic,
    intervalsOverloaded: overloaded,
  };
}
