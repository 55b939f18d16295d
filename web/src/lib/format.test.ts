import { describe, expect, it } from 'vitest';
import { formatDateTime, splitSpan, urgencyOf } from './format';

describe('formatDateTime', () => {
  it('writes Seoul time in the Korean style whatever the machine zone', () => {
    expect(formatDateTime('2026-11-27T06:05:00Z')).toBe('2026. 11. 27. 오후 3:05');
    expect(formatDateTime('2026-11-26T23:30:00Z')).toBe('2026. 11. 27. 오전 8:30');
  });
  it('is empty for missing or broken values', () => {
    expect(formatDateTime(null)).toBe('');
    expect(formatDateTime('not a date')).toBe('');
  });
});

describe('urgencyOf', () => {
  const now = new Date('2026-11-27T01:00:00Z'); // 10:00 in Seoul
  it.each([
    ['2026-11-27T00:59:00Z', 'overdue'],
    ['2026-11-27T09:00:00Z', 'today'], // 18:00 Seoul, same day
    ['2026-11-27T15:30:00Z', 'later'], // 00:30 next day in Seoul
  ] as const)('%s is %s', (due, expected) => {
    expect(urgencyOf(due, now)).toBe(expected);
  });
  it('trusts the server when it says overdue', () => {
    expect(urgencyOf('2026-11-30T00:00:00Z', now, true)).toBe('overdue');
  });
});

describe('splitSpan', () => {
  it('splits spans', () => {
    expect(splitSpan(-(26 * 60 + 5) * 60_000)).toEqual({ days: 1, hours: 2, minutes: 5 });
  });
});

describe('noon and midnight', () => {
  it('uses 12 for noon and midnight', () => {
    expect(formatDateTime('2026-11-27T03:00:00Z')).toBe('2026. 11. 27. 오후 12:00');
    expect(formatDateTime('2026-11-26T15:07:00Z')).toBe('2026. 11. 27. 오전 12:07');
    expect(formatDateTime('2026-11-27T06:05:00Z', 'en')).toBe('27 Nov 2026, 15:05');
  });
});
