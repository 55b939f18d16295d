import { describe, expect, it } from 'vitest';
import { BREAK_GRACE_MS, breakAction, fixedBreaks, isOnBreak, kstDayOf, kstTime, nextBreak, postponedMinutes, validateBreakPlan, type BreakPlan } from './breaks';

const day = '2026-11-27';
const plan: BreakPlan = {
  slots: [
    { at: '15:30', minutes: 10, kind: 'break' },
    { at: '12:00', minutes: 60, kind: 'meal' },
    { at: '10:30', minutes: 10, kind: 'break' },
  ],
  everyMinutes: null,
  intervalMinutes: 10,
};

describe('scheduled breaks (issue #14 §4)', () => {
  it('checks a plan: HH:MM, no two breaks at one time, 5–90 minutes, a work interval of 30–480 minutes', () => {
    expect(validateBreakPlan(plan)).toEqual([]);
    expect(validateBreakPlan({ slots: [{ at: '9:30', minutes: 10, kind: 'break' }], everyMinutes: null, intervalMinutes: 10 })[0]).toMatch(/^slots\.0\.at/);
    expect(validateBreakPlan({ slots: [{ at: '10:00', minutes: 10, kind: 'break' }, { at: '10:00', minutes: 10, kind: 'meal' }], everyMinutes: null, intervalMinutes: 10 })).toHaveLength(1);
    expect(validateBreakPlan({ slots: [{ at: '10:00', minutes: 4, kind: 'break' }], everyMinutes: 29, intervalMinutes: 61 })).toHaveLength(3);
  });

  it('lists the day in time order and finds the next break not yet scheduled', () => {
    expect(fixedBreaks(plan, day).map((b) => b.slot)).toEqual(['10:30', '12:00', '15:30']);
    const at10 = kstTime(day, '10:00');
    expect(nextBreak(plan, day, at10, new Set(), null)).toEqual({ slot: '10:30', kind: 'break', minutes: 10, dueAt: kstTime(day, '10:30') });
    expect(nextBreak(plan, day, at10, new Set(['10:30']), null)?.slot).toBe('12:00');
    // A set time past the grace when first seen is not owed; within the grace it still is.
    expect(nextBreak(plan, day, kstTime(day, '10:59'), new Set(), null)?.slot).toBe('10:30');
    expect(nextBreak(plan, day, kstTime(day, '10:30') + BREAK_GRACE_MS, new Set(), null)?.slot).toBe('12:00');
    expect(nextBreak(plan, day, kstTime(day, '16:00'), new Set(), null)).toBeNull();
  });

  it('every N minutes logged in: due when the work since the last break reaches N; the earlier of it and the set time', () => {
    const every: BreakPlan = { ...plan, everyMinutes: 60 };
    const now = kstTime(day, '09:00');
    expect(nextBreak(every, day, now, new Set(), { intervalCount: 0, workedMs: 20 * 60_000 })).toEqual({ slot: 'every-1', kind: 'break', minutes: 10, dueAt: now + 40 * 60_000 });
    expect(nextBreak(every, day, now, new Set(), { intervalCount: 2, workedMs: 90 * 60_000 })).toMatchObject({ slot: 'every-3', dueAt: now });
    expect(nextBreak(every, day, kstTime(day, '10:00'), new Set(), { intervalCount: 0, workedMs: 0 })?.slot).toBe('10:30');
  });

  it('what to do when due: idle now, a call never cut (after the call and wrap-up), else wait until missed', () => {
    const due = kstTime(day, '10:30');
    expect(breakAction('available', null, 'break', due, due)).toBe('start');
    expect(breakAction('not_ready', 'break', 'break', due, due)).toBe('start');
    for (const s of ['reserved', 'on_call', 'on_hold', 'consulting', 'after_call_work'] as const) expect(breakAction(s, null, 'break', due, due + 3_600_000)).toBe('after_call');
    expect(breakAction('not_ready', 'meeting', 'break', due, due)).toBe('wait');
    expect(breakAction('recovery', null, 'meal', due, due + BREAK_GRACE_MS - 1)).toBe('wait');
    expect(breakAction('logged_out', null, 'break', due, due + BREAK_GRACE_MS)).toBe('missed');
    expect(isOnBreak('not_ready', 'meal', 'meal')).toBe(true);
    expect(isOnBreak('not_ready', 'break', 'meal')).toBe(false);
  });

  it('postponed: started 5 minutes or more after it was due', () => {
    const due = kstTime(day, '10:30');
    expect(postponedMinutes(due, null)).toBe(0);
    expect(postponedMinutes(due, due + 4 * 60_000)).toBe(0);
    expect(postponedMinutes(due, due + 8 * 60_000)).toBe(8);
    expect(kstDayOf(kstTime('2026-11-27', '23:59'))).toBe('2026-11-27');
    expect(kstDayOf(kstTime('2026-11-28', '00:00'))).toBe('2026-11-28');
  });
});
