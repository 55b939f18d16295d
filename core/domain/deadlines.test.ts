import { describe, expect, it } from 'vitest';
import { DEADLINE_RULES, addWorkingDays, deadlineRuleFor, addWorkingHours, computeDueAt, ruleForDays } from './deadlines';

// 2026 공휴일 from ../shared/reference/complaints-kr.md §2.3 (the fixture list, not the package, pins the rule).
const HOLIDAYS_2026 = new Set([
  '2026-01-01', '2026-02-16', '2026-02-17', '2026-02-18', '2026-03-01', '2026-03-02', '2026-05-01', '2026-05-05',
  '2026-05-24', '2026-05-25', '2026-06-03', '2026-06-06', '2026-07-17', '2026-08-15', '2026-08-17', '2026-09-24',
  '2026-09-25', '2026-09-26', '2026-10-03', '2026-10-05', '2026-10-09', '2026-12-25',
]);
const isHoliday = (ymd: string) => HOLIDAYS_2026.has(ymd);
const kst = (s: string) => new Date(`${s}+09:00`);

describe('legal deadlines (complaints-kr.md §1.1 worked examples)', () => {
  it.each([
    ['즉시: Tue 16:30 + 3 working hours → Wed 10:30', '2026-03-03T16:30:00', 3, '2026-03-04T10:30:00'],
    ['3-day (24 wh) over 추석 and the weekend', '2026-09-22T10:00:00', 24, '2026-09-29T10:00:00'],
    ['lunch hour does not count', '2026-03-04T11:00:00', 2, '2026-03-04T14:00:00'],
    ['received before opening starts at 09:00', '2026-03-04T07:12:00', 3, '2026-03-04T12:00:00'],
    ['received on a Saturday starts Monday 09:00', '2026-03-07T10:00:00', 3, '2026-03-09T12:00:00'],
    ['received at lunch starts at 13:00', '2026-03-04T12:30:00', 1, '2026-03-04T14:00:00'],
  ])('%s', (_name, received, hours, due) => {
    expect(addWorkingHours(kst(received), hours, isHoliday)).toEqual(kst(due));
  });

  it.each([
    ['질의 7일: Mon 2026-05-18 → Wed 05-27 (05-25 대체공휴일 skipped)', '2026-05-18T10:00:00', 7, '2026-05-27T18:00:00'],
    ['건의 14일: Mon 2026-09-21 → Wed 10-14 (추석, 10-05 대체, 한글날 skipped)', '2026-09-21T10:00:00', 14, '2026-10-14T18:00:00'],
    ['received after 18:00: day 1 is the next working day', '2026-05-18T19:00:00', 7, '2026-05-28T18:00:00'],
    ['received on a holiday: day 1 is the next working day', '2026-05-25T10:00:00', 7, '2026-06-04T18:00:00'],
  ])('%s', (_name, received, days, due) => {
    expect(addWorkingDays(kst(received), days, isHoliday)).toEqual(kst(due));
  });

  it('maps complaint types to their legal rules', () => {
    expect(DEADLINE_RULES.other).toMatchObject({ unit: 'hours', amount: 3 });
    expect(DEADLINE_RULES.inquiry).toMatchObject({ unit: 'days', amount: 7 });
    expect(DEADLINE_RULES.interpretation).toMatchObject({ unit: 'days', amount: 14 });
    expect(DEADLINE_RULES.proposal).toMatchObject({ unit: 'days', amount: 14 });
    expect(DEADLINE_RULES.grievance).toMatchObject({ unit: 'days', amount: 7 });
    expect(computeDueAt(kst('2026-05-18T10:00:00'), DEADLINE_RULES.inquiry, isHoliday)).toEqual(kst('2026-05-27T18:00:00'));
  });

  it("uses a task's own days over its complaint type", () => {
    expect(deadlineRuleFor('statutory', 10, '건축신고')).toEqual({ unit: 'days', amount: 10, basis: '건축신고: 처리기간 10일' });
    expect(deadlineRuleFor('inquiry', null)).toBe(DEADLINE_RULES.inquiry);
  });

  it('counts deadlines of 5 days or less in hours and 6 or more in days', () => {
    expect(ruleForDays(3, 'x')).toEqual({ unit: 'hours', amount: 24, basis: 'x' });
    expect(ruleForDays(6, 'x')).toEqual({ unit: 'days', amount: 6, basis: 'x' });
  });
});
