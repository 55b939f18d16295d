/**
 * Korean public holidays (공휴일, incl. 대체·임시공휴일 and election days) for the legal clock and business hours.
 */
export interface HolidayCalendar {
  /** True when the KST calendar day YYYY-MM-DD is a 공휴일. Weekends are not the calendar's concern. */
  isHoliday(ymd: string): boolean;
  /** False when the calendar has no data for that year (only admin-declared days would count): warn the operator. */
  coversYear(year: number): boolean;
}
