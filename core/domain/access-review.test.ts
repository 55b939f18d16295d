import { describe, expect, it } from 'vitest';
import { isNightAccess, kstDayOf, kstDayRange, kstMonthRange, median, summariseUserVolumes, type ReviewInput } from './access-review';

describe('KST ranges', () => {
  it.each([
    ['2026-11', '2026-10-31T15:00:00.000Z', '2026-11-30T15:00:00.000Z'],
    ['2026-12', '2026-11-30T15:00:00.000Z', '2026-12-31T15:00:00.000Z'],
    ['2027-01', '2026-12-31T15:00:00.000Z', '2027-01-31T15:00:00.000Z'],
  ])('month %s starts and ends at KST midnight', (month, from, to) => {
    expect(kstMonthRange(month)).toEqual({ from, to });
  });
  it('a KST day', () => {
    expect(kstDayRange('2026-11-27')).toEqual({ from: '2026-11-26T15:00:00.000Z', to: '2026-11-27T15:00:00.000Z' });
    expect(kstDayOf(new Date('2026-11-27T15:30:00Z'))).toBe('2026-11-28');
  });
});

describe('night access (22:00–06:00 KST)', () => {
  it.each([
    ['2026-11-27T12:59:59Z', false], // 21:59 KST
    ['2026-11-27T13:00:00Z', true], // 22:00
    ['2026-11-27T17:00:00Z', true], // 02:00
    ['2026-11-27T20:59:00Z', true], // 05:59
    ['2026-11-27T21:00:00Z', false], // 06:00
    ['2026-11-27T01:00:00Z', false], // 10:00
  ])('%s → %s', (at, night) => expect(isNightAccess(at)).toBe(night));
  it('a window that does not cross midnight', () => {
    expect(isNightAccess('2026-11-27T03:00:00Z', 12, 13)).toBe(true);
    expect(isNightAccess('2026-11-27T05:00:00Z', 12, 13)).toBe(false);
  });
});

describe('unusual volume: more than 3 × the median of the same role', () => {
  it.each([
    [[], 0],
    [[5], 5],
    [[1, 9, 3], 3],
    [[1, 2, 3, 10], 2.5],
  ])('median(%j) = %d', (values, m) => expect(median(values)).toBe(m));

  const rows = (userId: string, role: string, n: number, at = '2026-11-27T01:00:00Z'): ReviewInput[] =>
    Array.from({ length: n }, () => ({ userId, userLogin: userId, role, at, action: 'view', recordCount: 1 }));

  it('flags the agent far above his peers, not the one slightly above, and compares roles apart', () => {
    const users = summariseUserVolumes([...rows('a1', 'agent', 10), ...rows('a2', 'agent', 12), ...rows('a3', 'agent', 31), ...rows('a4', 'agent', 30), ...rows('o1', 'official', 100)]);
    const by = Object.fromEntries(users.map((u) => [u.userId, u]));
    // agent median = (12 + 30) / 2 = 21 → flag above 63
    expect(by.a3!.roleMedian).toBe(21);
    expect(users.filter((u) => u.isUnusualVolume)).toEqual([]);
    const more = summariseUserVolumes([...rows('a1', 'agent', 10), ...rows('a2', 'agent', 10), ...rows('a3', 'agent', 31), ...rows('o1', 'official', 100)]);
    expect(more.filter((u) => u.isUnusualVolume).map((u) => u.userId)).toEqual(['a3']);
    expect(more[0]!.userId).toBe('o1'); // busiest first, alone in his role: never flagged
  });

  it('counts night records, actions and rows seen', () => {
    const [u] = summariseUserVolumes([
      ...rows('a1', 'agent', 2, '2026-11-27T14:00:00Z'),
      { userId: 'a1', userLogin: 'a1', role: 'agent', at: '2026-11-27T02:00:00Z', action: 'export', recordCount: 40 },
    ]);
    expect(u).toMatchObject({ total: 3, night: 2, recordsSeen: 42, byAction: { view: 2, export: 1 } });
  });
});
