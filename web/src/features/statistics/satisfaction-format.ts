import type { ResultRow, Share } from '../../../../core/contracts/surveys';
import { count, pct } from './stats-format';

/**
 * 만족도 beside the other figures in 통계 (issue #15 §3): the statistics period as the surveys results API asks for it,
 * and a results row as the screen writes it. Pure; the maths stay in the surveys service (GET /api/surveys/results).
 */

/**
 * The statistics period (KST days, both ends included) as the results query: the same days, both ends included; with
 * the 부서 filter of 통계, only that department's surveys (its hand-offs, the answers it gave).
 */
export function surveyQueryOf(period: { fromDay: string; toDay: string }, departmentId?: string): { from: string; to: string; groupBy: 'department'; departmentId?: string } {
  return { from: period.fromDay, to: period.toDay, groupBy: 'department', ...(departmentId ? { departmentId } : {}) };
}

/** 0.82 with 0.74–0.88 → "82.0% (74.1–88.2%)"; no answers → "–". */
export function shareWithInterval(s: Share): string {
  if (s.n === 0 || s.share === null) return '–';
  const interval = s.low === null || s.high === null ? '' : ` (${(s.low * 100).toFixed(1)}–${pct(s.high)})`;
  return `${pct(s.share)}${interval}`;
}

/** A mean CSAT of the 1–5 scale with two decimals ("4.35"), "–" without answers. */
export function csatText(mean: number | null): string {
  return mean === null || !Number.isFinite(mean) ? '–' : mean.toFixed(2);
}

export type SatisfactionCells = { responseRate: string; answered: string; csat: string; satisfied: string; resolved: string };

/** One row of the surveys results as the statistics screen shows it. */
export function satisfactionCells(row: ResultRow): SatisfactionCells {
  return {
    responseRate: pct(row.responseRate),
    answered: `${count(row.answered)}/${count(row.invited)}`,
    csat: csatText(row.csatMean),
    satisfied: shareWithInterval(row.satisfied),
    resolved: shareWithInterval(row.resolved),
  };
}

/** The tabs that show 만족도 under their figures (the centre's views; 상담사별 and 상담사 보호 are about the agents). */
export const SATISFACTION_VIEWS: ReadonlySet<string> = new Set(['task', 'period', 'department', 'service']);
