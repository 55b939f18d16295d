/**
 * The city's clock in numbers (Asia/Seoul): Korea Standard Time is UTC+9 all year — no daylight saving since 1988 —
 * so a KST wall-clock time is an instant shifted by a fixed offset and every KST day is 24 hours long. The one home
 * of these constants; the calendar functions built on them live with their domain (statistics.ts, deadlines.ts …).
 */

/** One hour in milliseconds. */
export const HOUR_MS = 3_600_000;

/** One day in milliseconds (every KST day: no daylight saving). */
export const DAY_MS = 24 * HOUR_MS;

/** KST − UTC in milliseconds: add it to an instant for the KST wall clock, take it away to go back. */
export const KST_OFFSET_MS = 9 * HOUR_MS;

/** KST − UTC in minutes (the legal clock counts KST wall-clock minutes). */
export const KST_OFFSET_MIN = 9 * 60;

/** Minutes in a day. */
export const MIN_PER_DAY = 24 * 60;
