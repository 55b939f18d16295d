import { describe, expect, it } from 'vitest';
import { characterClasses, checkPassword, DEFAULT_PASSWORD_POLICY, STRICT_PASSWORD_POLICY, type PasswordProblem } from './password-policy';

const problemsOf = (password: string, login = 'kim.agent', policy = DEFAULT_PASSWORD_POLICY): PasswordProblem[] => {
  const result = checkPassword(password, login, policy);
  return result.ok ? [] : result.problems;
};

describe('characterClasses (upper, lower, digit, other)', () => {
  it.each([
    ['', 0],
    ['abc', 1],
    ['abcDEF', 2],
    ['abc123', 2],
    ['aB3', 3],
    ['aB3!', 4],
    ['한글만', 1],
    ['비밀번호7', 2],
  ])('%s → %i', (password, classes) => {
    expect(characterClasses(password)).toBe(classes);
  });
});

describe('checkPassword with the default policy (≥ 8 of 2 classes, or ≥ 10 of 1 class)', () => {
  it.each([
    ['8 characters, 2 classes', 'rain7fog', []],
    ['7 characters, 3 classes', 'Rain7fo', ['too_short_or_simple']],
    ['9 characters, 1 class', 'rainyfogs', ['too_short_or_simple']],
    ['10 characters, 1 class', 'rainyfogsx', []],
    ['Hangul is a class, but 6 characters are too few', '봄비7월안개', ['too_short_or_simple']],
    ['Hangul and digits, 8 characters', '봄비7월안개내려', []],
    ['contains the login', 'xKim.Agent9', ['contains_login']],
    ['starts with the login', 'kim.agent!!', ['contains_login']],
    ['four identical characters', 'rain7777fog', ['repeated_characters']],
    ['three identical characters are fine', 'rain777fog', []],
    ['an ascending run of digits', 'fog1234rain', ['sequential_characters']],
    ['a descending run of letters', 'x9dcbarain', ['sequential_characters']],
    ['a keyboard row', 'Qwer7fogs', ['sequential_characters']],
    ['too long', `a1${'xy'.repeat(70)}`, ['too_long']],
    ['several problems at once', 'aaaa', ['too_short_or_simple', 'repeated_characters']],
    ['empty', '', ['too_short_or_simple']],
  ] as const)('%s: %s', (_name, password, expected) => {
    expect(problemsOf(password)).toEqual(expected);
  });

  it('ignores a login too short to mean anything', () => {
    expect(problemsOf('kimrain7fog', 'ki')).toEqual([]);
  });

  it('answers ok: true when nothing is wrong', () => {
    expect(checkPassword('rain7fog', 'kim.agent')).toEqual({ ok: true });
  });
});

describe('checkPassword with the strict policy (≥ 10 of 2 classes, or ≥ 8 of 3 classes)', () => {
  it.each([
    ['8 characters, 2 classes', 'rain7fog', ['too_short_or_simple']],
    ['8 characters, 3 classes', 'Rain7fog', []],
    ['10 characters, 2 classes', 'rain7fogxy', []],
    ['10 characters, 1 class', 'rainyfogsx', ['too_short_or_simple']],
  ] as const)('%s: %s', (_name, password, expected) => {
    expect(problemsOf(password, 'kim.agent', STRICT_PASSWORD_POLICY)).toEqual(expected);
  });
});
