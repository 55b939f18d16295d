import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { PasswordRules, usePasswordProblems } from './password-rules';

/**
 * 새 비밀번호 정하기: the sign-in step of an account holding a temporary password (set by the admin). The checklist
 * follows the password policy as the user types; the server checks again.
 */
export function NewPasswordForm({ login, pending, error, onSubmit }: { login: string; pending: boolean; error: string | null; onSubmit: (password: string) => void }) {
  const { t } = useTranslation();
  const [form, setForm] = useState({ next: '', confirm: '' });
  const [mismatch, setMismatch] = useState(false);
  const problems = usePasswordProblems(form.next, login, null);
  const acceptable = form.next.length > 0 && problems.size === 0;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (form.next !== form.confirm) {
      setMismatch(true);
      return;
    }
    setMismatch(false);
    if (acceptable) onSubmit(form.next);
  };

  return (
    <form onSubmit={submit} noValidate className="form">
      <div className="field">
        <label htmlFor="np-new">{t('security.newPassword')}</label>
        <input
          id="np-new"
          type="password"
          autoComplete="new-password"
          autoFocus
          value={form.next}
          onChange={(e) => setForm({ ...form, next: e.target.value })}
          aria-describedby="np-rules"
          aria-invalid={form.next.length > 0 && !acceptable ? true : undefined}
        />
      </div>
      <PasswordRules id="np-rules" next={form.next} problems={problems} withCurrent={false} />
      <div className="field">
        <label htmlFor="np-confirm">{t('security.confirmPassword')}</label>
        <input id="np-confirm" type="password" autoComplete="new-password" value={form.confirm} onChange={(e) => setForm({ ...form, confirm: e.target.value })} aria-invalid={mismatch ? true : undefined} />
      </div>
      {mismatch && (
        <p className="notice notice--error" role="alert">
          {t('security.mismatch')}
        </p>
      )}
      {error && (
        <p className="notice notice--error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="btn btn--primary btn--block" disabled={pending || !acceptable || form.confirm.length === 0}>
        {pending ? t('security.changing') : t('security.setPasswordSubmit')}
      </button>
    </form>
  );
}
