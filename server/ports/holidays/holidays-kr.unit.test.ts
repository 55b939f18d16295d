import { describe, expect, it } from 'vitest';
import { KoreanHolidayCalendar } from './holidays-kr.adapter';

describe('Korean holiday calendar (package data vs complaints-kr.md §2.3 fixtures)', () => {
  const calendar = new KoreanHolidayCalendar(['2026-11-30']);
  it.each(['2026-02-17', '2026-03-02', '2026-05-25', '2026-06-03', '2026-08-17', '2026-09-25', '2026-10-05', '2027-02-09'])(
    '%s is a holiday',
    (day) => expect(calendar.isHoliday(day)).toBe(true),
  );
  it.each(['2026-03-03', '2026-05-26', '2026-11-27'])('%s is not', (day) => expect(calendar.isHoliday(day)).toBe(false));
  it('adds days an admin declares', () => expect(calendar.isHoliday('2026-11-30')).toBe(true));
  it('knows which years it covers', () => {
    expect(calendar.coversYear(2026)).toBe(true);
    expect(calendar.coversYear(2031)).toBe(false);
  });
});
