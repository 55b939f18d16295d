import type {
  ByAgentQuery,
  ByAgentReport,
  ByDepartmentQuery,
  ByDepartmentReport,
  ByPeriodQuery,
  ByPeriodReport,
  ByTaskQuery,
  ByTaskReport,
  HeadlineQuery,
  HeadlineReport,
  RisingQuery,
  RisingReport,
  ServiceQuery,
  ServiceReport,
  StatsBucket,
  StatsPeriod,
  StatsPeriodQuery,
  StatsTotals,
} from '../../../core/contracts/statistics';
import { firstContactResolution, type KpiEvent } from '../../../core/domain/kpi';
import { DAY_MS, HOUR_MS } from '../../../core/domain/kst';
import { ROLLUP_COUNTERS, figuresOfCounts, zeroCounts, type RollupCounts } from '../../../core/domain/stat-rollups';
import { isHandling } from '../../../core/domain/agent-state';
import type { AgentStatus } from '../../../core/domain/agent-state';
import {
  STATS_DEFAULTS,
  agentsReport,
  bucketsOf,
  countAfterHours,
  countBy,
  daysBetween,
  daysPeriod,
  departmentsReport,
  departmentFiguresOf,
  type DepartmentFigures,
  detectRising,
  handledIn,
  heatMap,
  kstDayOf,
  kstDayStart,
  periodContaining,
  previousPeriod,
  rangeProblem,
  samePeriodLastYear,
  summarise,
  tasksReport,
  tasksReportOfSums,
  taskFiguresOfSums,
  type HandlingSums,
  topTopics,
  type AgentFigures,
  type CategoryNode,
  type Period,
  type ServiceOptions,
  type StatContact,
  type TaskRow,
} from '../../../core/domain/statistics';
import { AppError } from '../../../core/errors';
import type { AppDeps } from '../../deps';
import type { SessionUser } from '../../http/access';
import { toKpiEvents } from '../acd/acd.service';
import { kstDayStartOfInstant } from '../../../core/domain/handoff-rollups';
import { countDueHandOffs, handOffWaitPercentiles, sumHandOffRollups } from './handoff-rollups.repository';
import { latestStateChanges } from './rollups.repository';
import { statContactsOf } from './stat-contacts';
import {
  callbackDelayPercentile,
  findUser,
  listAgents,
  listAgentStateChanges,
  listCategories,
  listContactEvents,
  listDepartments,
  listHandOffs,
  countOverdueHandOffs,
  listHourTotals,
  sumHourTotalsPerBucket,
  sumOfferedByHourOfWeek,
  sumHandlingByDim,
  listTransferAttempts,
  sumAgentStates,
  sumRollups,
} from './statistics.repository';

/** A series has at most this many buckets (8,784 hours of a leap year would be unreadable and slow). */
const MAX_BUCKETS = 1_000;
const iso = (ms: number) => new Date(ms).toISOString();
const periodOut = (p: Period): StatsPeriod => ({ fromDay: p.fromDay, toDay: p.toDay, from: iso(p.from), to: iso(p.to) });

function rangeError(field: string, reason: string, message: string): AppError {
  return new AppError('VALIDATION_FAILED', message, { field, reason });
}

/**
 * The period a query asks for, checked against today (KST): a reversed range, an end after today, or a range over
 * {@link STATS_DEFAULTS.maxRangeDays} days is 400 VALIDATION_FAILED with details.reason.
 */
export function resolvePeriod(q: StatsPeriodQuery, now: Date): Period {
  const today = kstDayOf(now.getTime());
  if (q.period === 'custom') {
    const problem = rangeProblem(q.from!, q.to!, today);
    if (problem === 'reversed') throw rangeError('from', problem, '시작일이 종료일보다 늦습니다.');
    if (problem === 'future') throw rangeError('to', problem, '종료일은 오늘(한국 시간) 이후일 수 없습니다.');
    if (problem === 'too_long') throw rangeError('from', problem, `조회 기간은 최대 ${STATS_DEFAULTS.maxRangeDays}일입니다.`);
    return daysPeriod(q.from!, q.to!);
  }
  const date = q.date ?? today;
  if (date > today) throw rangeError('date', 'future', '기준일은 오늘(한국 시간) 이후일 수 없습니다.');
  return periodContaining(q.period, date);
}

/** Contacts with events in [from, to), their handling events up to `after` ms later (ends, wrap-ups, callbacks answered). */
async function loadContacts(deps: AppDeps, p: { from: number; to: number }, afterMs = DAY_MS): Promise<{ contacts: StatContact[]; events: KpiEvent[] }> {
  return statContactsOf(await listContactEvents(deps.db, iso(p.from - DAY_MS), iso(p.to + afterMs)));
}

/**
 * How a report is computed. By default from the rollups (migration 0018) when its thresholds are the city's defaults
 * (SL 20 s, short abandon 5 s, FCR 7 days: the rollups count at those), otherwise from the raw events. `fromEvents`
 * forces the raw recomputation (the test that proves both agree; docs/METRICS.md).
 */
export type ReportSource = { fromEvents?: boolean };

const atDefaults = (q: { slSeconds?: number; shortAbandonSeconds?: number; fcrDays?: number }) =>
  (q.slSeconds === undefined || q.slSeconds === STATS_DEFAULTS.serviceLevelSeconds) &&
  (q.shortAbandonSeconds === undefined || q.shortAbandonSeconds === STATS_DEFAULTS.shortAbandonSeconds) &&
  (q.fcrDays === undefined || q.fcrDays === STATS_DEFAULTS.fcrWindowDays);

function totalsOfCounts(k: RollupCounts): StatsTotals {
  const f = figuresOfCounts(k);
  return {
    offered: f.offered,
    answered: f.answered,
    handled: f.handled,
    serviceLevel: f.serviceLevel,
    abandonmentRate: f.abandonmentRate,
    asaSeconds: f.asaSeconds,
    ahtSeconds: f.ahtSeconds,
    directResolutionRate: f.directResolutionRate,
  };
}

async function handlingByDim(deps: AppDeps, grain: 'task' | 'agent', p: { from: number; to: number }): Promise<Map<string, HandlingSums>> {
  const sums = await sumHandlingByDim(deps.db, grain, p.from, p.to);
  return new Map(
    [...sums]
      .filter(([, k]) => k.handled !== 0)
      .map(([dim, k]) => [dim, { handled: k.handled, resolved: k.resolved, handedOn: k.handed_on, handleMs: k.handle_ms, acwMs: k.acw_ms }]),
  );
}

function serviceOptions(q: { slSeconds: number; shortAbandonSeconds: number }): ServiceOptions {
  return { serviceLevelSeconds: q.slSeconds, shortAbandonSeconds: q.shortAbandonSeconds };
}

function totalsOf(contacts: readonly StatContact[], p: { from: number; to: number }, o: ServiceOptions): StatsTotals {
  const k = summarise(contacts, p, o);
  return {
    offered: k.offered,
    answered: k.answered,
    handled: k.handled,
    serviceLevel: k.serviceLevel,
    abandonmentRate: k.abandonmentRate,
    asaSeconds: k.asaSeconds,
    ahtSeconds: k.ahtSeconds,
    directResolutionRate: k.directResolutionRate,
  };
}

function toNodes(rows: Awaited<ReturnType<typeof listCategories>>): CategoryNode[] {
  return rows.map((r) => ({ id: r.id, parentId: r.parent_id, level: r.level, code: r.code, name: r.name, departmentId: r.department_id }));
}

/** An official (department head) sees their own department only; asking for another is 403. */
function departmentScope(user: SessionUser, asked: string | undefined): string | undefined {
  if (user.role !== 'official') return asked;
  if (!user.departmentId) throw new AppError('FORBIDDEN', '소속 부서가 없어 부서 통계를 볼 수 없습니다.');
  if (asked && asked !== user.departmentId) throw new AppError('FORBIDDEN', '다른 부서의 통계는 볼 수 없습니다.', { department: asked });
  return user.departmentId;
}

async function assertDepartment(deps: AppDeps, id: string | undefined) {
  const departments = await listDepartments(deps.db);
  if (id && !departments.some((d) => d.id === id)) throw new AppError('NOT_FOUND', '부서를 찾을 수 없습니다.', { field: 'department' });
  return departments;
}

/** 업무별: the category drill-down with 직접처리율, 이관율, AHT and change; top-N topics. */
export async function byTask(deps: AppDeps, user: SessionUser, q: ByTaskQuery, source: ReportSource = {}): Promise<ByTaskReport> {
  const department = departmentScope(user, q.department);
  await assertDepartment(deps, department);
  const period = resolvePeriod(q, deps.clock.now());
  const previous = previousPeriod(q.period, period);
  const categories = await listCategories(deps.db);
  const tree = toNodes(categories);
  const parent = q.category ? tree.find((n) => n.id === q.category) : undefined;
  if (q.category && !parent) throw new AppError('NOT_FOUND', '분류를 찾을 수 없습니다.', { field: 'category' });
  const departmentOf = new Map(tree.map((n) => [n.id, n.departmentId]));
  const inScope = (c: StatContact) => !department || (c.categoryId !== null && departmentOf.get(c.categoryId) === department);
  let report: { rows: TaskRow[]; unclassified: number };
  let top: Array<{ categoryId: string; contacts: number }>;
  if (source.fromEvents) {
    const now = handledIn((await loadContacts(deps, period)).contacts, period).filter(inScope);
    const before = handledIn((await loadContacts(deps, previous)).contacts, previous).filter(inScope);
    report = tasksReport(tree, parent?.id ?? null, now, before);
    top = topTopics(now, q.top);
  } else {
    const inDepartment = (sums: Map<string, HandlingSums>) =>
      department ? new Map([...sums].filter(([id]) => id !== '' && departmentOf.get(id) === department)) : sums;
    const [current, before] = await Promise.all([handlingByDim(deps, 'task', period), handlingByDim(deps, 'task', previous)]);
    const now = inDepartment(current);
    report = tasksReportOfSums(tree, parent?.id ?? null, now, inDepartment(before));
    top = [...now]
      .filter(([id]) => id !== '')
      .map(([categoryId, sums]) => ({ categoryId, contacts: sums.handled }))
      .sort((a, b) => b.contacts - a.contacts || a.categoryId.localeCompare(b.categoryId))
      .slice(0, q.top);
  }
  const { rows, unclassified } = report;
  const paths = new Map(categories.map((c) => [c.id, c.path]));
  return {
    period: periodOut(period),
    previous: periodOut(previous),
    parent: parent ? { id: parent.id, name: parent.name, level: parent.level } : null,
    rows: department ? rows.filter((r) => r.level === 1 || r.departmentId === department) : rows,
    unclassified,
    top: top.map((t) => ({ ...t, path: paths.get(t.categoryId) ?? '' })),
  };
}

function defaultBucket(p: Period): StatsBucket {
  const days = daysBetween(p.fromDay, p.toDay) + 1;
  return days === 1 ? 'hour' : days <= 92 ? 'day' : 'month';
}

/** 기간별: totals against the previous period and the same period last year, a series, the weekday × hour heat map. */
export async function byPeriod(deps: AppDeps, q: ByPeriodQuery, source: ReportSource = {}): Promise<ByPeriodReport> {
  const period = resolvePeriod(q, deps.clock.now());
  const previous = previousPeriod(q.period, period);
  const lastYear = samePeriodLastYear(q.period, period);
  const granularity = q.granularity ?? defaultBucket(period);
  const buckets = bucketsOf(period, granularity);
  if (buckets.length > MAX_BUCKETS) throw rangeError('granularity', 'too_many_buckets', `한 번에 ${MAX_BUCKETS}개 구간까지 볼 수 있습니다. 더 큰 단위를 고르세요.`);
  if (!source.fromEvents && atDefaults(q)) return byPeriodOfRollups(deps, q, period, previous, lastYear, granularity, buckets);
  const o = serviceOptions(q);
  const { contacts } = await loadContacts(deps, period);
  // Each contact goes to the buckets of its queue entry and of its answer (queue and handling figures).
  const bucketOf = (at: number | null): number => {
    if (at === null || at < period.from || at >= period.to) return -1;
    let lo = 0;
    let hi = buckets.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (buckets[mid]!.from <= at) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  const inBucket = buckets.map((): StatContact[] => []);
  for (const c of contacts) {
    const a = bucketOf(c.queuedAt);
    const b = bucketOf(c.answeredAt);
    if (a >= 0) inBucket[a]!.push(c);
    if (b >= 0 && b !== a) inBucket[b]!.push(c);
  }
  return {
    period: periodOut(period),
    previous: periodOut(previous),
    lastYear: periodOut(lastYear),
    granularity,
    totals: {
      current: totalsOf(contacts, period, o),
      previous: totalsOf((await loadContacts(deps, previous)).contacts, previous, o),
      lastYear: totalsOf((await loadContacts(deps, lastYear)).contacts, lastYear, o),
    },
    series: buckets.map((b, i) => ({ key: b.key, from: iso(b.from), to: iso(b.to), totals: totalsOf(inBucket[i]!, b, o) })),
    heatMap: heatMap(contacts, period),
  };
}

/** 기간별 from the hour rollups: the same figures, summed per bucket (buckets are whole KST hours). */
async function byPeriodOfRollups(
  deps: AppDeps,
  q: ByPeriodQuery,
  period: Period,
  previous: Period,
  lastYear: Period,
  granularity: StatsBucket,
  buckets: ReturnType<typeof bucketsOf>,
): Promise<ByPeriodReport> {
  // Independent reads, side by side (PostgreSQL answers them on separate connections). The series and the heat map are
  // summed by the database from the hour rows (a three-year range has ~26,000); the period's own totals are the sum of
  // its series. Past SERIES_IN_SQL buckets (days or weeks over a long range) the hour rows are read and summed here.
  const starts = buckets.map((bk) => bk.from);
  const [series, grid, before, yearAgo] = await Promise.all([
    buckets.length <= SERIES_IN_SQL ? sumHourTotalsPerBucket(deps.db, period.from, period.to, starts) : seriesOfHourRows(deps, period, buckets),
    sumOfferedByHourOfWeek(deps.db, period.from, period.to),
    sumRollups(deps.db, 'hour', previous.from, previous.to),
    sumRollups(deps.db, 'hour', lastYear.from, lastYear.to),
  ]);
  const current = zeroCounts();
  for (const bucket of series) for (const k of ROLLUP_COUNTERS) current[k] += bucket[k];
  return {
    period: periodOut(period),
    previous: periodOut(previous),
    lastYear: periodOut(lastYear),
    granularity,
    totals: {
      current: totalsOfCounts(current),
      previous: totalsOfCounts(before),
      lastYear: totalsOfCounts(yearAgo),
    },
    series: buckets.map((bk, i) => ({ key: bk.key, from: iso(bk.from), to: iso(bk.to), totals: totalsOfCounts(series[i]!) })),
    heatMap: grid,
  };
}

/** Buckets a series sums in the database (one CASE arm each); more are summed here from the hour rows. */
const SERIES_IN_SQL = 100;

/** The series of many buckets from the hour rows themselves, each hour into the last bucket starting at or before it. */
async function seriesOfHourRows(deps: AppDeps, period: Period, buckets: ReturnType<typeof bucketsOf>) {
  const hours = await listHourTotals(deps.db, period.from, period.to);
  const sums = buckets.map(() => zeroCounts());
  let b = 0;
  for (const h of hours) {
    while (b < buckets.length - 1 && buckets[b]!.to <= h.at) b++;
    const into = sums[b]!;
    for (const k of ROLLUP_COUNTERS) into[k] += h.counts[k];
  }
  return sums;
}

/**
 * 부서별: hand-offs received, on time, time to answer, returned, overdue now; warm transfers connected or fallen back.
 * From the hand-off rollups (migrations 0039, 0041) by default: the counts of the period's KST days, the exact median
 * and p90 time to answer from the answer times' month and day rows (handOffWaitPercentiles), the deadlines of today (not all passed yet) and "overdue now" counted live; `fromEvents` reads the hand-offs themselves.
 */
export async function byDepartment(deps: AppDeps, user: SessionUser, q: ByDepartmentQuery, source: ReportSource = {}): Promise<ByDepartmentReport> {
  const department = departmentScope(user, q.department);
  const departments = await assertDepartment(deps, department);
  const period = resolvePeriod(q, deps.clock.now());
  const now = deps.clock.now().getTime();
  const shown = department ? departments.filter((d) => d.id === department) : departments;
  const [overdue, transferRows] = await Promise.all([
    countOverdueHandOffs(deps.db, iso(now), department),
    listTransferAttempts(deps.db, iso(period.from), iso(period.to), department),
  ]);
  const transfers = transferRows.map((t) => ({ departmentId: t.department_id, createdAt: Date.parse(t.created_at), status: t.status, handOffId: t.handoff_id }));
  let figures: DepartmentFigures[];
  if (source.fromEvents) {
    const handOffs = await listHandOffs(deps.db, iso(period.from), iso(period.to), department);
    figures = departmentsReport(
      handOffs.map((h) => ({
        departmentId: h.department_id,
        receivedAt: Date.parse(h.received_at),
        dueAt: Date.parse(h.due_at),
        acknowledgedAt: h.acknowledged_at ? Date.parse(h.acknowledged_at) : null,
        answeredAt: h.answered_at ? Date.parse(h.answered_at) : null,
        isReturned: h.status === 'returned',
        isClosed: h.status === 'closed',
      })),
      transfers,
      period,
      now,
      shown.map((d) => d.id),
      overdue,
    );
  } else {
    // Deadlines of the day of `now` count only once passed: that day's due hand-offs are counted from the rows.
    const today = kstDayStartOfInstant(now);
    const [sums, waits, dueToday] = await Promise.all([
      sumHandOffRollups(deps.db, period.from, period.to, today, department),
      handOffWaitPercentiles(deps.db, period.from, period.to, [50, 90], department),
      period.to > today ? countDueHandOffs(deps.db, iso(Math.max(today, period.from)), iso(now), department) : Promise.resolve(new Map<string, { due: number; onTime: number }>()),
    ]);
    figures = shown.map((d) => {
      const k = sums.get(d.id);
      const late = dueToday.get(d.id);
      const counts = {
        received: k?.received ?? 0,
        acknowledged: k?.acknowledged ?? 0,
        answered: k?.answered ?? 0,
        returned: k?.returned ?? 0,
        due: (k?.due ?? 0) + (late?.due ?? 0),
        onTime: (k?.on_time ?? 0) + (late?.onTime ?? 0),
      };
      const [median, p90] = waits.get(d.id) ?? [null, null];
      return departmentFiguresOf(d.id, counts, { median: median ?? null, p90: p90 ?? null }, overdue.get(d.id) ?? 0, transfers, period);
    });
  }
  const names = new Map(shown.map((d) => [d.id, d.name]));
  return { period: periodOut(period), asOf: iso(now), departments: figures.map((f) => ({ ...f, name: names.get(f.departmentId) ?? '' })) };
}

/** 상담사별: contacts, AHT, ACW, 직접처리율, occupancy, not-ready time by reason. An agent sees only their own. */
export async function byAgent(deps: AppDeps, user: SessionUser, q: ByAgentQuery, source: ReportSource = {}): Promise<ByAgentReport> {
  if (user.role === 'agent' && q.agent && q.agent !== user.id) throw new AppError('FORBIDDEN', '다른 상담사의 통계는 볼 수 없습니다.', { agent: q.agent });
  const agentId = user.role === 'agent' ? user.id : q.agent;
  if (agentId && user.role !== 'agent') {
    const found = await findUser(deps.db, agentId);
    if (!found || found.role !== 'agent') throw new AppError('NOT_FOUND', '상담사를 찾을 수 없습니다.', { field: 'agent' });
  }
  const period = resolvePeriod(q, deps.clock.now());
  const agents = (await listAgents(deps.db)).filter((a) => !agentId || a.id === agentId);
  const ids = agents.map((a) => a.id);
  const names = new Map(agents.map((a) => [a.id, a.name]));
  if (!source.fromEvents) {
    const figures = await agentsOfRollups(deps, period, ids, agentId !== undefined);
    return { period: periodOut(period), agents: figures.map((f) => ({ ...f, name: names.get(f.agentId) ?? '' })) };
  }
  const { contacts } = await loadContacts(deps, period);
  const states = (await listAgentStateChanges(deps.db, iso(period.from), iso(period.to), agentId ? ids : undefined)).map((s) => ({
    agentId: s.user_id,
    at: Date.parse(s.at),
    status: s.status as AgentStatus,
    reason: s.reason,
  }));
  return { period: periodOut(period), agents: agentsReport(contacts, states, period, ids).map((f) => ({ ...f, name: names.get(f.agentId) ?? '' })) };
}

/**
 * 상담사별 from the rollups: handling per agent and day, closed state time per day, and each agent's latest state,
 * still open, from its start (or the period start) to the period end (statistics.ts agentsReport's rule).
 */
async function agentsOfRollups(deps: AppDeps, period: Period, ids: readonly string[], isOne: boolean): Promise<AgentFigures[]> {
  const [handling, closed, latest] = await Promise.all([
    handlingByDim(deps, 'agent', period),
    sumAgentStates(deps.db, period.from, period.to, isOne ? ids : undefined),
    latestStateChanges(deps.db, ids),
  ]);
  return ids.map((agentId) => {
    const sums = handling.get(agentId);
    const figures = taskFiguresOfSums(sums);
    const stateMs = closed.filter((r) => r.user_id === agentId).map((r) => ({ status: r.status, reason: r.reason, ms: r.ms }));
    const open = latest.get(agentId);
    if (open) {
      const start = Math.max(Date.parse(open.at), period.from);
      if (start < period.to) stateMs.push({ status: open.status, reason: open.reason ?? '', ms: period.to - start });
    }
    let handleMs = 0;
    let availableMs = 0;
    const notReadyMs = new Map<string, number>();
    for (const s of stateMs) {
      if (isHandling(s.status as AgentStatus)) handleMs += s.ms;
      else if (s.status === 'available') availableMs += s.ms;
      else if (s.status === 'not_ready' && s.ms > 0) notReadyMs.set(s.reason || 'unknown', (notReadyMs.get(s.reason || 'unknown') ?? 0) + s.ms);
    }
    return {
      agentId,
      contacts: figures.contacts,
      ahtSeconds: figures.ahtSeconds,
      averageAfterCallWorkSeconds: sums && sums.handled > 0 ? sums.acwMs / sums.handled / 1000 : null,
      resolvedRate: figures.resolvedRate,
      occupancy: handleMs + availableMs > 0 ? handleMs / (handleMs + availableMs) : null,
      notReadySeconds: Object.fromEntries([...notReadyMs].map(([reason, ms]) => [reason, ms / 1000])),
    };
  });
}

/** 서비스 수준: offered, answered, SL, ASA, abandonment (short abandons apart), callbacks, after-hours contacts. */
export async function service(deps: AppDeps, q: ServiceQuery, source: ReportSource = {}): Promise<ServiceReport> {
  const period = resolvePeriod(q, deps.clock.now());
  const o = serviceOptions(q);
  if (!source.fromEvents && atDefaults(q)) {
    const [counts, median] = await Promise.all([sumRollups(deps.db, 'hour', period.from, period.to), callbackDelayPercentile(deps.db, period.from, period.to, 50)]);
    const f = figuresOfCounts(counts);
    return {
      period: periodOut(period),
      serviceLevelSeconds: o.serviceLevelSeconds,
      shortAbandonSeconds: o.shortAbandonSeconds,
      offered: f.offered,
      answered: f.answered,
      answeredWithinTarget: f.answeredWithinTarget,
      abandoned: f.abandoned,
      shortAbandoned: f.shortAbandoned,
      serviceLevel: f.serviceLevel,
      answerRate: f.answerRate,
      abandonmentRate: f.abandonmentRate,
      asaSeconds: f.asaSeconds,
      callbacks: {
        requested: f.callbacksRequested,
        answered: f.callbacksAnswered,
        unanswered: f.callbacksUnanswered,
        medianDelaySeconds: median === null ? null : median / 1000,
      },
      allCalls: f.allCalls,
      afterHours: f.afterHours,
    };
  }
  const { contacts } = await loadContacts(deps, period);
  const k = summarise(contacts, period, o);
  return {
    period: periodOut(period),
    serviceLevelSeconds: o.serviceLevelSeconds,
    shortAbandonSeconds: o.shortAbandonSeconds,
    offered: k.offered,
    answered: k.answered,
    answeredWithinTarget: k.answeredWithinTarget,
    abandoned: k.abandoned,
    shortAbandoned: k.shortAbandoned,
    serviceLevel: k.serviceLevel,
    answerRate: k.answerRate,
    abandonmentRate: k.abandonmentRate,
    asaSeconds: k.asaSeconds,
    callbacks: {
      requested: k.callbacksRequested,
      answered: k.allCalls.callbacksAnswered,
      unanswered: k.allCalls.callbacksUnanswered,
      medianDelaySeconds: k.callbackDelay.medianSeconds,
    },
    allCalls: { serviceLevel: k.allCalls.serviceLevel, answerRate: k.allCalls.answerRate, abandonmentRate: k.allCalls.abandonmentRate, asaSeconds: k.allCalls.asaSeconds },
    afterHours: countAfterHours(contacts, period),
  };
}

/** The headline: 직접처리율 against the city's target, and first-contact resolution (blind index, never numbers). */
export async function headline(deps: AppDeps, q: HeadlineQuery, source: ReportSource = {}): Promise<HeadlineReport> {
  const now = deps.clock.now().getTime();
  const period = resolvePeriod(q, deps.clock.now());
  const windowMs = q.fcrDays * DAY_MS;
  const target = STATS_DEFAULTS.directResolutionTarget;
  if (!source.fromEvents && atDefaults(q)) {
    const [k, f] = await Promise.all([sumRollups(deps.db, 'hour', period.from, period.to), sumRollups(deps.db, 'fcr', period.from, period.to)]);
    const rate = k.handled > 0 ? k.resolved / k.handled : null;
    return {
      period: periodOut(period),
      handled: k.handled,
      resolved: k.resolved,
      directResolutionRate: rate,
      directResolutionTarget: target,
      meetsTarget: rate === null ? null : rate >= target,
      fcr: {
        windowDays: q.fcrDays,
        contacts: f.fcr_contacts,
        resolvedWithoutRepeat: f.fcr_resolved,
        unidentified: f.fcr_unidentified,
        rate: f.fcr_contacts > 0 ? f.fcr_resolved / f.fcr_contacts : null,
        isFinal: now >= period.to + windowMs,
      },
    };
  }
  const { contacts, events } = await loadContacts(deps, period, windowMs + DAY_MS);
  const handled = handledIn(contacts, period);
  const resolved = handled.filter((c) => c.outcome === 'resolved').length;
  const rate = handled.length > 0 ? resolved / handled.length : null;
  const fcr = firstContactResolution(events, { from: period.from, to: period.to, windowDays: q.fcrDays });
  return {
    period: periodOut(period),
    handled: handled.length,
    resolved,
    directResolutionRate: rate,
    directResolutionTarget: target,
    meetsTarget: rate === null ? null : rate >= target,
    fcr: { windowDays: q.fcrDays, ...fcr, isFinal: now >= period.to + windowMs },
  };
}

/**
 * 급증 업무: per category, the contacts dispositioned in the last hour (or today so far) against the same window on the
 * same weekday of each of the last N weeks (core/domain/statistics.ts detectRising).
 */
export async function rising(deps: AppDeps, q: RisingQuery): Promise<RisingReport> {
  const now = deps.clock.now().getTime();
  const from = q.window === 'hour' ? now - HOUR_MS : kstDayStart(kstDayOf(now));
  const countIn = async (a: number, b: number) => {
    const rows = await listContactEvents(deps.db, iso(a), iso(b), ['call_dispositioned']);
    const firsts = new Map<string, string>();
    for (const e of toKpiEvents(rows)) if (e.type === 'call_dispositioned' && e.categoryId && !firsts.has(e.interactionId)) firsts.set(e.interactionId, e.categoryId);
    return countBy([...firsts.values()], (c) => c);
  };
  const current = await countIn(from, now);
  const baseline: Map<string, number>[] = [];
  for (let w = 1; w <= q.weeks; w++) baseline.push(await countIn(from - w * 7 * DAY_MS, now - w * 7 * DAY_MS));
  const paths = new Map((await listCategories(deps.db)).map((c) => [c.id, c.path]));
  return {
    window: { from: iso(from), to: iso(now) },
    weeks: q.weeks,
    rising: detectRising(current, baseline, { minCount: q.minCount }).map((r) => ({ ...r, path: paths.get(r.categoryId) ?? '' })),
  };
}
