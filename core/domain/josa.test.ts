import { describe, expect, it } from 'vitest';
import { particleOf, withParticle } from './josa';

describe('particles for the word before them', () => {
  it.each([
    ['전화번호', '을/를', '를'],
    ['이름', '을/를', '을'],
    ['상하수도사업소', '으로/로', '로'],
    ['전자우편', '으로/로', '으로'],
    ['서울', '으로/로', '로'],
    ['문자', '와/과', '와'],
    ['부서', '이/가', '가'],
    ['내선 2501', '은/는', '은'],
    ['내선 2502', '은/는', '는'],
    ['A0103', '이/가', '이'],
    ['순위 7', '으로/로', '로'],
    ['순위 3', '으로/로', '으로'],
    ['hong.kisoo', '은/는', '는'],
    ['agent01', '은/는', '은'],
    ['URL', '으로/로', '로'],
    ["'누수'", '을/를', '를'],
    ['', '을/를', ''],
  ] as const)('%s + %s → %s', (word, particle, expected) => {
    expect(particleOf(word, particle)).toBe(expected);
  });

  it('writes the word with its particle', () => {
    expect(withParticle('민원여권과', '으로/로')).toBe('민원여권과로');
  });
});
