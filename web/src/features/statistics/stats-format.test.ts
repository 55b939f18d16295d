import { describe, expect, it } from 'vitest';
import { change, clock, count, hours, pct, periodText } from './stats-format';

describe('statistics formatting', () => {
  it('writes rates, durations and changes the way the centre reads them', () => {
    expect(pct(0.8123)).toBe('81.2%');
    expect(pct(null)).toBe('–');
    expect(clock(272.4)).toBe('4:32');
    expect(clock(3725)).toBe('1:02:05');
    expect(clock(null)).toBe('–');
    expect(count(12345)).toBe('12,345');
    expect(hours(26.44)).toBe('26.4');
    expect(change(0.125)).toBe('+12.5%');
    expect(change(-0.03)).toBe('−3.0%');
    expect(change(0)).toBe('0.0%');
    expect(change(null)).toBe('–');
    expect(periodText({ fromDay: '2026-11-01', toDay: '2026-11-30' })).toBe('2026-11-01 ~ 2026-11-30');
  });
});
