import {
  computeOccupancy,
  percentileOfSorted,
  summariseContacts,
  type AgentStateEvent,
  type ContactFacts,
  type KpiSummary,
} from './kpi';
import { DAY_MS, HOUR_MS, KST_OFFSET_MS } from './kst';

/**
 * The statistics of issue #12 §1 as pure functions: the city's calendar (Asia/Seoul, UTC+9 all year: Korea keeps no
 * daylight saving time since 1988), the rising-category rule, and the aggregation of per-contact facts (derived from
 * the contact event log by core/domain/kpi.ts) into each report's figures. Definitions: docs/METRICS.md.
 */

/** The city's defaults (docs/METRICS.md): SL 80% in 20 s, short abandon 5 s, FCR window 7 days, 직접처리율 target 80%. */
export const STATS_DEFAULTS = {
  serviceLevelSeconds: 20,
  serviceLevelTarget: 0.8,
  shortAbandonSeconds: 5,
  fcrWindowDays: 7,
  directResolutionTarget: 0.8,
  /** The longest range a report covers (3 years and a leap day). */
  maxRangeDays: 1096,
  /** Weeks of same-hour, same-weekday history the rising rule compares against. */
  risingBaselineWeeks: 8,
} as const;

// ————————————————————————————————————————— the city's calendar —————————————————————————————————————————

/** A period of whole KST days: [from, to) as UTC instants (epoch ms) and its first and last day (inclusive). */
export type Period = { from: number; to: number; fromDay: string; toDay: string };

/** The period kinds of the reports: a day, a week (Monday–Sunday), a calendar month or year, or any range of days. */
export type PeriodKind = 'day' | 'week' | 'month' | 'year' | 'custom';

/** Buckets of a time series. */
export type Bucket = 'hour' | 'day' | 'week' | 'month' | 'year';

const ymd = (y: number, m: number, d: number): string => new Date(Date.UTC(y, m - 1, d)).toISOString().slice(0, 10);
const partsOf = (day: string) => ({ y: Number(day.slice(0, 4)), m: Number(day.slice(5, 7)), d: Number(day.slice(8, 10)) });
const daysInMonth = (y: number, m: number): number => new Date(Date.UTC(y, m, 0)).getUTCDate();

/** The instant a KST day starts (00:00 KST) as epoch ms. */
export function kstDayStart(day: string): number {
  const { y, m, d } = partsOf(day);
  return Date.UTC(y, m - 1, d) - KST_OFFSET_MS;
}

/** The KST calendar day of an instant, YYYY-MM-DD. */
export function kstDayOf(at: number): string {
  return new Date(at + KST_OFFSET_MS).toISOString().slice(0, 10);
}

/** The instant the KST month of `at` starts (the 1st, 00:00 KST) as epoch ms. */
export function kstMonthStartOf(at: number): number {
  const local = new Date(at + KST_OFFSET_MS);
  return Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), 1) - KST_OFFSET_MS;
}

/** The instant the KST month after the one of `at` starts. */
export function kstNextMonthStartOf(at: number): number {
  const local = new Date(at + KST_OFFSET_MS);
  return Date.UTC(local.getUTCFullYear(), local.getUTCMonth() + 1, 1) - KST_OFFSET_MS;
}

/** The KST hour (0–23) and ISO weekday (1 = Monday … 7 = Sunday) of an instant. */
export function kstHourAndWeekday(at: number): { hour: number; weekday: number } {
  const local = new Date(at + KST_OFFSET_MS);
  const dow = local.getUTCDay();
  return { hour: local.getUTCHours(), weekday: dow === 0 ? 7 : dow };
}

/** A day `n` days after `day` (n may be negative). */
export function addDays(day: string, n: number): string {
  const { y, m, d } = partsOf(day);
  return ymd(y, m, d + n);
}

/** Whole days from `a` to `b` (b − a). */
export function daysBetween(a: string, b: string): number {
  return Math.round((kstDayStart(b) - kstDayStart(a)) / DAY_MS);
}

/** The same calendar day `years` years away; 29 February becomes 28 February in a common year. */
export function shiftYears(day: string, years: number): string {
  const { y, m, d } = partsOf(day);
  return ymd(y + years, m, Math.min(d, daysInMonth(y + years, m)));
}

/** The period of whole days from `fromDay` to `toDay`, both inclusive. */
export function daysPeriod(fromDay: string, toDay: string): Period {
  return { from: kstDayStart(fromDay), to: kstDayStart(addDays(toDay, 1)), fromDay, toDay };
}

/**
 * The day, week (Monday–Sunday), calendar month or calendar year that contains `day` (KST). For 'custom' use
 * {@link daysPeriod}.
 */
export function periodContaining(kind: Exclude<PeriodKind, 'custom'>, day: string): Period {
  const { y, m } = partsOf(day);
  switch (kind) {
    case 'day':
      return daysPeriod(day, day);
    case 'week': {
      const { weekday } = kstHourAndWeekday(kstDayStart(day));
      const monday = addDays(day, 1 - weekday);
      return daysPeriod(monday, addDays(monday, 6));
    }
    case 'month':
      return daysPeriod(ymd(y, m, 1), ymd(y, m, daysInMonth(y, m)));
    case 'year':
      return daysPeriod(ymd(y, 1, 1), ymd(y, 12, 31));
  }
}

/**
 * The period before: the previous day, week, calendar month or year; for a custom range the same number of days
 * just before it.
 */
export function previousPeriod(kind: PeriodKind, p: Period): Period {
  switch (kind) {
    case 'custom': {
      const length = daysBetween(p.fromDay, p.toDay) + 1;
      return daysPeriod(addDays(p.fromDay, -length), addDays(p.fromDay, -1));
    }
    default:
      return periodContaining(kind, addDays(p.fromDay, -1));
  }
}

/**
 * The same period last year. A month or a year: the same calendar month or year. A week: the week 52 weeks earlier
 * (364 days), so weekdays line up (a choice: a Monday is compared with a Monday). A day or a custom range: the same
 * calendar dates (29 February → 28 February).
 */
export function samePeriodLastYear(kind: PeriodKind, p: Period): Period {
  switch (kind) {
    case 'week':
      return daysPeriod(addDays(p.fromDay, -364), addDays(p.toDay, -364));
    case 'month':
    case 'year':
      return periodContaining(kind, shiftYears(p.fromDay, -1));
    case 'day':
    case 'custom':
      return daysPeriod(shiftYears(p.fromDay, -1), shiftYears(p.toDay, -1));
  }
}

/** Why a requested range is refused, or null when it is fine. */
export type RangeProblem = 'reversed' | 'future' | 'too_long';

/**
 * Checks a range of days against today (KST): `from` after `to` is reversed, a `to` after today is in the future, and
 * a range longer than `maxDays` days (both ends counted) is too long.
 */
export function rangeProblem(fromDay: string, toDay: string, today: string, maxDays: number = STATS_DEFAULTS.maxRangeDays): RangeProblem | null {
  if (fromDay > toDay) return 'reversed';
  if (toDay > today) return 'future';
  if (daysBetween(fromDay, toDay) + 1 > maxDays) return 'too_long';
  return null;
}

/** The buckets of a period for a time series: hours, days, weeks (Monday–Sunday), months or years, clipped to it. */
export function bucketsOf(p: Period, bucket: Bucket): Array<{ key: string; from: number; to: number }> {
  const out: Array<{ key: string; from: number; to: number }> = [];
  if (bucket === 'hour') {
    for (let at = p.from; at < p.to; at += HOUR_MS) {
      const { hour } = kstHourAndWeekday(at);
      out.push({ key: `${kstDayOf(at)}T${String(hour).padStart(2, '0')}`, from: at, to: at + HOUR_MS });
    }
    return out;
  }
  let day = p.fromDay;
  while (day <= p.toDay) {
    const whole = bucket === 'day' ? daysPeriod(day, day) : periodContaining(bucket, day);
    const from = Math.max(whole.from, p.from);
    const to = Math.min(whole.to, p.to);
    const key = bucket === 'month' ? whole.fromDay.slice(0, 7) : bucket === 'year' ? whole.fromDay.slice(0, 4) : whole.fromDay;
    out.push({ key, from, to });
    day = addDays(whole.toDay, 1);
  }
  return out;
}

// ————————————————————————————————————————— rising categories —————————————————————————————————————————

/** A category whose count is well above its usual level for the same hour (or day so far) and weekday. */
export type RisingCategory = {
  categoryId: string;
  count: number;
  /** Mean count of the same window in each of the baseline weeks (a missing week counts 0). */
  baselineMean: number;
  /** (count − mean) ÷ √variance, the variance being at least the mean (Poisson) and at least 1. */
  z: number;
};

/** Thresholds of the rising rule. */
export type RisingOptions = {
  /** At least this many contacts now (default 5): a rise from 0 to 2 is noise, not snow. */
  minCount?: number;
  /** z at least this (default 3). */
  minZ?: number;
  /** count at least this multiple of the mean (default 2). */
  minRatio?: number;
};

/**
 * The rising rule (write-down in docs/METRICS.md): for each category, `current` is its count in the window now (the
 * last hour, or today so far) and `baseline` holds its counts in the same window on the same weekday of each of the
 * last N weeks. With mean μ and sample variance s² of those N counts, v = max(μ, s², 1) (Poisson when the history is
 * calm, wider when it is not) and z = (x − μ) ÷ √v. A category is rising when x ≥ minCount, z ≥ minZ and x ≥ minRatio
 * × μ. Sorted by z, highest first.
 */
export function detectRising(
  current: ReadonlyMap<string, number>,
  baseline: readonly ReadonlyMap<string, number>[],
  options: RisingOptions = {},
): RisingCategory[] {
  const minCount = options.minCount ?? 5;
  const minZ = options.minZ ?? 3;
  const minRatio = options.minRatio ?? 2;
  const weeks = baseline.length;
  const out: RisingCategory[] = [];
  for (const [categoryId, count] of current) {
    if (count < minCount) continue;
    const history = baseline.map((week) => week.get(categoryId) ?? 0);
    const mean = weeks > 0 ? history.reduce((a, b) => a + b, 0) / weeks : 0;
    const sampleVariance = weeks > 1 ? history.reduce((a, b) => a + (b - mean) ** 2, 0) / (weeks - 1) : 0;
    const z = (count - mean) / Math.sqrt(Math.max(mean, sampleVariance, 1));
    if (z >= minZ && count >= minRatio * mean) out.push({ categoryId, count, baselineMean: mean, z });
  }
  return out.sort((a, b) => b.z - a.z || a.categoryId.localeCompare(b.categoryId));
}

/** Counts per key. */
export function countBy<T>(items: readonly T[], key: (item: T) => string | null): Map<string, number> {
  const out = new Map<string, number>();
  for (const item of items) {
    const k = key(item);
    if (k !== null) out.set(k, (out.get(k) ?? 0) + 1);
  }
  return out;
}

// ————————————————————————————————————————— per-contact facts → figures —————————————————————————————————————————

/** One contact as the reports see it: the KPI facts, the task it was dispositioned with, and whether the centre was closed. */
export type StatContact = ContactFacts & {
  /** The category of its `call_dispositioned` (null when no case was recorded). */
  categoryId: string | null;
  /** Reached the centre while it was closed (its call ended with reason closed): no queue entry. */
  afterHoursAt: number | null;
};

/** Thresholds of the queue figures. */
export type ServiceOptions = { serviceLevelSeconds: number; shortAbandonSeconds: number };

/** The figures of one window (queue figures by queue entry, handling figures by answer time: core/domain/kpi.ts). */
export function summarise(contacts: readonly StatContact[], p: { from: number; to: number }, o: ServiceOptions, states?: readonly AgentStateEvent[]): KpiSummary {
  return summariseContacts(contacts, { from: p.from, to: p.to, serviceLevelSeconds: o.serviceLevelSeconds, shortAbandonSeconds: o.shortAbandonSeconds }, states);
}

/** Contacts that reached the centre while it was closed, within [from, to). */
export function countAfterHours(contacts: readonly StatContact[], p: { from: number; to: number }): number {
  let n = 0;
  for (const c of contacts) if (c.afterHoursAt !== null && c.afterHoursAt >= p.from && c.afterHoursAt < p.to) n++;
  return n;
}

/** The handled contacts of a window: answered in [from, to) and ended (the handling figures' population). */
export function handledIn(contacts: readonly StatContact[], p: { from: number; to: number }): StatContact[] {
  return contacts.filter((c) => c.answeredAt !== null && c.answeredAt >= p.from && c.answeredAt < p.to && c.endedAt !== null);
}

/** A node of the 분야 → 업무 → 세부 tree. */
export type CategoryNode = { id: string; parentId: string | null; level: number; code: string; name: string; departmentId: string | null };

/** The handling figures of a group of contacts. */
export type TaskFigures = {
  /** Handled contacts (answered in the period, ended). */
  contacts: number;
  /** 직접처리율: settled by the agent ÷ contacts. */
  resolvedRate: number | null;
  /** 이관율: 3자통화 or 이관 ÷ contacts. */
  handedOnRate: number | null;
  ahtSeconds: number | null;
};

/** A row of the by-task report: a category (its subtree's contacts) now, and before. */
export type TaskRow = CategoryNode & TaskFigures & {
  hasChildren: boolean;
  previousContacts: number;
  /** (contacts − previous) ÷ previous; null when there were none before. */
  change: number | null;
};

/** Handling figures of handled contacts (all in the window already). */
export function taskFigures(handled: readonly StatContact[]): TaskFigures {
  let resolved = 0;
  let handedOn = 0;
  let handleMs = 0;
  for (const c of handled) {
    if (c.outcome === 'resolved') resolved++;
    else if (c.outcome === 'transferred' || c.outcome === 'handed_off') handedOn++;
    handleMs += handleMsOf(c);
  }
  const n = handled.length;
  return {
    contacts: n,
    resolvedRate: n > 0 ? resolved / n : null,
    handedOnRate: n > 0 ? handedOn / n : null,
    ahtSeconds: n > 0 ? handleMs / n / 1000 : null,
  };
}

/** Talk + hold + after-call work of a handled contact, ms (the AHT of core/domain/kpi.ts, contact by contact). */
export function handleMsOf(c: ContactFacts): number {
  if (c.answeredAt === null || c.endedAt === null) return 0;
  const talk = Math.max(0, c.endedAt - c.answeredAt - c.holdMs);
  const acw = c.wrapUpEndedAt !== null ? Math.max(0, c.wrapUpEndedAt - c.endedAt) : 0;
  return talk + c.holdMs + acw;
}

/**
 * The ancestors of each category, itself first (category id → [self, parent, grandparent]). Unknown parents end the
 * chain.
 */
export function ancestorsOf(tree: readonly CategoryNode[]): Map<string, string[]> {
  const byId = new Map(tree.map((n) => [n.id, n]));
  const out = new Map<string, string[]>();
  for (const n of tree) {
    const chain: string[] = [];
    let cur: CategoryNode | undefined = n;
    while (cur && chain.length < 10) {
      chain.push(cur.id);
      cur = cur.parentId ? byId.get(cur.parentId) : undefined;
    }
    out.set(n.id, chain);
  }
  return out;
}

/**
 * The by-task drill-down: one row per child of `parentId` (null = the 분야 level), each with the handled contacts of its
 * subtree in the period and in the previous period, sorted by contacts (most first). `unclassified` counts handled
 * contacts without a category (no case recorded) at the top level.
 */
export function tasksReport(
  tree: readonly CategoryNode[],
  parentId: string | null,
  current: readonly StatContact[],
  previous: readonly StatContact[],
): { rows: TaskRow[]; unclassified: number } {
  return tasksReportOfSums(tree, parentId, handlingSumsByCategory(current), handlingSumsByCategory(previous));
}

/** Handling sums of handled contacts per category as dispositioned ('' = none). */
export function handlingSumsByCategory(handled: readonly StatContact[]): Map<string, HandlingSums> {
  const out = new Map<string, HandlingSums>();
  for (const c of handled) {
    const key = c.categoryId ?? '';
    const s = out.get(key) ?? { handled: 0, resolved: 0, handedOn: 0, handleMs: 0, acwMs: 0 };
    s.handled++;
    if (c.outcome === 'resolved') s.resolved++;
    else if (c.outcome === 'transferred' || c.outcome === 'handed_off') s.handedOn++;
    s.handleMs += handleMsOf(c);
    if (c.wrapUpEndedAt !== null && c.endedAt !== null) s.acwMs += Math.max(0, c.wrapUpEndedAt - c.endedAt);
    out.set(key, s);
  }
  return out;
}

/** Handling sums of one category (as dispositioned) or agent. */
export type HandlingSums = { handled: number; resolved: number; handedOn: number; handleMs: number; acwMs: number };

/** The handling figures of {@link taskFigures} from sums. */
export function taskFiguresOfSums(s: HandlingSums | undefined) {
  const n = s?.handled ?? 0;
  return {
    contacts: n,
    resolvedRate: n > 0 ? s!.resolved / n : null,
    handedOnRate: n > 0 ? s!.handedOn / n : null,
    ahtSeconds: n > 0 ? s!.handleMs / n / 1000 : null,
  };
}

/**
 * The by-task drill-down ({@link tasksReport}) from handling sums per category as dispositioned ('' = no case):
 * a category's row sums its subtree.
 */
export function tasksReportOfSums(
  tree: readonly CategoryNode[],
  parentId: string | null,
  current: ReadonlyMap<string, HandlingSums>,
  previous: ReadonlyMap<string, HandlingSums>,
): { rows: TaskRow[]; unclassified: number } {
  const ancestors = ancestorsOf(tree);
  const children = tree.filter((n) => n.parentId === parentId);
  const hasChildren = new Set(tree.map((n) => n.parentId).filter((x): x is string => x !== null));
  const group = (sums: ReadonlyMap<string, HandlingSums>) => {
    const by = new Map<string, HandlingSums>();
    for (const [categoryId, s] of sums) {
      for (const id of (categoryId && ancestors.get(categoryId)) || []) {
        const g = by.get(id) ?? { handled: 0, resolved: 0, handedOn: 0, handleMs: 0, acwMs: 0 };
        g.handled += s.handled;
        g.resolved += s.resolved;
        g.handedOn += s.handedOn;
        g.handleMs += s.handleMs;
        g.acwMs += s.acwMs;
        by.set(id, g);
      }
    }
    return by;
  };
  const now = group(current);
  const before = group(previous);
  const rows = children.map((n): TaskRow => {
    const figures = taskFiguresOfSums(now.get(n.id));
    const previousContacts = before.get(n.id)?.handled ?? 0;
    return {
      ...n,
      ...figures,
      hasChildren: hasChildren.has(n.id),
      previousContacts,
      change: previousContacts > 0 ? (figures.contacts - previousContacts) / previousContacts : null,
    };
  });
  rows.sort((a, b) => b.contacts - a.contacts || a.code.localeCompare(b.code));
  let unclassified = 0;
  if (parentId === null) for (const [categoryId, s] of current) if (!categoryId || !ancestors.has(categoryId)) unclassified += s.handled;
  return { rows, unclassified };
}

/** The N categories (as dispositioned, the most specific level used) with the most handled contacts. */
export function topTopics(current: readonly StatContact[], n: number): Array<{ categoryId: string; contacts: number }> {
  return [...countBy(current, (c) => c.categoryId)]
    .map(([categoryId, contacts]) => ({ categoryId, contacts }))
    .sort((a, b) => b.contacts - a.contacts || a.categoryId.localeCompare(b.categoryId))
    .slice(0, n);
}

/** Offered contacts by KST weekday (rows 0–6 = Monday–Sunday) and hour (columns 0–23), by queue entry time. */
export function heatMap(contacts: readonly StatContact[], p: { from: number; to: number }): number[][] {
  const grid = Array.from({ length: 7 }, () => Array<number>(24).fill(0));
  for (const c of contacts) {
    if (c.queuedAt === null || c.queuedAt < p.from || c.queuedAt >= p.to) continue;
    const { hour, weekday } = kstHourAndWeekday(c.queuedAt);
    grid[weekday - 1]![hour]!++;
  }
  return grid;
}

// ————————————————————————————————————————— agents —————————————————————————————————————————

/** An agent state change with its not-ready reason. */
export type AgentStateChange = AgentStateEvent & { reason: string | null };

/** One agent's figures. */
export type AgentFigures = {
  agentId: string;
  contacts: number;
  ahtSeconds: number | null;
  averageAfterCallWorkSeconds: number | null;
  /** 직접처리율 of the agent's handled contacts. */
  resolvedRate: number | null;
  occupancy: number | null;
  /** Seconds in not-ready per reason, clipped to the period. */
  notReadySeconds: Record<string, number>;
};

/**
 * Per-agent figures: handled contacts (by answer time, the agent who answered), AHT, ACW, 직접처리율, occupancy and
 * not-ready time by reason from the agent's state log (pass changes from before `from` too; each state lasts until the
 * agent's next change or the period end).
 */
export function agentsReport(
  contacts: readonly StatContact[],
  states: readonly AgentStateChange[],
  p: { from: number; to: number },
  agentIds: readonly string[],
): AgentFigures[] {
  const handled = handledIn(contacts, p);
  return agentIds.map((agentId) => {
    const own = handled.filter((c) => c.agentId === agentId);
    const ownStates = states.filter((s) => s.agentId === agentId).sort((a, b) => a.at - b.at);
    let acwMs = 0;
    for (const c of own) if (c.wrapUpEndedAt !== null && c.endedAt !== null) acwMs += Math.max(0, c.wrapUpEndedAt - c.endedAt);
    const figures = taskFigures(own);
    const notReady: Record<string, number> = {};
    const notReadyMs = new Map<string, number>();
    for (let i = 0; i < ownStates.length; i++) {
      const s = ownStates[i]!;
      if (s.status !== 'not_ready') continue;
      const start = Math.max(s.at, p.from);
      const end = Math.min(ownStates[i + 1]?.at ?? p.to, p.to);
      if (end <= start) continue;
      const reason = s.reason ?? 'unknown';
      notReadyMs.set(reason, (notReadyMs.get(reason) ?? 0) + (end - start));
    }
    // Summed in ms and divided once, as the rollups do (core/domain/stat-rollups.ts): the same seconds to the last bit.
    for (const [reason, ms] of notReadyMs) notReady[reason] = ms / 1000;
    return {
      agentId,
      contacts: figures.contacts,
      ahtSeconds: figures.ahtSeconds,
      averageAfterCallWorkSeconds: own.length > 0 ? acwMs / own.length / 1000 : null,
      resolvedRate: figures.resolvedRate,
      occupancy: computeOccupancy(ownStates, p.from, p.to).occupancy,
      notReadySeconds: notReady,
    };
  });
}

// ————————————————————————————————————————— departments —————————————————————————————————————————

/** What the department report needs of one hand-off (이관); times epoch ms. */
export type HandOffFact = {
  departmentId: string;
  receivedAt: number;
  dueAt: number;
  acknowledgedAt: number | null;
  answeredAt: number | null;
  isReturned: boolean;
  isClosed: boolean;
};

/** What the department report needs of one warm-transfer attempt (3자통화). */
export type TransferFact = { departmentId: string | null; createdAt: number; status: string; handOffId: string | null };

/** One department's figures. */
export type DepartmentFigures = {
  departmentId: string;
  /** Hand-offs received in the period. */
  received: number;
  acknowledged: number;
  answered: number;
  /** Hand-offs (not returned) whose legal deadline fell in the period, up to now. */
  dueInPeriod: number;
  /** Of those, answered on or before the deadline. */
  answeredOnTime: number;
  /** 처리기한 준수율 = answered on time ÷ due in the period: open-and-overdue ones count as misses (contact-center.md). */
  onTimeRate: number | null;
  medianHoursToAnswer: number | null;
  p90HoursToAnswer: number | null;
  returned: number;
  /** returned ÷ received (sent to the wrong department). */
  returnedRate: number | null;
  /** Open hand-offs past their deadline now, whenever received. */
  overdueNow: number;
  transfers: { attempted: number; connected: number; fellBack: number; acceptedRate: number | null };
};

const TRANSFER_OPEN = new Set(['ringing', 'consulting']);

/** The counts of one department's hand-offs in a period (received, acknowledged, answered, returned; due and on time). */
export type DepartmentCounts = { received: number; acknowledged: number; answered: number; returned: number; due: number; onTime: number };

/**
 * One department's figures from its counts, the median and p90 of its answer times, its open overdue count and the
 * transfer attempts (every department's: those of this one begun in the period and ended count). The one mapping of
 * the raw report and of the rollups (core/domain/handoff-rollups.ts).
 */
export function departmentFiguresOf(
  departmentId: string,
  k: DepartmentCounts,
  /** Median and p90 (nearest rank) of the times to answer in ms, null with none answered. */
  answerMs: { median: number | null; p90: number | null },
  overdueNow: number,
  transfers: readonly TransferFact[],
  p: { from: number; to: number },
): DepartmentFigures {
  const hours = (ms: number | null) => (ms === null ? null : ms / HOUR_MS);
  const tr = transfers.filter((t) => t.departmentId === departmentId && t.createdAt >= p.from && t.createdAt < p.to && !TRANSFER_OPEN.has(t.status));
  const connected = tr.filter((t) => t.status === 'connected').length;
  const fellBack = tr.filter((t) => t.status !== 'connected' && t.handOffId !== null).length;
  return {
    departmentId,
    received: k.received,
    acknowledged: k.acknowledged,
    answered: k.answered,
    answeredOnTime: k.onTime,
    dueInPeriod: k.due,
    onTimeRate: k.due > 0 ? k.onTime / k.due : null,
    medianHoursToAnswer: hours(answerMs.median),
    p90HoursToAnswer: hours(answerMs.p90),
    returned: k.returned,
    returnedRate: k.received > 0 ? k.returned / k.received : null,
    overdueNow,
    transfers: { attempted: tr.length, connected, fellBack, acceptedRate: tr.length > 0 ? connected / tr.length : null },
  };
}

/**
 * Per-department hand-off and transfer figures: received, acknowledged, answered, returned and time to answer over the
 * hand-offs received in the period; the on-time rate over those whose deadline fell in the period; overdue is a
 * figure of `now` over every open hand-off; transfer attempts by their start. A transfer that fell back left a hand-off.
 */
export function departmentsReport(
  handOffs: readonly HandOffFact[],
  transfers: readonly TransferFact[],
  p: { from: number; to: number },
  now: number,
  departmentIds: readonly string[],
  /** Open hand-offs past their deadline at `now` per department, where counted apart (then `handOffs` need not hold them). */
  overdueByDepartment?: ReadonlyMap<string, number>,
): DepartmentFigures[] {
  const ofDepartment = new Map<string, HandOffFact[]>();
  for (const h of handOffs) {
    const list = ofDepartment.get(h.departmentId);
    if (list) list.push(h);
    else ofDepartment.set(h.departmentId, [h]);
  }
  return departmentIds.map((departmentId) => {
    const all = ofDepartment.get(departmentId) ?? [];
    const inPeriod = all.filter((h) => h.receivedAt >= p.from && h.receivedAt < p.to);
    let acknowledged = 0;
    let answered = 0;
    let returned = 0;
    const waits: number[] = [];
    for (const h of inPeriod) {
      if (h.acknowledgedAt !== null) acknowledged++;
      if (h.isReturned) returned++;
      else if (h.answeredAt !== null) {
        answered++;
        waits.push(h.answeredAt - h.receivedAt);
      }
    }
    // 처리기한 준수율: the hand-offs whose deadline fell in the period (and has passed), answered on time or not.
    let answeredOnTime = 0;
    let due = 0;
    for (const h of all) {
      if (h.isReturned || h.dueAt < p.from || h.dueAt >= p.to || h.dueAt > now) continue;
      due++;
      if (h.answeredAt !== null && h.answeredAt <= h.dueAt) answeredOnTime++;
    }
    waits.sort((a, b) => a - b);
    const overdueNow = overdueByDepartment
      ? (overdueByDepartment.get(departmentId) ?? 0)
      : all.filter((h) => !h.isReturned && !h.isClosed && h.answeredAt === null && h.dueAt < now).length;
    const answerMs = { median: percentileOfSorted(waits, 50), p90: percentileOfSorted(waits, 90) };
    return departmentFiguresOf(departmentId, { received: inPeriod.length, acknowledged, answered, returned, due, onTime: answeredOnTime }, answerMs, overdueNow, transfers, p);
  });
}
