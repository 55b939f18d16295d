import { describe, expect, it } from 'vitest';
import { Hours } from './hours';

const at = (kst: string) => Date.parse(`${kst}+09:00`);

describe('Hours (the ACD room of opening hours)', () => {
  const holidays = new Set(['2026-12-25']);
  const hours = () => new Hours({ isHoliday: (d) => holidays.has(d) });

  it('is open on weekdays 08:30-18:30 by default and says when it opens next', () => {
    const h = hours();
    expect(h.isOpen(at('2026-11-27T10:00:00'))).toBe(true); // Friday
    expect(h.isOpen(at('2026-11-27T18:30:00'))).toBe(false);
    expect(h.isOpen(at('2026-11-28T10:00:00'))).toBe(false); // Saturday
    expect(h.nextOpening(at('2026-11-28T10:00:00'))).toBe(at('2026-11-30T08:30:00'));
    expect(h.describe()).toContain('08:30');
  });

  it('is closed on public holidays and on the days the admin declares, and opens after them', () => {
    const h = hours();
    h.set([], ['2026-11-30']);
    expect(h.isOpen(at('2026-11-30T10:00:00'))).toBe(false);
    expect(h.nextOpening(at('2026-11-28T10:00:00'))).toBe(at('2026-12-01T08:30:00'));
    expect(h.isOpen(at('2026-12-25T10:00:00'))).toBe(false);
  });

  it('follows the stored week (a centre open around the clock), and the default again when none is stored', () => {
    const h = hours();
    h.set([1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opens: '00:00', closes: '24:00' })), []);
    expect(h.isOpen(at('2026-11-29T03:00:00'))).toBe(true); // Sunday night
    h.set([], []);
    expect(h.isOpen(at('2026-11-29T03:00:00'))).toBe(false);
  });
});
