import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { checkPassword, type PasswordProblem } from '../../../../core/domain/password-policy';

export type PasswordRule = PasswordProblem | 'same_as_current';
const RULES: PasswordRule[] = ['too_short_or_simple', 'contains_login', 'repeated_characters', 'sequential_characters', 'same_as_current'];

/** The rules a new password breaks (the password policy of core, and not the current one). */
export function usePasswordProblems(next: string, login: string, current: string | null): Set<PasswordRule> {
  return useMemo(() => {
    const check = checkPassword(next, login);
    const list: PasswordRule[] = check.ok ? [] : [...check.problems];
    if (current !== null && next.length > 0 && next === current) list.push('same_as_current');
    return new Set(list);
  }, [next, login, current]);
}

/** The password rules as a live checklist under the new-password field (without 'not the current one' when unknown). */
export function PasswordRules({ id, next, problems, withCurrent = true }: { id: string; next: string; problems: Set<PasswordRule>; withCurrent?: boolean }) {
  const { t } = useTranslation();
  return (
    <div id={id} className="pw-rules" aria-live="polite">
      <p className="pw-rules__title">{t('security.policy')}</p>
      <ul>
        {RULES.filter((rule) => withCurrent || rule !== 'same_as_current').map((rule) => {
          const ok = next.length > 0 && !problems.has(rule);
          return (
            <li key={rule} className={ok ? 'pw-rules__ok' : next.length > 0 ? 'pw-rules__bad' : undefined}>
              <span aria-hidden="true">{ok ? '✓' : '•'}</span> {t(`security.problem.${rule}`)}
              <span className="visually-hidden"> ({ok ? t('security.met') : t('security.unmet')})</span>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
