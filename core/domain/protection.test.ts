import { describe, expect, it } from 'vitest';
import {
  ABUSE_TYPES,
  DEFAULT_PROTECTION_SETTINGS as S,
  assertMayEnd,
  canEndAfterWarnings,
  flagExpiresAt,
  isFlagActive,
  nextWarning,
  occupancy,
  stateDurations,
  validateProtectionSettings,
  workTimes,
} from './protection';

describe('warnings (complaints-kr.md §4.2: 3 warnings; 1 for 성희롱 and 협박)', () => {
  it.each([
    ['verbal_abuse', 3],
    ['prank', 3],
    ['unreasonable_demand', 3],
    ['sexual_harassment', 1],
    ['threat', 1],
  ] as const)('%s may be ended after %i warnings, not before', (type, n) => {
    expect(canEndAfterWarnings(S, type, n - 1)).toBe(false);
    expect(canEndAfterWarnings(S, type, n)).toBe(true);
    expect(() => assertMayEnd(S, type, n - 1, 'after_warnings')).toThrowError(expect.objectContaining({ code: 'PROTECTION_WARNINGS_REQUIRED' }));
    expect(() => assertMayEnd(S, type, n, 'after_warnings')).not.toThrow();
  });

  it('plays warning 1, 2, 3 in order and repeats the last past the list', () => {
    const texts = S.warningTexts.verbal_abuse;
    expect([0, 1, 2, 3].map((g) => nextWarning(S, 'verbal_abuse', g))).toEqual([
      { step: 1, text: texts[0] },
      { step: 2, text: texts[1] },
      { step: 3, text: texts[2] },
      { step: 4, text: texts[2] },
    ]);
  });

  it('opens the emergency end for threats at once, and for nothing else', () => {
    expect(() => assertMayEnd(S, 'threat', 0, 'emergency')).not.toThrow();
    for (const t of ABUSE_TYPES.filter((x) => x !== 'threat')) {
      expect(() => assertMayEnd(S, t, 5, 'emergency')).toThrowError(expect.objectContaining({ code: 'PROTECTION_WARNINGS_REQUIRED' }));
    }
  });

  it('validates admin settings', () => {
    expect(validateProtectionSettings(S)).toEqual([]);
    const bad = { ...S, warningTexts: { ...S.warningTexts, prank: [] }, warningsBeforeEnd: { ...S.warningsBeforeEnd, threat: 0 } };
    expect(validateProtectionSettings(bad)).toHaveLength(2);
  });
});

describe('repeat-caller flags and wellbeing', () => {
  it('a flag lasts 90 days unless cleared', () => {
    const exp = flagExpiresAt(0, S.flagDays);
    expect(exp).toBe(90 * 86_400_000);
    expect(isFlagActive({ expiresAt: exp, clearedAt: null }, exp - 1)).toBe(true);
    expect(isFlagActive({ expiresAt: exp, clearedAt: null }, exp)).toBe(false);
    expect(isFlagActive({ expiresAt: exp, clearedAt: 5 }, 10)).toBe(false);
  });

  it('occupancy is handling over handling + available, null when never staffed', () => {
    expect(occupancy(85, 15)).toBeCloseTo(0.85);
    expect(occupancy(0, 0)).toBeNull();
  });
});

describe('time in each state (wellbeing page)', () => {
  const min = 60_000;
  it('clips the log to the period and carries the state at its start', () => {
    const log = [
      { at: -10 * min, status: 'available' },
      { at: 5 * min, status: 'on_call' },
      { at: 20 * min, status: 'after_call_work' },
      { at: 21 * min, status: 'recovery' },
      { at: 31 * min, status: 'not_ready' },
      { at: 90 * min, status: 'available' },
    ];
    const d = stateDurations(log, 0, 60 * min);
    expect(d).toEqual({ available: 300, on_call: 900, after_call_work: 60, recovery: 600, not_ready: 1740 });
    expect(workTimes(d)).toEqual({ talkSeconds: 900, handlingSeconds: 960, availableSeconds: 300 });
    expect(stateDurations([], 0, 60 * min)).toEqual({});
  });
});
