import { describe, expect, it } from 'vitest';
import { formatPhone, isCallerNumber, normalizePhone, parsePhone } from './phone';

describe('phone numbers (one rule for every path, issue #18 item 4)', () => {
  it.each([
    ['010-1234-5678', '+821012345678', '010-1234-5678'],
    ['01012345678', '+821012345678', '010-1234-5678'],
    ['+82 10 1234 5678', '+821012345678', '010-1234-5678'],
    ['031-123-4567', '+82311234567', '031-123-4567'],
    ['02-2133-0120', '+82221330120', '02-2133-0120'],
  ])('%s is %s, read as %s', (typed, e164, national) => {
    expect(normalizePhone(typed)).toBe(e164);
    expect(parsePhone(typed)?.national).toBe(national);
    expect(formatPhone(e164)).toBe(national);
  });

  it.each(['abc', '12345678901234567890', '', '   ', '010-1234', '0'.repeat(40)])('refuses %j', (bad) => {
    expect(normalizePhone(bad)).toBeUndefined();
    expect(isCallerNumber(bad)).toBe(false);
  });

  it('answers the same the second time (the parse cache never changes a result, valid or not)', () => {
    for (let round = 0; round < 2; round++) {
      expect(parsePhone('010-9876-5432')?.e164).toBe('+821098765432');
      expect(parsePhone('not a number')).toBeUndefined();
    }
  });

  it('keeps answering rightly past the cache size (it is cleared, not grown)', () => {
    for (let i = 0; i < 5000; i++) expect(parsePhone(`010-${2000 + i}-${String(i).padStart(4, '0')}`)?.e164).toMatch(/^\+8210/);
    expect(parsePhone('010-1234-5678')?.national).toBe('010-1234-5678');
  });

  it('a withheld number is a caller number only where a phone system reports it', () => {
    expect(isCallerNumber('anonymous')).toBe(false);
    expect(isCallerNumber('Anonymous', { allowWithheld: true })).toBe(true);
  });
});
