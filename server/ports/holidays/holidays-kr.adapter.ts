import * as allYears from '@hyunbinseo/holidays-kr/all';
import type { HolidayCalendar } from './holidays.port';

/**
 * Holidays from @hyunbinseo/holidays-kr (KASA 월력요항 data, 2018–2027 in the version we pin), plus days an admin
 * declares (a sudden 임시공휴일, a city closure). Outside the package's range only the extra days count, and
 * `coversYear` lets the caller warn; bump the package yearly.
 */
export class KoreanHolidayCalendar implements HolidayCalendar {
  private readonly days: Set<string>;
  private readonly years: Set<string>;

  constructor(extraDays: Iterable<string> = []) {
    this.days = new Set(extraDays);
    this.years = new Set();
    for (const [key, preset] of Object.entries(allYears)) {
      const year = /^y(\d{4})$/.exec(key)?.[1];
      if (!year || typeof preset !== 'object' || preset === null) continue;
      this.years.add(year);
      for (const day of Object.keys(preset)) this.days.add(day);
    }
  }

  isHoliday(ymd: string): boolean {
    return this.days.has(ymd);
  }

  /** True when the package has data for this year. */
  coversYear(year: number): boolean {
    return this.years.has(String(year));
  }
}
