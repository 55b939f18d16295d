import { describe, expect, it } from 'vitest';
import { isCallerNumber } from '../domain/phone';
import { DaySchema, MonthSchema, daysInRange, findUnsafeText, requiredText } from './common';

describe('findUnsafeText: lone surrogates and NUL anywhere in a JSON value', () => {
  it.each([
    ['clean Korean and an emoji (a surrogate pair)', { a: '민원 😀', b: ['x'] }, undefined],
    ['a lone high surrogate', { reason: '\ud800' }, ['reason']],
    ['a lone low surrogate after text', { a: 'ok', b: ['x', 'y\udc00'] }, ['b', 1]],
    ['a pair followed by a lone high surrogate', { a: '😀\ud83d' }, ['a']],
    ['NUL', { deep: { deeper: 'a\u0000' } }, ['deep', 'deeper']],
    ['an object key', { ['k\u0000']: 1 }, ['k\u0000']],
    ['a bare string', '\ud800', []],
    ['numbers, booleans and null', { n: 1, b: true, z: null }, undefined],
  ] as const)('%s', (_name, value, path) => {
    expect(findUnsafeText(value)).toEqual(path);
  });

  it('the text builders refuse them too (web forms use the same schemas)', () => {
    expect(requiredText(10).safeParse('a\u0000').success).toBe(false);
    expect(requiredText(10).safeParse('\ud800').success).toBe(false);
    expect(requiredText(10).safeParse('  민원  ').data).toBe('민원');
  });
});

describe('days and months', () => {
  it.each([
    ['2026-11-27', true],
    ['2028-02-29', true],
    ['2027-02-29', false],
    ['2027-02-30', false],
    ['0000-01-01', false],
    ['1999-12-31', false],
    ['2100-01-01', false],
    ['2026-1-01', false],
  ])('DaySchema %s → %s', (day, ok) => {
    expect(DaySchema.safeParse(day).success).toBe(ok);
  });

  it('MonthSchema refuses year 0000 and month 13', () => {
    expect(MonthSchema.safeParse('2026-11').success).toBe(true);
    expect(MonthSchema.safeParse('0000-01').success).toBe(false);
    expect(MonthSchema.safeParse('2026-13').success).toBe(false);
  });

  it('daysInRange counts both ends', () => {
    expect(daysInRange('2026-01-01', '2026-01-01')).toBe(1);
    expect(daysInRange('2028-01-01', '2028-12-31')).toBe(366);
  });
});

describe('isCallerNumber: one phone rule for every path', () => {
  it.each([
    ['010-2345-6789', false, true],
    ['01023456789', false, true],
    ['+82 10 2345 6789', false, true],
    ['031-123-4567', false, true],
    ['hello', false, false],
    ['1234', false, false],
    ['anonymous', false, false],
    ['Anonymous', true, true],
    ['unknown', true, false],
  ])('%s (withheld allowed: %s) → %s', (input, allowWithheld, ok) => {
    expect(isCallerNumber(input, { allowWithheld })).toBe(ok);
  });
});
