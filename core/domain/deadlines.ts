import type { ComplaintType } from '../contracts/enums';
import { KST_OFFSET_MIN, MIN_PER_DAY } from './kst';

/**
 * The legal clock for 민원 deadlines (민원 처리에 관한 법률 제19조; ../shared/reference/complaints-kr.md §1.1).
 *
 * - 즉시: within 3 working hours of receipt.
 * - ≤ 5 days: counted in hours from receipt, 1 day = 8 working hours.
 * - ≥ 6 days: counted in days including the first day; the period ends at the end of its last working day.
 * - Saturdays, Sundays and 공휴일 (incl. 대체·임시공휴일, election days) do not count.
 * - Working hours are 09:00–12:00 and 13:00–18:00 KST (공무원 복무규정 schedule, a design assumption ⚠).
 * - Receipt outside working hours starts the clock at the next working period.
 *
 * Korea has no daylight saving time, so KST is UTC+9 all year; all arithmetic is done on KST wall-clock minutes.
 */

/** Tells whether a KST calendar day (YYYY-MM-DD) is a 공휴일. Weekends are handled here, not by the calendar. */
export type HolidayPredicate = (ymd: string) => boolean;

/** The legal deadline of one complaint type: in working hours (즉시, ≤ 5 days) or in working days (≥ 6 days). */
export type DeadlineRule = { unit: 'hours'; amount: number; basis: string } | { unit: 'days'; amount: number; basis: string };

/** Deadlines by 민원 유형 (민원처리법 시행령 제14조–제17조). 법정민원 default to 즉시 (증명); a task may set its own days. */
export const DEADLINE_RULES: Record<ComplaintType, DeadlineRule> = {
  statutory: { unit: 'hours', amount: 3, basis: '법정민원(증명): 즉시 — 민원처리법 제17조' },
  inquiry: { unit: 'days', amount: 7, basis: '질의민원(제도·절차): 7일 — 시행령 제14조' },
  interpretation: { unit: 'days', amount: 14, basis: '질의민원(법령해석): 14일 — 시행령 제14조' },
  proposal: { unit: 'days', amount: 14, basis: '건의민원: 14일 — 시행령 제15조' },
  other: { unit: 'hours', amount: 3, basis: '기타민원: 즉시(3근무시간) — 시행령 제16조' },
  grievance: { unit: 'days', amount: 7, basis: '고충민원: 7일 — 시행령 제17조' },
};

/** A deadline given in days as a rule: ≤ 5 days count as 8 working hours each, ≥ 6 days as working days. */
export function ruleForDays(days: number, basis: string): DeadlineRule {
  return days <= 5 ? { unit: 'hours', amount: days * 8, basis } : { unit: 'days', amount: days, basis };
}

/** The rule of a task: its own days when its law sets them (법정민원 처리기간), else its complaint type's rule. */
export function deadlineRuleFor(complaintType: ComplaintType, deadlineDays: number | null | undefined, taskLabel = ''): DeadlineRule {
  return deadlineDays ? ruleForDays(deadlineDays, `${taskLabel ? `${taskLabel}: ` : ''}처리기간 ${deadlineDays}일`) : DEADLINE_RULES[complaintType];
}

/** Working periods of a day in minutes after KST midnight (09–12, 13–18). */
export const WORK_PERIODS: ReadonlyArray<readonly [number, number]> = [
  [9 * 60, 12 * 60],
  [13 * 60, 18 * 60],
];
const END_OF_WORKDAY_MIN = 18 * 60;

/** KST calendar day of a day number (days since 1970-01-01 in KST). */
export function kstDayString(dayNumber: number): string {
  return new Date(dayNumber * 86_400_000).toISOString().slice(0, 10);
}

function kstMinutes(at: Date): number {
  return Math.floor(at.getTime() / 60_000) + KST_OFFSET_MIN;
}

function fromKstMinutes(minutes: number): Date {
  return new Date((minutes - KST_OFFSET_MIN) * 60_000);
}

/** True when the KST day is a working day: not Saturday, not Sunday, not a 공휴일. */
export function isWorkingDay(dayNumber: number, isHoliday: HolidayPredicate): boolean {
  const weekday = new Date(dayNumber * 86_400_000).getUTCDay();
  if (weekday === 0 || weekday === 6) return false;
  return !isHoliday(kstDayString(dayNumber));
}

/** Adds working hours to a moment on the legal clock. */
export function addWorkingHours(receivedAt: Date, hours: number, isHoliday: HolidayPredicate): Date {
  let remaining = Math.round(hours * 60);
  let minute = kstMinutes(receivedAt);
  // Bounded: even a 5-day deadline over the longest holiday block ends within a few weeks.
  for (let guard = 0; guard < 400; guard++) {
    const day = Math.floor(minute / MIN_PER_DAY);
    const dayStart = day * MIN_PER_DAY;
    if (isWorkingDay(day, isHoliday)) {
      for (const [start, end] of WORK_PERIODS) {
        const from = Math.max(minute, dayStart + start);
        const to = dayStart + end;
        if (from >= to) continue;
        if (to - from >= remaining) return fromKstMinutes(from + remaining);
        remaining -= to - from;
        minute = to;
      }
    }
    minute = dayStart + MIN_PER_DAY;
  }
  throw new RangeError('deadline beyond the calendar guard');
}

/**
 * The end (18:00 KST) of the N-th working day, counting the day of receipt as day 1 when it is a working day and
 * the call came in before the end of working hours; otherwise day 1 is the next working day.
 */
export function addWorkingDays(receivedAt: Date, days: number, isHoliday: HolidayPredicate): Date {
  const minute = kstMinutes(receivedAt);
  let day = Math.floor(minute / MIN_PER_DAY);
  if (minute - day * MIN_PER_DAY >= END_OF_WORKDAY_MIN) day += 1;
  let counted = 0;
  for (let guard = 0; guard < 800; guard++, day++) {
    if (!isWorkingDay(day, isHoliday)) continue;
    counted += 1;
    if (counted === days) return fromKstMinutes(day * MIN_PER_DAY + END_OF_WORKDAY_MIN);
  }
  throw new RangeError('deadline beyond the calendar guard');
}

/** The legal due time of a hand-off received at `receivedAt` under `rule`. */
export function computeDueAt(receivedAt: Date, rule: DeadlineRule, isHoliday: HolidayPredicate): Date {
  return rule.unit === 'hours'
    ? addWorkingHours(receivedAt, rule.amount, isHoliday)
    : addWorkingDays(receivedAt, rule.amount, isHoliday);
}
