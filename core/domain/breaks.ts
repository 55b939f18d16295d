import type { AgentStatus, NotReadyReason } from './agent-state';
import { KST_OFFSET_MS } from './kst';

/**
 * Scheduled breaks (issue #14 §4; 시행령 제41조 2호 "업무의 일시적 중단 또는 휴식시간의 연장"): a supervisor gives an
 * agent, or the whole centre by default, a break plan — breaks at set KST times (10분 휴식, 점심) and/or a break after
 * every N minutes logged in. When a break is due an idle agent goes not ready (휴식); an agent on a call goes after the
 * call and its wrap-up (a call is never cut); a break that cannot start within the grace time is missed, and the
 * supervisor sees it. Pure: times are epoch ms, days are KST 'YYYY-MM-DD'.
 */

export const BREAK_KINDS = ['break', 'meal'] as const;
export type BreakKind = (typeof BREAK_KINDS)[number];

/** Korean names (desk, supervisor page, reports). */
export const BREAK_KIND_LABELS: Readonly<Record<BreakKind, string>> = { break: '휴식', meal: '점심' };

/** The not-ready reason the agent shows during the break (the codes the desk and the reports know). */
export const BREAK_REASON = { break: 'break', meal: 'meal' } as const satisfies Readonly<Record<BreakKind, NotReadyReason>>;

export type BreakSlot = { at: string; minutes: number; kind: BreakKind };

export type BreakPlan = {
  /** Breaks at set times of the KST day ('HH:MM'), in any order. */
  slots: BreakSlot[];
  /** A break after this many minutes logged in since the last break (or the day's start); null: none. */
  everyMinutes: number | null;
  /** The length of that break, minutes. */
  intervalMinutes: number;
};

/** No breaks until a supervisor sets a plan (a centre decides its own times). */
export const EMPTY_BREAK_PLAN: BreakPlan = { slots: [], everyMinutes: null, intervalMinutes: 10 };

/** A break that does not start within this time of its due time (the agent logged out, in a meeting …) is missed. */
export const BREAK_GRACE_MS = 30 * 60_000;

/** A break that started this long after it was due (a long call, wrap-up) is shown as postponed. */
export const BREAK_POSTPONED_MS = 5 * 60_000;

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Problems of a plan a supervisor entered (Korean, one per field), empty when it is fine. */
export function validateBreakPlan(plan: BreakPlan): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  plan.slots.forEach((s, i) => {
    if (!HHMM.test(s.at)) problems.push(`slots.${i}.at: 시각은 HH:MM(00:00~23:59)으로 적어 주세요.`);
    else if (seen.has(s.at)) problems.push(`slots.${i}.at: ${s.at}에 휴식이 이미 있습니다.`);
    seen.add(s.at);
    if (!Number.isInteger(s.minutes) || s.minutes < 5 || s.minutes > 90) problems.push(`slots.${i}.minutes: 휴식 시간은 5~90분이어야 합니다.`);
  });
  if (plan.everyMinutes !== null && (!Number.isInteger(plan.everyMinutes) || plan.everyMinutes < 30 || plan.everyMinutes > 480)) {
    problems.push('everyMinutes: 근무 간격은 30~480분이어야 합니다.');
  }
  if (!Number.isInteger(plan.intervalMinutes) || plan.intervalMinutes < 5 || plan.intervalMinutes > 60) {
    problems.push('intervalMinutes: 휴식 시간은 5~60분이어야 합니다.');
  }
  return problems;
}

/** Epoch ms of 'HH:MM' on a KST day. */
export function kstTime(day: string, hhmm: string): number {
  return Date.parse(`${day}T${hhmm}:00+09:00`);
}

/** The KST day of an instant. */
export function kstDayOf(at: number): string {
  return new Date(at + KST_OFFSET_MS).toISOString().slice(0, 10);
}

/** One break of the day: its key in the plan ('10:30', or 'every-2' for the second interval break), kind, length, due time. */
export type PlannedBreak = { slot: string; kind: BreakKind; minutes: number; dueAt: number };

/** The set-time breaks of a KST day, in time order. */
export function fixedBreaks(plan: BreakPlan, day: string): PlannedBreak[] {
  return plan.slots
    .map((s) => ({ slot: s.at, kind: s.kind, minutes: s.minutes, dueAt: kstTime(day, s.at) }))
    .sort((a, b) => a.dueAt - b.dueAt);
}

/**
 * The agent's next break: the first set-time break of the day not yet recorded (it may already be due), or else the
 * interval break, due when `workedMs` (logged-in time since the last break) reaches the plan's interval. `recorded`
 * holds the slots of the day already scheduled (any status); `intervalCount` how many interval breaks were.
 */
export function nextBreak(
  plan: BreakPlan,
  day: string,
  now: number,
  recorded: ReadonlySet<string>,
  interval: { intervalCount: number; workedMs: number } | null,
): PlannedBreak | null {
  // A set time already past the grace when first seen (the plan was set later, the agent came in later) is not owed.
  const fixed = fixedBreaks(plan, day).find((b) => !recorded.has(b.slot) && now - b.dueAt < BREAK_GRACE_MS);
  let every: PlannedBreak | null = null;
  if (plan.everyMinutes !== null && interval) {
    const left = plan.everyMinutes * 60_000 - interval.workedMs;
    every = { slot: `every-${interval.intervalCount + 1}`, kind: 'break', minutes: plan.intervalMinutes, dueAt: now + Math.max(0, left) };
  }
  if (fixed && every) return fixed.dueAt <= every.dueAt ? fixed : every;
  return fixed ?? every;
}

/**
 * What to do with a due break given the agent's state now:
 * - start: available (idle) → not ready with the break's reason now; also when the agent already went on a break;
 * - after_call: ringing, on a call, on hold, consulting or in wrap-up → not ready once the call and wrap-up are over;
 * - wait: logged out, in 회복 or not ready for something else (meeting, training …) → try again at the next check;
 * - missed: still waiting after the grace time.
 */
export type BreakAction = 'start' | 'after_call' | 'wait' | 'missed';

export function breakAction(status: AgentStatus, reason: string | null, kind: BreakKind, dueAt: number, now: number): BreakAction {
  if (status === 'available') return 'start';
  if (status === 'not_ready' && reason === BREAK_REASON[kind]) return 'start';
  if (status === 'reserved' || status === 'on_call' || status === 'on_hold' || status === 'consulting' || status === 'after_call_work') return 'after_call';
  return now - dueAt >= BREAK_GRACE_MS ? 'missed' : 'wait';
}

/** True while the agent is on the break's own not-ready reason. */
export function isOnBreak(status: AgentStatus, reason: string | null, kind: BreakKind): boolean {
  return status === 'not_ready' && reason === BREAK_REASON[kind];
}

/** Minutes a break started late (after the call, wrap-up …), 0 when on time or not started. */
export function postponedMinutes(dueAt: number, startedAt: number | null): number {
  if (startedAt === null || startedAt - dueAt < BREAK_POSTPONED_MS) return 0;
  return Math.round((startedAt - dueAt) / 60_000);
}
