import { DEFAULT_OPENING_HOURS, describeHours, isOpenAt, nextOpeningAt, type OpeningHours } from '../../../core/domain/business-hours';

/**
 * The ACD's opening hours (acd_business_hours), public holidays and the admin's closed days: whether a call is taken
 * now, and when the centre opens next (a call outside hours hears it and may leave a callback for then).
 */
export class Hours {
  private hours: OpeningHours[] = [...DEFAULT_OPENING_HOURS];
  private closedDays = new Set<string>();

  constructor(private readonly holidays: { isHoliday(ymd: string): boolean }) {}

  /** The week's hours (none stored: the default weekday hours) and the closed days, as read from the database. */
  set(hours: readonly OpeningHours[], closedDays: readonly string[]): void {
    this.hours = hours.length > 0 ? hours.map((h) => ({ weekday: h.weekday, opens: h.opens, closes: h.closes })) : [...DEFAULT_OPENING_HOURS];
    this.closedDays = new Set(closedDays);
  }

  /** True when the centre is open at `at` (business hours, public holidays, admin-declared closed days). */
  isOpen(at: number): boolean {
    return isOpenAt(at, this.hours, (d) => this.isClosedDay(d));
  }

  /** When the centre opens next after `at` (null: no opening hours at all). */
  nextOpening(at: number): number | null {
    return nextOpeningAt(at, this.hours, (d) => this.isClosedDay(d));
  }

  /** The hours as the closed-centre announcement says them. */
  describe(): string {
    return describeHours(this.hours);
  }

  private isClosedDay(ymd: string): boolean {
    return this.closedDays.has(ymd) || this.holidays.isHoliday(ymd);
  }
}
