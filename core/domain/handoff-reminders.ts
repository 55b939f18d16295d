import { addWorkingHours, isWorkingDay, WORK_PERIODS, type HolidayPredicate } from './deadlines';
import { KST_OFFSET_MIN, MIN_PER_DAY } from './kst';

/**
 * Reminders of a hand-off on the legal clock (issue #11 §3; ../shared/reference/complaints-kr.md §1.2 "Escalation in
 * OneCall"), the pure part: when they are due. The job (server/jobs/handoff-reminder-scheduler.ts) records each one
 * once and tells the official in the app.
 *
 * - half: at half the working time between receipt and the due time (the period's midpoint on the legal clock:
 *   weekends, 공휴일 and hours outside 09–12, 13–18 KST do not count).
 * - d1: at 09:00 KST of the working day before the due day (D-1), when that is after the half reminder (a short
 *   period, e.g. 즉시 = 3 working hours, gets only the half reminder).
 * - overdue: once the due time has passed while the hand-off is still open; the department head is told with it.
 *
 * Only the latest stage that is due is sent: a server that was down past both the half and the D-1 moment sends D-1
 * alone. An extension gives a new due time and so a new schedule.
 */
export type ReminderKind = 'half' | 'd1' | 'overdue';

/** When each reminder of one hand-off is due; d1 is null when it would not come after the half reminder. */
export type ReminderSchedule = { halfAt: Date; d1At: Date | null; dueAt: Date };

const kstMinutes = (at: Date) => Math.floor(at.getTime() / 60_000) + KST_OFFSET_MIN;

/** Working minutes on the legal clock between two moments (0 when `to` is not after `from`). */
export function workingMinutesBetween(from: Date, to: Date, isHoliday: HolidayPredicate): number {
  const a = kstMinutes(from);
  const b = kstMinutes(to);
  let total = 0;
  for (let day = Math.floor(a / MIN_PER_DAY); day * MIN_PER_DAY < b; day++) {
    if (!isWorkingDay(day, isHoliday)) continue;
    for (const [start, end] of WORK_PERIODS) {
      const lo = Math.max(a, day * MIN_PER_DAY + start);
      const hi = Math.min(b, day * MIN_PER_DAY + end);
      if (hi > lo) total += hi - lo;
    }
  }
  return total;
}

/** 09:00 KST of the last working day before the KST day of `at`. */
export function previousWorkingDayMorning(at: Date, isHoliday: HolidayPredicate): Date {
  let day = Math.floor(kstMinutes(at) / MIN_PER_DAY) - 1;
  for (let guard = 0; guard < 60 && !isWorkingDay(day, isHoliday); guard++) day--;
  return new Date((day * MIN_PER_DAY + 9 * 60 - KST_OFFSET_MIN) * 60_000);
}

/** The reminder schedule of a hand-off received at `receivedAt` and due at `dueAt`. */
export function reminderSchedule(receivedAt: Date, dueAt: Date, isHoliday: HolidayPredicate): ReminderSchedule {
  const half = workingMinutesBetween(receivedAt, dueAt, isHoliday) / 2;
  const halfAt = half > 0 ? addWorkingHours(receivedAt, half / 60, isHoliday) : receivedAt;
  const d1 = previousWorkingDayMorning(dueAt, isHoliday);
  return { halfAt, d1At: d1.getTime() > halfAt.getTime() ? d1 : null, dueAt };
}

/**
 * The reminders to send now for an open hand-off, given the kinds already recorded for its current due time: at most
 * the latest due stage (half or d1) before the due time, or 'overdue' after it.
 */
export function remindersDue(schedule: ReminderSchedule, now: Date, sent: ReadonlySet<ReminderKind>): ReminderKind[] {
  const t = now.getTime();
  if (t > schedule.dueAt.getTime()) return sent.has('overdue') ? [] : ['overdue'];
  if (schedule.d1At && t >= schedule.d1At.getTime()) return sent.has('d1') ? [] : ['d1'];
  if (t >= schedule.halfAt.getTime()) return sent.has('half') || sent.has('d1') ? [] : ['half'];
  return [];
}
