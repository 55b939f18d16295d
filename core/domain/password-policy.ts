/**
 * Password policy (개인정보의 안전성 확보조치 기준 제5조⑤, "safe authentication means"). The standard names no
 * numbers; ../shared/reference/privacy-security-kr.md §3 gives the PIPC 해설서 (2020) example as the default and asks
 * for everything to be configurable, so the length/class rule is a list of alternatives, any one of which suffices.
 */

/** One way to be long and varied enough: at least `minLength` characters of at least `minClasses` classes. */
export type LengthRule = { minLength: number; minClasses: number };

/** A configurable password policy. */
export type PasswordPolicy = {
  /** Alternatives: the password passes when it meets any one of them. */
  rules: readonly LengthRule[];
  /** Longest accepted password (argon2 hashes anything, but a megabyte password is an attack, not a password). */
  maxLength: number;
  /** A run of this many identical characters ("aaaa") or consecutive ones ("1234", "dcba", "qwer") is guessable. */
  maxRun: number;
};

/** The reference's default (PIPC 해설서 example): ≥ 8 characters of 2 classes, or ≥ 10 characters of any kind. */
export const DEFAULT_PASSWORD_POLICY: PasswordPolicy = {
  rules: [
    { minLength: 8, minClasses: 2 },
    { minLength: 10, minClasses: 1 },
  ],
  maxLength: 128,
  maxRun: 4,
};

/** The stricter former 정보통신망법 rule: ≥ 10 characters of 2 classes, or ≥ 8 characters of 3 classes. */
export const STRICT_PASSWORD_POLICY: PasswordPolicy = {
  rules: [
    { minLength: 10, minClasses: 2 },
    { minLength: 8, minClasses: 3 },
  ],
  maxLength: 128,
  maxRun: 4,
};

/** Why a password was refused; the UI translates each. */
export type PasswordProblem = 'too_short_or_simple' | 'too_long' | 'contains_login' | 'repeated_characters' | 'sequential_characters';

/** The outcome of checking a password: ok, or every problem found. */
export type PasswordCheck = { ok: true } | { ok: false; problems: PasswordProblem[] };

/** The character classes of the Korean guidance: upper-case, lower-case, digits, and everything else (symbols, 한글). */
export function characterClasses(password: string): number {
  const classes = [/[A-Z]/, /[a-z]/, /[0-9]/, /[^A-Za-z0-9]/];
  return classes.filter((re) => re.test(password)).length;
}

// Keyboard rows count as sequences too ("qwer", "asdf").
const SEQUENCES = ['abcdefghijklmnopqrstuvwxyz', '0123456789', 'qwertyuiop', 'asdfghjkl', 'zxcvbnm'];

function longestRepeat(chars: string[]): number {
  let best = 0;
  let run = 0;
  chars.forEach((c, i) => {
    run = i > 0 && chars[i - 1] === c ? run + 1 : 1;
    best = Math.max(best, run);
  });
  return best;
}

function hasSequence(lower: string, length: number): boolean {
  for (const seq of SEQUENCES) {
    const backwards = [...seq].reverse().join('');
    for (let i = 0; i + length <= seq.length; i++) {
      if (lower.includes(seq.slice(i, i + length)) || lower.includes(backwards.slice(i, i + length))) return true;
    }
  }
  return false;
}

/**
 * Checks a new password against the policy: length and classes, no login inside it (ignoring case), no long runs
 * of one character or of consecutive characters. Pure; the server calls it when a password is set or changed.
 */
export function checkPassword(password: string, login: string, policy: PasswordPolicy = DEFAULT_PASSWORD_POLICY): PasswordCheck {
  const chars = [...password.normalize('NFC')];
  const problems: PasswordProblem[] = [];
  const classes = characterClasses(password);
  if (!policy.rules.some((r) => chars.length >= r.minLength && classes >= r.minClasses)) problems.push('too_short_or_simple');
  if (chars.length > policy.maxLength) problems.push('too_long');
  const lower = password.toLowerCase();
  const id = login.trim().toLowerCase();
  if (id.length >= 3 && lower.includes(id)) problems.push('contains_login');
  if (longestRepeat(chars) >= policy.maxRun) problems.push('repeated_characters');
  if (hasSequence(lower, policy.maxRun)) problems.push('sequential_characters');
  return problems.length === 0 ? { ok: true } : { ok: false, problems };
}
