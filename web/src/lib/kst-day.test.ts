import { afterEach, describe, expect, it, vi } from 'vitest';
import { KST_OFFSET_MS } from '../../../core/domain/kst';
import { addDays } from '../../../core/domain/statistics';
import { kstDateTimeLocal, kstIsoOf, kstToday } from './kst-day';

describe('kstToday', () => {
  it.each([
    ['2026-11-27T14:59:59.999Z', '2026-11-27'], // 23:59:59 KST
    ['2026-11-27T15:00:00Z', '2026-11-28'], // 00:00 KST: Seoul's day turns at 15:00 UTC
    ['2026-11-26T23:59:59Z', '2026-11-27'], // 08:59 KST: UTC is still on the day before
    ['2026-11-27T00:00:00Z', '2026-11-27'], // 09:00 KST: the UTC day turns, Seoul's does not
    ['2026-11-30T15:30:00Z', '2026-12-01'], // month end
    ['2026-12-31T15:00:00Z', '2027-01-01'], // year end
    ['2028-02-28T15:00:00Z', '2028-02-29'], // leap day
  ])('%s is %s in Seoul', (at, day) => {
    expect(kstToday(new Date(at))).toBe(day);
  });

  afterEach(() => vi.useRealTimers());
  it('reads the clock when no instant is given', () => {
    vi.useFakeTimers({ now: new Date('2026-11-30T15:00:00Z') });
    expect(kstToday()).toBe('2026-12-01');
  });

  it('with addDays, goes back across month and year ends', () => {
    expect(addDays(kstToday(new Date('2026-03-02T15:00:00Z')), -6)).toBe('2026-02-25');
    expect(addDays(kstToday(new Date('2028-03-01T00:00:00Z')), -1)).toBe('2028-02-29');
    expect(addDays(kstToday(new Date('2026-12-31T15:00:00Z')), -30)).toBe('2026-12-02');
  });
});

describe('kstDateTimeLocal', () => {
  it('gives the Seoul minute of an instant, seconds dropped, from a number, a string or a Date', () => {
    expect(kstDateTimeLocal(Date.parse('2026-11-27T14:59:59Z'))).toBe('2026-11-27T23:59');
    expect(kstDateTimeLocal('2026-11-27T15:00:00Z')).toBe('2026-11-28T00:00');
    expect(kstDateTimeLocal(new Date('2026-12-31T15:00:00Z'))).toBe('2027-01-01T00:00');
    expect(kstDateTimeLocal('2026-11-27T18:00:00+09:00')).toBe('2026-11-27T18:00');
  });
});

describe('kstIsoOf', () => {
  it('reads a wall-clock time as Seoul time', () => {
    expect(kstIsoOf('2026-11-27T18:00')).toBe('2026-11-27T18:00:00+09:00');
    expect(Date.parse(kstIsoOf('2026-11-27T18:00'))).toBe(Date.UTC(2026, 10, 27, 18) - KST_OFFSET_MS);
  });
  it.each(['2026-11-27T18:00', '2027-01-01T00:00', '2026-11-30T23:59', '2028-02-29T08:30'])('round-trips %s through the instant', (v) => {
    expect(kstDateTimeLocal(kstIsoOf(v))).toBe(v);
  });
});
