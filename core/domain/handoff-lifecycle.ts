import type { HandOffStatus } from '../contracts/enums';
import { AppError } from '../errors';
import { addWorkingDays, addWorkingHours, isWorkingDay, type DeadlineRule, type HolidayPredicate } from './deadlines';
import { allowedActions, assertTransition, type TransitionTable } from './lifecycle';
import { DAY_MS, KST_OFFSET_MS } from './kst';

/** What an official (or the centre) can do to a hand-off (이관) that moves its status. */
export type HandOffAction = 'acknowledge' | 'start' | 'answer' | 'close' | 'return' | 'reroute';

/**
 * The 이관 lifecycle: pending → acknowledged (접수) → in_progress (처리중) → answered (회신) → closed, or returned (반려,
 * wrong department) before it is answered; a supervisor re-routes (재지정) a returned hand-off to the right department,
 * where it is pending again. An official may answer straight after acknowledging.
 */
export const HANDOFF_TRANSITIONS: TransitionTable<HandOffStatus, HandOffAction> = {
  acknowledge: { from: ['pending'], to: 'acknowledged' },
  start: { from: ['acknowledged'], to: 'in_progress' },
  answer: { from: ['acknowledged', 'in_progress'], to: 'answered' },
  close: { from: ['answered'], to: 'closed' },
  return: { from: ['pending', 'acknowledged', 'in_progress'], to: 'returned' },
  reroute: { from: ['returned'], to: 'pending' },
};

/** Hand-off states that still owe the citizen an answer. */
export const OPEN_HANDOFF_STATUSES: readonly HandOffStatus[] = ['pending', 'acknowledged', 'in_progress'];

/** The status a hand-off moves to, or INVALID_TRANSITION. */
export function transitionHandOff(status: HandOffStatus, action: HandOffAction): HandOffStatus {
  return assertTransition(HANDOFF_TRANSITIONS, status, action, 'hand-off');
}

/** The actions open to a hand-off in this status. */
export function allowedHandOffActions(status: HandOffStatus): HandOffAction[] {
  return allowedActions(HANDOFF_TRANSITIONS, status);
}

/** Actions that keep the status: 연장 (extend the due date) and 위임 (hand to another official of the department). */
export type HandOffKeepAction = 'extend' | 'delegate';

/** 연장 and 위임 are open while the hand-off is open in its department (not returned, answered or closed). */
export function assertHandOffOpenFor(status: HandOffStatus, action: HandOffKeepAction): void {
  if (!OPEN_HANDOFF_STATUSES.includes(status)) {
    throw new AppError('INVALID_TRANSITION', `hand-off: '${action}' is not allowed from '${status}'`, { state: status, action, allowed: allowedHandOffActions(status) });
  }
}

/** 18:00 KST of a KST calendar day (YYYY-MM-DD): the end of its working hours, when a day-counted period ends. */
export function endOfWorkingDay(ymd: string): Date {
  return new Date(Date.parse(`${ymd}T18:00:00+09:00`));
}

/**
 * The latest due time one extension may set (민원처리법 시행령 제21조 as in ../shared/reference/complaints-kr.md §1.2:
 * "once, within the original period"): the original period counted again from the current due time, on the legal
 * clock (working hours for periods ≤ 5 days, working days for ≥ 6 days; weekends and 공휴일 do not count).
 */
export function latestExtendedDueAt(dueAt: Date, rule: DeadlineRule, isHoliday: HolidayPredicate): Date {
  return rule.unit === 'hours' ? addWorkingHours(dueAt, rule.amount, isHoliday) : addWorkingDays(dueAt, rule.amount, isHoliday);
}

/** What an extension request is checked against. */
export type ExtensionCheck = {
  status: HandOffStatus;
  dueAt: Date;
  /** Non-null once the one extension was used. */
  extendedAt: Date | null;
  rule: DeadlineRule;
  now: Date;
  newDueAt: Date;
  isHoliday: HolidayPredicate;
};

/**
 * 연장 rules (complaints-kr.md §1.2): one extension only (a second needs the citizen's consent, which OneCall does not
 * record: HANDOFF_EXTENSION_USED); asked before the due time passes; the new due time later than the current one, on a
 * working day, and no later than the original period counted again (HANDOFF_EXTENSION_INVALID, with the limit).
 */
export function assertExtensionAllowed(c: ExtensionCheck): void {
  assertHandOffOpenFor(c.status, 'extend');
  if (c.extendedAt) {
    throw new AppError('HANDOFF_EXTENSION_USED', '처리기한은 한 번만 연장할 수 있습니다. 다시 연장하려면 민원인의 동의가 필요합니다.', { extendedAt: c.extendedAt.toISOString() });
  }
  const latest = latestExtendedDueAt(c.dueAt, c.rule, c.isHoliday);
  const details = { dueAt: c.dueAt.toISOString(), latestDueAt: latest.toISOString() };
  if (c.now.getTime() > c.dueAt.getTime()) {
    throw new AppError('HANDOFF_EXTENSION_INVALID', '처리기한이 이미 지나 연장할 수 없습니다. 연장은 기한 안에 해야 합니다.', { ...details, reason: 'past_due' });
  }
  if (c.newDueAt.getTime() <= c.dueAt.getTime()) {
    throw new AppError('HANDOFF_EXTENSION_INVALID', '새 처리기한은 지금 기한보다 뒤여야 합니다.', { ...details, reason: 'not_later' });
  }
  const day = Math.floor((c.newDueAt.getTime() + KST_OFFSET_MS) / DAY_MS);
  if (!isWorkingDay(day, c.isHoliday)) {
    throw new AppError('HANDOFF_EXTENSION_INVALID', '새 처리기한은 근무일이어야 합니다(토·일·공휴일 제외).', { ...details, reason: 'not_working_day' });
  }
  if (c.newDueAt.getTime() > latest.getTime()) {
    throw new AppError('HANDOFF_EXTENSION_INVALID', '연장은 원래 처리기간만큼까지만 할 수 있습니다.', { ...details, reason: 'beyond_limit' });
  }
}
