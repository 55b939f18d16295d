import { describe, expect, it } from 'vitest';
import { DEFAULT_OPENING_HOURS, describeHours, isOpenAt, kstDay, nextOpeningAt } from './business-hours';

const at = (iso: string) => Date.parse(iso);
const holidays = new Set(['2026-12-25']);
const closed = (d: string) => holidays.has(d);

describe('business hours (KST, weekdays 08:30–18:30 by default)', () => {
  it.each([
    ['Friday 08:29 KST', '2026-11-26T23:29:00Z', false],
    ['Friday 08:30 KST', '2026-11-26T23:30:00Z', true],
    ['Friday 18:29 KST', '2026-11-27T09:29:00Z', true],
    ['Friday 18:30 KST', '2026-11-27T09:30:00Z', false],
    ['Saturday noon KST', '2026-11-28T03:00:00Z', false],
    ['Christmas (a Friday) 10:00 KST', '2026-12-25T01:00:00Z', false],
    ['Thursday 24 Dec 10:00 KST', '2026-12-24T01:00:00Z', true],
  ])('%s → open %s', (_name, iso, open) => {
    expect(isOpenAt(at(iso), DEFAULT_OPENING_HOURS, closed)).toBe(open);
  });

  it.each([
    ['Saturday noon → Monday 08:30', '2026-11-28T03:00:00Z', '2026-11-29T23:30:00.000Z'],
    ['Friday 19:00 → Monday 08:30', '2026-11-27T10:00:00Z', '2026-11-29T23:30:00.000Z'],
    ['Thursday 24 Dec 20:00 → skips Christmas → Monday 28 Dec', '2026-12-24T11:00:00Z', '2026-12-27T23:30:00.000Z'],
    ['Friday 07:00 → same day 08:30', '2026-11-26T22:00:00Z', '2026-11-26T23:30:00.000Z'],
    ['open now → the start of this opening', '2026-11-27T01:00:00Z', '2026-11-26T23:30:00.000Z'],
  ])('next opening: %s', (_name, iso, expected) => {
    expect(new Date(nextOpeningAt(at(iso), DEFAULT_OPENING_HOURS, closed)!).toISOString()).toBe(expected);
  });

  it('never opens without opening hours', () => {
    expect(nextOpeningAt(at('2026-11-27T01:00:00Z'), [], closed)).toBeNull();
  });

  it('takes the KST day, not the UTC day', () => {
    expect(kstDay(at('2026-11-27T15:30:00Z'))).toBe('2026-11-28');
    expect(kstDay(at('2026-11-27T14:59:59Z'))).toBe('2026-11-27');
  });

  it('describes the hours for the announcement', () => {
    expect(describeHours(DEFAULT_OPENING_HOURS)).toBe('평일 08:30~18:30');
    expect(describeHours([...DEFAULT_OPENING_HOURS, { weekday: 6, opens: '09:00', closes: '13:00' }])).toBe('평일 08:30~18:30, 토 09:00~13:00');
    expect(describeHours([])).toBe('운영 시간 없음');
  });

  it('stays open through midnight when a day closes at 24:00 (the demo centre is open around the clock)', () => {
    const always = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opens: '00:00', closes: '24:00' }));
    // Sunday 23:59:59 KST, then Monday 00:00 KST: no gap at midnight, none at the week's turn.
    expect(isOpenAt(at('2026-11-29T14:59:59Z'), always, closed)).toBe(true);
    expect(isOpenAt(at('2026-11-29T15:00:00Z'), always, closed)).toBe(true);
    expect(isOpenAt(at('2026-12-05T16:30:00Z'), always, closed)).toBe(true);
  });
});
