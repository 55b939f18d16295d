/**
 * Times on screen are Seoul wall-clock times in the Korean civil-service style ("2026. 11. 27. 오후 3:05"),
 * whatever the time zone of the workstation.
 */

import { KST_OFFSET_MS } from '../../../core/domain/kst';
import { kstDayOf } from '../../../core/domain/statistics';

type Lang = 'ko' | 'en';

/**
 * Seoul wall-clock fields of an instant. Korea has no daylight saving time (UTC+9 all year), so plain arithmetic
 * is exact, and unlike Intl it does not depend on the ICU data of the browser or of Node ("오후", not "PM").
 */
function seoulFields(d: Date) {
  const s = new Date(d.getTime() + KST_OFFSET_MS);
  return { year: s.getUTCFullYear(), month: s.getUTCMonth() + 1, day: s.getUTCDate(), hour: s.getUTCHours(), minute: s.getUTCMinutes() };
}

const EN_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad2 = (n: number) => String(n).padStart(2, '0');

function datePart(f: ReturnType<typeof seoulFields>, lang: Lang, withYear: boolean): string {
  if (lang === 'en') return `${f.day} ${EN_MONTHS[f.month - 1] ?? ''}${withYear ? ` ${f.year}` : ''}`;
  return `${withYear ? `${f.year}. ` : ''}${f.month}. ${f.day}.`;
}

function timePart(f: ReturnType<typeof seoulFields>, lang: Lang): string {
  if (lang === 'en') return `${pad2(f.hour)}:${pad2(f.minute)}`;
  const h12 = f.hour % 12 === 0 ? 12 : f.hour % 12;
  return `${f.hour < 12 ? '오전' : '오후'} ${h12}:${pad2(f.minute)}`;
}

function toDate(value: string | Date | null | undefined): Date | null {
  if (!value) return null;
  const d = typeof value === 'string' ? new Date(value) : value;
  return Number.isNaN(d.getTime()) ? null : d;
}

/** "2026. 11. 27. 오후 3:05" (en: "27 Nov 2026, 15:05") */
export function formatDateTime(value: string | Date | null | undefined, lang: Lang = 'ko'): string {
  const d = toDate(value);
  if (!d) return '';
  const f = seoulFields(d);
  return `${datePart(f, lang, true)}${lang === 'en' ? ',' : ''} ${timePart(f, lang)}`;
}

/** "2026. 11. 27." */
export function formatDate(value: string | Date | null | undefined, lang: Lang = 'ko'): string {
  const d = toDate(value);
  return d ? datePart(seoulFields(d), lang, true) : '';
}

/** "오후 3:05" */
export function formatTime(value: string | Date | null | undefined, lang: Lang = 'ko'): string {
  const d = toDate(value);
  return d ? timePart(seoulFields(d), lang) : '';
}

/** "11. 27. 오후 3:05": dense lists; the year is shown only when it is not the current one. */
export function formatShortDateTime(value: string | Date | null | undefined, lang: Lang = 'ko', now: Date = new Date()): string {
  const d = toDate(value);
  if (!d) return '';
  const f = seoulFields(d);
  const withYear = f.year !== seoulFields(now).year;
  return `${datePart(f, lang, withYear)}${lang === 'en' ? ',' : ''} ${timePart(f, lang)}`;
}

/** How urgent a deadline is: past it, due later today (Seoul day), or later. */
export type Urgency = 'overdue' | 'today' | 'later';

export function urgencyOf(dueAt: string, now: Date, isOverdue?: boolean): Urgency {
  const due = new Date(dueAt);
  if (isOverdue || due.getTime() < now.getTime()) return 'overdue';
  return kstDayOf(due.getTime()) === kstDayOf(now.getTime()) ? 'today' : 'later';
}

/** A span split into days, hours and minutes (the largest two non-zero units are shown). */
export type Span = { days: number; hours: number; minutes: number };

export function splitSpan(ms: number): Span {
  const totalMinutes = Math.floor(Math.abs(ms) / 60_000);
  return { days: Math.floor(totalMinutes / 1440), hours: Math.floor((totalMinutes % 1440) / 60), minutes: totalMinutes % 60 };
}
