import type { StaffingPlan, StaffingPlanQuery, StaffingWhatIf, StaffingWhatIfQuery } from '../../../core/contracts/staffing';
import { DAY_MS } from '../../../core/domain/kst';
import {
  STAFFING_DEFAULTS,
  historyFromCounts,
  type StaffingHistory,
  staffingPlan,
  summarisePlan,
  summariseWhatIf,
  whatIf,
  type HalfHourCount,
  type PlanInterval,
  type StaffingTargets,
} from '../../../core/domain/staffing';
import { addDays, kstDayOf, kstDayStart } from '../../../core/domain/statistics';
import { AppError } from '../../../core/errors';
import type { AppDeps } from '../../deps';
import { TtlCache } from '../../lib/ttl-cache';
import { countHalfHoursOfEvents, listClosedDaysBetween } from './staffing.repository';

const SLICE_MS = 14 * DAY_MS;
const iso = (ms: number) => new Date(ms).toISOString();

type Computed = { answer: Omit<StaffingPlan, 'intervals'>; plan: PlanInterval[]; targets: StaffingTargets };

/**
 * Histories already counted, per database: the weeks before today do not change (the event log is append-only and a
 * call's last events come within the day read after the window), so changing the targets, shrinkage or what-if agents
 * costs Erlang C only. 10 minutes, so a back-filled import shows within that; a closed day declared since is part of
 * the key and shows at once.
 */
const HISTORY_TTL_MS = 10 * 60_000;
const histories = new WeakMap<object, TtlCache<StaffingHistory>>();

function historyCache(deps: AppDeps): TtlCache<StaffingHistory> {
  let cache = histories.get(deps.db);
  if (!cache) histories.set(deps.db, (cache = new TtlCache<StaffingHistory>(32, HISTORY_TTL_MS)));
  return cache;
}

/** The half-hour counts of [fromDay, date) with the closed days and public holidays left out. */
async function loadHistory(deps: AppDeps, fromDay: string, date: string, now: number): Promise<StaffingHistory> {
  const closed = await listClosedDaysBetween(deps.db, fromDay, date);
  const key = `${fromDay}|${date}|${closed.join(',')}`;
  const cache = historyCache(deps);
  const hit = cache.get(key, now);
  if (hit) return hit;
  const from = kstDayStart(fromDay);
  const to = kstDayStart(date);
  // Two weeks per query, yielding between them: on SQLite a query blocks the process (the ACD, every desk), so a year
  // is read in slices of a few hundred ms rather than one of seconds. Counts of disjoint windows add up.
  const counts: HalfHourCount[] = [];
  for (let start = from; start < to; start += SLICE_MS) {
    const end = Math.min(start + SLICE_MS, to);
    const slice = await countHalfHoursOfEvents(
      deps.db,
      deps.dialect,
      { fromIso: iso(start), toIso: iso(end), readFromIso: iso(start - DAY_MS), readToIso: iso(end + DAY_MS) },
      STAFFING_DEFAULTS.shortAbandonSeconds * 1000,
    );
    counts.push(...slice);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  const closedDays = new Set(closed);
  const history = historyFromCounts(counts, { from, to }, (day) => closedDays.has(day) || deps.holidays.isHoliday(day));
  cache.set(key, history, now);
  return history;
}

/**
 * The plan from the last `weeks` whole weeks (KST) before `date`: the raw contact events of that window (and a day
 * either side, so a call queued before midnight and answered after, or ended the next day, is whole), public holidays
 * and the days the centre was declared closed left out, then core/domain/staffing.ts.
 */
async function compute(deps: AppDeps, q: StaffingPlanQuery): Promise<Computed> {
  const today = kstDayOf(deps.clock.now().getTime());
  const date = q.date ?? today;
  if (date > today) throw new AppError('VALIDATION_FAILED', '기준일은 오늘(한국 시간) 이후일 수 없습니다.', { field: 'date', reason: 'future' });
  const fromDay = addDays(date, -7 * q.weeks);
  const targets: StaffingTargets = { targetServiceLevel: q.targetSl / 100, targetAnswerSeconds: q.targetSeconds, shrinkage: q.shrinkage / 100 };
  const history = await loadHistory(deps, fromDay, date, deps.clock.now().getTime());
  const plan = staffingPlan(history, targets);
  return {
    plan,
    targets,
    answer: {
      window: { fromDay, toDay: addDays(date, -1), weeks: q.weeks, excludedDays: history.excludedDays },
      targets,
      summary: summarisePlan(plan),
    },
  };
}

/** GET /api/staffing/plan: agents needed per half hour of the week for the target. */
export async function planStaffing(deps: AppDeps, q: StaffingPlanQuery): Promise<StaffingPlan> {
  const { answer, plan } = await compute(deps, q);
  return { ...answer, intervals: plan };
}

/** GET /api/staffing/what-if: the plan and what `agents` scheduled agents in every half hour would achieve. */
export async function staffingWhatIf(deps: AppDeps, q: StaffingWhatIfQuery): Promise<StaffingWhatIf> {
  const { answer, plan, targets } = await compute(deps, q);
  const rows = whatIf(plan, q.agents, targets);
  return { ...answer, agents: q.agents, intervals: rows, whatIf: summariseWhatIf(rows) };
}
