import { DAY_MS, HOUR_MS, KST_OFFSET_MS } from './kst';
import { STATS_DEFAULTS, handleMsOf, type StatContact } from './statistics';

/**
 * Rollups of the statistics (issue #12 §4, Speed): what each contact adds to per-hour and per-day counters, so a
 * report over a year sums a few thousand rows instead of deriving millions of events. The counters are the exact
 * integer numerators and denominators of core/domain/kpi.ts and statistics.ts at the city's defaults (SL 20 s, short
 * abandon 5 s, FCR 7 days); the rates are computed from them the same way, so a report from rollups equals the one
 * recomputed from the raw events (server/modules/statistics/rollups.int.test.ts proves it on both databases).
 *
 * A contact's contribution is a pure function of its facts. The write path keeps the rollups in step by adding
 * contribution(after) − contribution(before) each time events of a contact are appended.
 */

/** The counters of a rollup row, in column order (the columns of stat_rollups). */
export const ROLLUP_COUNTERS = [
  'offered',
  'answered',
  'answered_in_sl',
  'abandoned',
  'short_abandoned',
  'abandoned_after_sl',
  'callbacks',
  'callbacks_answered',
  'callbacks_answered_in_sl',
  'wait_ms',
  'callback_wait_ms',
  'after_hours',
  'handled',
  'resolved',
  'handed_on',
  'handle_ms',
  'acw_ms',
  'fcr_contacts',
  'fcr_resolved',
  'fcr_unidentified',
] as const;

/** One counter of a rollup row. */
export type RollupCounter = (typeof ROLLUP_COUNTERS)[number];

/** Counter values (sums over the rows read). */
export type RollupCounts = Record<RollupCounter, number>;

/**
 * hour: queue figures by queue-entry hour, handling totals by answer hour, after-hours calls by arrival hour (bucket =
 * the UTC instant the hour starts; KST hours are whole UTC hours). task: handled contacts per KST day (bucket = 00:00
 * KST) and category as dispositioned ('' none). agent: the same per answering agent. task_m, agent_m: the same per KST
 * month (bucket = the 1st, 00:00 KST), kept with the day rows, so a report over years reads whole months from them and
 * only the partial months at its edges from the day rows. fcr: first-contact resolution per KST day of the disposition.
 */
export type RollupGrain = 'hour' | 'task' | 'agent' | 'task_m' | 'agent_m' | 'fcr';

/** The month grain kept beside a day grain of handling per dimension. */
export const MONTH_GRAIN_OF = { task: 'task_m', agent: 'agent_m' } as const;

/** A rollup row's key and its counter changes. */
export type RollupDelta = { grain: RollupGrain; bucket: number; dim: string; counts: RollupCounts };

/** All counters 0. */
export function zeroCounts(): RollupCounts {
  return { ...ZERO_COUNTS };
}
const ZERO_COUNTS = Object.freeze(Object.fromEntries(ROLLUP_COUNTERS.map((k) => [k, 0])) as RollupCounts);

/** The UTC instant the hour containing `at` starts (a KST hour: Korea is UTC+9, whole hours). */
export function hourBucket(at: number): number {
  return at - (((at % HOUR_MS) + HOUR_MS) % HOUR_MS);
}

/** 00:00 KST of the day containing `at`. */
export function dayBucket(at: number): number {
  // Korea keeps no summer time: the KST day is whole days from the epoch shifted by 9 hours (no date formatting: this
  // runs for every contact a decision touches).
  const local = at + KST_OFFSET_MS;
  return local - (((local % DAY_MS) + DAY_MS) % DAY_MS) - KST_OFFSET_MS;
}

/** Adds `sign` × the counts to the delta of (grain, bucket, dim). */
export function addCounts(into: Map<string, RollupDelta>, grain: RollupGrain, bucket: number, dim: string, counts: Partial<RollupCounts>, sign: 1 | -1): void {
  const key = `${grain}|${bucket}|${dim}`;
  let d = into.get(key);
  if (!d) into.set(key, (d = { grain, bucket, dim, counts: zeroCounts() }));
  for (const [k, v] of Object.entries(counts) as Array<[RollupCounter, number]>) d.counts[k] += sign * v;
}

/**
 * What one contact adds to the rollups (or, with sign −1, takes away), at the city's default thresholds: the queue
 * figures of core/domain/kpi.ts summariseContacts in the hour of its queue entry, its handling in the hour and day of
 * its answer (once ended), after-hours calls in the hour they reached the centre.
 */
export function addContribution(into: Map<string, RollupDelta>, c: StatContact, sign: 1 | -1): void {
  const targetMs = STATS_DEFAULTS.serviceLevelSeconds * 1000;
  const shortMs = STATS_DEFAULTS.shortAbandonSeconds * 1000;
  if (c.queuedAt !== null) {
    const q: Partial<RollupCounts> = { offered: 1 };
    if (c.queueExit === 'answered' && c.answeredAt !== null) {
      const wait = c.answeredAt - c.queuedAt;
      Object.assign(q, { answered: 1, wait_ms: wait, answered_in_sl: wait <= targetMs ? 1 : 0 });
    } else if (c.queueExit === 'abandoned' && c.abandonedAt !== null) {
      const wait = c.abandonedAt - c.queuedAt;
      if (wait < shortMs) q.short_abandoned = 1;
      else Object.assign(q, { abandoned: 1, abandoned_after_sl: wait > targetMs ? 1 : 0 });
    } else if (c.queueExit === 'callback' && c.callbackRequestedAt !== null) {
      q.callbacks = 1;
      if (c.callbackAnsweredAt !== null) {
        const wait = c.callbackAnsweredAt - c.queuedAt;
        Object.assign(q, { callbacks_answered: 1, callback_wait_ms: wait, callbacks_answered_in_sl: wait <= targetMs ? 1 : 0 });
      }
    }
    addCounts(into, 'hour', hourBucket(c.queuedAt), '', q, sign);
  }
  if (c.answeredAt !== null && c.endedAt !== null) {
    const handleMs = handleMsOf(c);
    const acwMs = c.wrapUpEndedAt !== null ? Math.max(0, c.wrapUpEndedAt - c.endedAt) : 0;
    const resolved = c.outcome === 'resolved' ? 1 : 0;
    const handedOn = c.outcome === 'transferred' || c.outcome === 'handed_off' ? 1 : 0;
    const h = { handled: 1, resolved, handed_on: handedOn, handle_ms: handleMs, acw_ms: acwMs };
    const day = dayBucket(c.answeredAt);
    addCounts(into, 'hour', hourBucket(c.answeredAt), '', h, sign);
    addCounts(into, 'task', day, c.categoryId ?? '', h, sign);
    addCounts(into, 'agent', day, c.agentId ?? '', h, sign);
  }
  if (c.afterHoursAt !== null) addCounts(into, 'hour', hourBucket(c.afterHoursAt), '', { after_hours: 1 }, sign);
}

/** The first disposition of a call as first-contact resolution reads it. */
export type DispositionFact = { interactionId: string; at: number; callerKey: string | null; categoryId: string | null; outcome: string | null };

/**
 * What a set of dispositions adds to the fcr grain (core/domain/kpi.ts firstContactResolution with the default 7-day
 * window): per KST day of the disposition, identified contacts (caller key and category known), those resolved with no
 * repeat from the same caller on the same category within the window after, and the unidentified. `only` limits
 * which dispositions are counted (the others are the neighbours that decide whether one was repeated).
 */
export function addFcr(
  into: Map<string, RollupDelta>,
  all: readonly DispositionFact[],
  sign: 1 | -1,
  only: (d: DispositionFact) => boolean = () => true,
  windowMs: number = STATS_DEFAULTS.fcrWindowDays * 86_400_000,
): void {
  const byKey = new Map<string, number[]>();
  for (const d of all) {
    if (!d.callerKey || !d.categoryId) continue;
    const key = `${d.callerKey}\u0000${d.categoryId}`;
    const list = byKey.get(key);
    if (list) list.push(d.at);
    else byKey.set(key, [d.at]);
  }
  for (const d of all) {
    if (!only(d)) continue;
    const day = dayBucket(d.at);
    if (!d.callerKey || !d.categoryId) {
      addCounts(into, 'fcr', day, '', { fcr_unidentified: 1 }, sign);
      continue;
    }
    const times = byKey.get(`${d.callerKey}\u0000${d.categoryId}`)!;
    const repeated = times.some((t) => t > d.at && t <= d.at + windowMs);
    addCounts(into, 'fcr', day, '', { fcr_contacts: 1, fcr_resolved: d.outcome === 'resolved' && !repeated ? 1 : 0 }, sign);
  }
}

/** The pieces of [from, to) in each KST day: [00:00 KST of the day, ms in it]. */
export function splitByKstDay(from: number, to: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let at = from;
  while (at < to) {
    const day = dayBucket(at);
    const end = Math.min(to, day + 86_400_000);
    out.push([day, end - at]);
    at = end;
  }
  return out;
}

const ratio = (num: number, den: number): number | null => (den > 0 ? num / den : null);
const seconds = (ms: number | null): number | null => (ms === null ? null : ms / 1000);

/** The queue and handling figures of summed hour rows, as core/domain/kpi.ts summariseContacts computes them. */
export function figuresOfCounts(k: RollupCounts) {
  const counted = k.offered - k.short_abandoned;
  const callbacksUnanswered = k.callbacks - k.callbacks_answered;
  return {
    offered: k.offered,
    answered: k.answered,
    answeredWithinTarget: k.answered_in_sl,
    abandoned: k.abandoned,
    shortAbandoned: k.short_abandoned,
    handled: k.handled,
    serviceLevel: ratio(k.answered_in_sl, k.answered + k.abandoned_after_sl),
    answerRate: ratio(k.answered, counted),
    abandonmentRate: ratio(k.abandoned, counted),
    asaSeconds: seconds(ratio(k.wait_ms, k.answered)),
    ahtSeconds: seconds(ratio(k.handle_ms, k.handled)),
    directResolutionRate: ratio(k.resolved, k.handled),
    callbacksRequested: k.callbacks,
    callbacksAnswered: k.callbacks_answered,
    callbacksUnanswered,
    allCalls: {
      serviceLevel: ratio(k.answered_in_sl + k.callbacks_answered_in_sl, k.answered + k.abandoned_after_sl + k.callbacks),
      answerRate: ratio(k.answered + k.callbacks_answered, counted),
      abandonmentRate: ratio(k.abandoned + callbacksUnanswered, counted),
      asaSeconds: seconds(ratio(k.wait_ms + k.callback_wait_ms, k.answered + k.callbacks_answered)),
    },
    afterHours: k.after_hours,
  };
}
