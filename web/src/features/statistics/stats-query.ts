import type { Role } from '../../../../core/contracts/enums';
import type { StatsBucket, StatsPeriodKind } from '../../../../core/contracts/statistics';

/**
 * The statistics screen's filters, kept in the URL (search params) so that a view can be shared and a reload
 * restores it: /stats?view=task&period=month&date=2026-11-15&category=… . Pure: no DOM, no clock (today is passed).
 */

/** The screen's tabs: 업무별, 기간별, 부서별, 상담사별, 서비스 수준, 상담사 보호 (issue #14 §5). */
export const STATS_VIEWS = ['task', 'period', 'department', 'agent', 'service', 'protection'] as const;
export type StatsView = (typeof STATS_VIEWS)[number];

const PERIODS: readonly StatsPeriodKind[] = ['day', 'week', 'month', 'year', 'custom'];
const BUCKETS: readonly StatsBucket[] = ['hour', 'day', 'week', 'month', 'year'];
const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;
const ID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type StatsFilters = {
  view: StatsView;
  period: StatsPeriodKind;
  /** The day the period is around (not for custom); absent = today. */
  date?: string;
  from?: string;
  to?: string;
  department?: string;
  /** by-task: the category drilled into. */
  category?: string;
  /** by-period: the series bucket; absent = the server's default. */
  granularity?: StatsBucket;
};

/** Which tabs a role sees (the API enforces the same: officials their department, agents themselves). */
export function viewsFor(role: Role): StatsView[] {
  if (role === 'agent') return ['agent', 'protection'];
  if (role === 'official') return ['task', 'department'];
  return [...STATS_VIEWS];
}

/** A calendar day that exists (2026-02-30 does not). */
export function isDay(v: string | null | undefined): v is string {
  if (!v || !DAY_RE.test(v)) return false;
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
}

/** The filters a URL carries; anything malformed or not for this role falls back to the default (no error page). */
export function readFilters(params: URLSearchParams, views: readonly StatsView[]): StatsFilters {
  const view = views.find((v) => v === params.get('view')) ?? views[0] ?? 'task';
  const period = PERIODS.find((p) => p === params.get('period')) ?? 'day';
  const f: StatsFilters = { view, period };
  const day = (name: string) => {
    const v = params.get(name);
    return isDay(v) ? v : undefined;
  };
  const id = (name: string) => {
    const v = params.get(name);
    return v && ID_RE.test(v) ? v : undefined;
  };
  if (period === 'custom') {
    const from = day('from');
    const to = day('to');
    if (from) f.from = from;
    if (to) f.to = to;
  } else {
    const date = day('date');
    if (date) f.date = date;
  }
  const department = id('department');
  if (department) f.department = department;
  const category = id('category');
  if (category) f.category = category;
  const granularity = BUCKETS.find((b) => b === params.get('granularity'));
  if (granularity) f.granularity = granularity;
  return f;
}

/** The URL's search params for the filters (only what is set, in a stable order). */
export function writeFilters(f: StatsFilters): URLSearchParams {
  const p = new URLSearchParams();
  p.set('view', f.view);
  p.set('period', f.period);
  for (const key of ['date', 'from', 'to', 'department', 'category', 'granularity'] as const) {
    const v = f[key];
    if (v) p.set(key, v);
  }
  return p;
}

/** The reports of the API and the query parameters each accepts (its schema refuses any other). */
export const REPORT_OF: Record<StatsView, 'by-task' | 'by-period' | 'by-department' | 'by-agent' | 'service' | 'protection'> = {
  task: 'by-task',
  period: 'by-period',
  department: 'by-department',
  agent: 'by-agent',
  service: 'service',
  protection: 'protection',
};
export type StatsReportName = (typeof REPORT_OF)[StatsView] | 'headline';
const EXTRA: Record<StatsReportName, ReadonlyArray<'department' | 'category' | 'granularity'>> = {
  'by-task': ['department', 'category'],
  'by-period': ['granularity'],
  'by-department': ['department'],
  'by-agent': [],
  service: [],
  protection: [],
  headline: [],
};

/** The API query of a report for these filters, e.g. "period=month&date=2026-11-15&category=…". */
export function reportQuery(report: StatsReportName, f: StatsFilters): string {
  const p = new URLSearchParams();
  p.set('period', f.period);
  if (f.period === 'custom') {
    if (f.from) p.set('from', f.from);
    if (f.to) p.set('to', f.to);
  } else if (f.date) p.set('date', f.date);
  for (const key of EXTRA[report]) {
    const v = f[key];
    if (v) p.set(key, v);
  }
  return p.toString();
}

/** What is wrong with the chosen period before asking the server (the server checks the same, with the same words). */
export type FilterProblem = 'missing' | 'reversed' | 'future' | null;
export function filterProblem(f: StatsFilters, today: string): FilterProblem {
  if (f.period === 'custom') {
    if (!f.from || !f.to) return 'missing';
    if (f.from > f.to) return 'reversed';
    if (f.to > today) return 'future';
    return null;
  }
  return f.date && f.date > today ? 'future' : null;
}

/** The filters after choosing a period kind: a custom range starts as the current anchor's month up to it. */
export function withPeriod(f: StatsFilters, period: StatsPeriodKind, today: string): StatsFilters {
  const { date, from, to, granularity: _dropped, ...rest } = f;
  if (period === 'custom') {
    const end = to ?? date ?? today;
    return { ...rest, period, from: from ?? `${end.slice(0, 8)}01`, to: end };
  }
  const anchor = date ?? to;
  return anchor ? { ...rest, period, date: anchor } : { ...rest, period };
}

/** The filters for another tab: the drill-down and the trend's bucket belong to their own tab. */
export function withView(f: StatsFilters, view: StatsView): StatsFilters {
  const { category: _category, granularity: _granularity, ...rest } = f;
  return { ...rest, view };
}

/** The filters drilled into a category (or back to the top with undefined). */
export function withCategory(f: StatsFilters, category: string | undefined): StatsFilters {
  const { category: _category, ...rest } = f;
  return category ? { ...rest, category } : rest;
}
