import { describe, expect, it } from 'vitest';
import { previousWorkingDayMorning, reminderSchedule, remindersDue, workingMinutesBetween, type ReminderKind } from './handoff-reminders';

/** 2026 공휴일 of the reference's fixture (complaints-kr.md §2.3). */
const HOLIDAYS_2026 = new Set(['2026-03-01', '2026-03-02', '2026-05-01', '2026-05-05', '2026-05-24', '2026-05-25', '2026-06-03', '2026-06-06', '2026-09-24', '2026-09-25', '2026-09-26', '2026-10-03', '2026-10-05', '2026-10-09']);
const isHoliday = (d: string) => HOLIDAYS_2026.has(d);
const kst = (s: string) => new Date(`${s}+09:00`);

describe('hand-off reminders on the legal clock', () => {
  it('counts working minutes only (lunch, nights, weekends and 대체공휴일 excluded)', () => {
    expect(workingMinutesBetween(kst('2026-05-18T10:00'), kst('2026-05-18T18:00'), isHoliday)).toBe(7 * 60);
    expect(workingMinutesBetween(kst('2026-05-22T17:00'), kst('2026-05-26T10:00'), isHoliday)).toBe(60 + 60); // Sat, Sun, Mon 05-25 대체
    expect(workingMinutesBetween(kst('2026-05-26T10:00'), kst('2026-05-22T17:00'), isHoliday)).toBe(0);
  });

  it('D-1 is 09:00 of the working day before the due day, across 추석 and a weekend', () => {
    expect(previousWorkingDayMorning(kst('2026-09-28T18:00'), isHoliday)).toEqual(kst('2026-09-23T09:00'));
    expect(previousWorkingDayMorning(kst('2026-05-27T18:00'), isHoliday)).toEqual(kst('2026-05-26T09:00'));
  });

  it.each([
    // 질의 7일 received Mon 05-18 10:00, due Wed 05-27 18:00 (05-25 대체 skipped): 55 working hours, half = 27.5 h.
    ['7일', '2026-05-18T10:00', '2026-05-27T18:00', '2026-05-21T14:30', '2026-05-26T09:00'],
    // 3일 = 24 working hours received Tue 09-22 10:00, due Tue 09-29 10:00 over 추석: half after 12 h, D-1 Mon 09-28.
    ['3일 over 추석', '2026-09-22T10:00', '2026-09-29T10:00', '2026-09-23T15:00', '2026-09-28T09:00'],
    // 즉시 = 3 working hours received Tue 03-03 16:30, due Wed 03-04 10:30: half at 18:00, no D-1 (it would come first).
    ['즉시', '2026-03-03T16:30', '2026-03-04T10:30', '2026-03-03T18:00', null],
  ])('%s: half and D-1', (_name, received, due, half, d1) => {
    expect(reminderSchedule(kst(received), kst(due), isHoliday)).toEqual({ halfAt: kst(half), d1At: d1 ? kst(d1) : null, dueAt: kst(due) });
  });

  const schedule = reminderSchedule(kst('2026-05-18T10:00'), kst('2026-05-27T18:00'), isHoliday);
  const none = new Set<ReminderKind>();
  it.each([
    ['before half', '2026-05-21T14:29', none, []],
    ['at half', '2026-05-21T14:30', none, ['half']],
    ['half already sent', '2026-05-22T10:00', new Set<ReminderKind>(['half']), []],
    ['at D-1', '2026-05-26T09:00', new Set<ReminderKind>(['half']), ['d1']],
    ['down past half and D-1: D-1 alone', '2026-05-27T12:00', none, ['d1']],
    ['after D-1 the half is not sent late', '2026-05-27T12:00', new Set<ReminderKind>(['d1']), []],
    ['at the due time: not yet overdue', '2026-05-27T18:00', new Set<ReminderKind>(['d1']), []],
    ['past due', '2026-05-27T18:01', new Set<ReminderKind>(['d1']), ['overdue']],
    ['overdue once', '2026-05-28T09:00', new Set<ReminderKind>(['d1', 'overdue']), []],
  ] as const)('%s', (_name, now, sent, expected) => {
    expect(remindersDue(schedule, kst(now), sent)).toEqual(expected);
  });
});
