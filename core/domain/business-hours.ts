import { DAY_MS, KST_OFFSET_MS } from './kst';

/**
 * The centre's service hours (issue #4; complaints-kr.md §1.1: separate from the legal clock): opening hours per ISO
 * weekday in KST, minus Korean public holidays and days an admin declares closed. Pure: the caller passes the time
 * (epoch ms) and a holiday test.
 */

/** Opening hours of one ISO weekday (1 = Monday … 7 = Sunday), "HH:MM" KST, opens < closes. */
export type OpeningHours = { weekday: number; opens: string; closes: string };

/** Default: weekdays 08:30–18:30 (Gimpo's hours, BRIEF.md). */
export const DEFAULT_OPENING_HOURS: readonly OpeningHours[] = [1, 2, 3, 4, 5].map((weekday) => ({ weekday, opens: '08:30', closes: '18:30' }));

/** The KST calendar day of an instant, YYYY-MM-DD. */
export function kstDay(at: number): string {
  return new Date(at + KST_OFFSET_MS).toISOString().slice(0, 10);
}

const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** True when the centre is open at `at`: an opening-hours day, not a closed day, within [opens, closes). */
export function isOpenAt(at: number, hours: readonly OpeningHours[], isClosedDay: (ymd: string) => boolean): boolean {
  const local = new Date(at + KST_OFFSET_MS);
  const weekday = local.getUTCDay() === 0 ? 7 : local.getUTCDay();
  const h = hours.find((x) => x.weekday === weekday);
  if (!h || isClosedDay(local.toISOString().slice(0, 10))) return false;
  const minute = local.getUTCHours() * 60 + local.getUTCMinutes();
  return minute >= minutesOf(h.opens) && minute < minutesOf(h.closes);
}

/**
 * The next instant the centre opens at or after `at` (epoch ms), or null when it never opens within `horizonDays`
 * (no opening hours at all). When open at `at`, returns the start of the current opening.
 */
export function nextOpeningAt(
  at: number,
  hours: readonly OpeningHours[],
  isClosedDay: (ymd: string) => boolean,
  horizonDays = 60,
): number | null {
  const localMidnight = Math.floor((at + KST_OFFSET_MS) / DAY_MS) * DAY_MS - KST_OFFSET_MS;
  for (let d = 0; d <= horizonDays; d++) {
    const dayStart = localMidnight + d * DAY_MS;
    const local = new Date(dayStart + KST_OFFSET_MS);
    const weekday = local.getUTCDay() === 0 ? 7 : local.getUTCDay();
    const h = hours.find((x) => x.weekday === weekday);
    if (!h || isClosedDay(local.toISOString().slice(0, 10))) continue;
    const opens = dayStart + minutesOf(h.opens) * 60_000;
    const closes = dayStart + minutesOf(h.closes) * 60_000;
    if (at < closes) return opens;
  }
  return null;
}

/** "평일 08:30~18:30" style summary for the announcement, grouping equal days. */
export function describeHours(hours: readonly OpeningHours[]): string {
  const names = ['', '월', '화', '수', '목', '금', '토', '일'];
  const sorted = [...hours].sort((a, b) => a.weekday - b.weekday);
  const groups: { days: number[]; opens: string; closes: string }[] = [];
  for (const h of sorted) {
    const last = groups[groups.length - 1];
    const prev = last?.days[last.days.length - 1];
    if (last && last.opens === h.opens && last.closes === h.closes && prev === h.weekday - 1) last.days.push(h.weekday);
    else groups.push({ days: [h.weekday], opens: h.opens, closes: h.closes });
  }
  if (groups.length === 0) return '운영 시간 없음';
  return groups
    .map((g) => {
      const first = g.days[0] as number;
      const lastDay = g.days[g.days.length - 1] as number;
      const label = first === 1 && lastDay === 5 ? '평일' : first === lastDay ? names[first] : `${names[first]}~${names[lastDay]}`;
      return `${label} ${g.opens}~${g.closes}`;
    })
    .join(', ');
}
