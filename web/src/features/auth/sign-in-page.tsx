import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { LoginBodySchema } from '../../../../core/contracts/auth';
import { errorMessage } from '../../api/client';
import { useLogin, useMe } from '../../api/queries';
import { LanguageToggle } from '../../components/language-toggle';
import { HOME_OF } from './roles';

/** 로그인: one form, a clear error in the server's words, then the role's own screen. */
export function SignInPage() {
  const { t } = useTranslation();
  const me = useMe();
  const login = useLogin();
  const navigate = useNavigate();
  const location = useLocation();
  const [form, setForm] = useState({ login: '', password: '' });
  const [localError, setLocalError] = useState<string | null>(null);

  const from = (location.state as { from?: string } | null)?.from;

  if (me.data) return <Navigate to={from ?? HOME_OF[me.data.role]} replace />;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const parsed = LoginBodySchema.safeParse(form);
    if (!parsed.success) {
      setLocalError(t('login.required'));
      return;
    }
    setLocalError(null);
    login.mutate(parsed.data, {
      onSuccess: (user) => void navigate(from ?? HOME_OF[user.role], { replace: true }),
    });
  };

  const error = localError ?? (login.error ? errorMessage(login.error, { network: t('common.networkError'), generic: t('common.loadFailed') }) : null);

  return (
    <div className="signin">
      <div className="signin__lang">
        <LanguageToggle />
      </div>
      <div className="signin__panel">
        <section className="signin__brand" aria-hidden="true">
          <div className="brand brand--large">
            <span className="brand__mark" />
            <span className="brand__name">{t('app.name')}</span>
          </div>
          <p className="signin__subtitle">{t('app.subtitle')}</p>
          <p className="signin__promise">{t('login.promise')}</p>
          <p className="signin__promise-detail">{t('login.promiseDetail')}</p>
        </section>
        <main className="signin__card" id="main">
          <h1 className="signin__heading">{t('login.heading')}</h1>
          <p className="signin__lead">{t('login.lead')}</p>
          <form onSubmit={submit} noValidate className="form">
            <div className="field">
              <label htmlFor="login-id">{t('login.login')}</label>
              <input
                id="login-id"
                name="username"
                autoComplete="username"
                autoFocus
                value={form.login}
                onChange={(e) => setForm({ ...form, login: e.target.value })}
                aria-invalid={error ? true : undefined}
                aria-describedby={error ? 'login-error' : undefined}
              />
            </div>
            <div className="field">
              <label htmlFor="login-password">{t('login.password')}</label>
              <input
                id="login-password"
                name="password"
                type="password"
                autoComplete="current-password"
                value={form.password}
                onChange={(e) => setForm({ ...form, password: e.target.value })}
                aria-invalid={error ? true : undefined}
                aria-describedby={error ? 'login-error' : undefined}
              />
            </div>
            {error && (
              <p id="login-error" className="notice notice--error" role="alert">
                {error}
              </p>
            )}
            <button type="submit" className="btn btn--primary btn--block" disabled={login.isPending}>
              {login.isPending ? t('login.submitting') : t('login.submit')}
            </button>
          </form>
          <p className="signin__footer">{t('login.footer')}</p>
        </main>
      </div>
    </div>
  );
}
