import { KST_OFFSET_MS } from '../../../core/domain/kst';
import { kstDayOf } from '../../../core/domain/statistics';

/**
 * The Seoul calendar and wall clock as the values forms and the API use (YYYY-MM-DD days, datetime-local
 * "YYYY-MM-DDTHH:mm"), whatever the workstation's time zone. Korea has no daylight saving (UTC+9 all year), so these
 * are a fixed offset from the instant (core/domain/kst.ts). Day arithmetic: addDays in core/domain/statistics.ts.
 */

/** Today in Seoul, YYYY-MM-DD. */
export function kstToday(now: Date = new Date()): string {
  return kstDayOf(now.getTime());
}

/** The Seoul wall-clock minute of an instant, "YYYY-MM-DDTHH:mm": the value of a datetime-local input. */
export function kstDateTimeLocal(at: number | string | Date): string {
  return new Date(new Date(at).getTime() + KST_OFFSET_MS).toISOString().slice(0, 16);
}

/** A Seoul wall-clock time ("YYYY-MM-DDTHH:mm", as a datetime-local input gives it) as an ISO 8601 time with its offset. */
export function kstIsoOf(wallClock: string): string {
  return `${wallClock}:00+09:00`;
}
