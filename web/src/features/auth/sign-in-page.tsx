import { useState, type FormEvent } from 'react';
import { isSignInStep, type SignInStep } from '../../../../core/contracts/auth';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { LoginBodySchema } from '../../../../core/contracts/auth';
import { ApiError, errorMessage } from '../../api/client';
import { useLogin, useMe } from '../../api/queries';
import { useCompleteSignIn, useSetNewPassword } from '../../api/security-queries';
import { LanguageToggle } from '../../components/language-toggle';
import { takeSignedOutReason } from './idle-watch';
import { HOME_OF } from './roles';
import { NewPasswordForm } from './new-password-form';
import { TwoFactorForm } from './two-factor-form';

/**
 * 로그인: the password, then (for 2FA users) the authenticator code or a first enrolment, a clear error in the
 * server's words, then the role's own screen.
 */
export function SignInPage() {
  const { t } = useTranslation();
  const me = useMe();
  const login = useLogin();
  const navigate = useNavigate();
  const location = useLocation();
  const [form, setForm] = useState({ login: '', password: '' });
  const [localError, setLocalError] = useState<string | null>(null);
  const [step, setStep] = useState<SignInStep | null>(null);
  const complete = useCompleteSignIn();
  const setPassword = useSetNewPassword();
  // Why the user is here (signed out for inactivity), read once.
  const [signedOutReason] = useState(takeSignedOutReason);

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
      onSuccess: (answer) => {
        if (isSignInStep(answer)) {
          complete.reset();
          setStep(answer);
        } else void navigate(from ?? HOME_OF[answer.role], { replace: true });
      },
    });
  };

  const sendCode = (code: string) => {
    if (!step) return;
    complete.mutate(
      { challenge: step.challenge, code },
      {
        onSuccess: (user) => void navigate(from ?? HOME_OF[user.role], { replace: true }),
        onError: (err) => {
          // The pending step is gone (expired, locked, reset): back to the password, with the message.
          const restart = err instanceof ApiError && (err.code === 'ACCOUNT_LOCKED' || (err.details as { restart?: boolean } | undefined)?.restart === true);
          if (restart) setStep(null);
        },
      },
    );
  };

  const sendNewPassword = (newPassword: string) => {
    if (!step) return;
    setPassword.mutate(
      { challenge: step.challenge, newPassword },
      {
        onSuccess: (answer) => {
          if (isSignInStep(answer)) {
            complete.reset();
            setStep(answer);
          } else void navigate(from ?? HOME_OF[answer.role], { replace: true });
        },
        onError: (err) => {
          if (err instanceof ApiError && (err.details as { restart?: boolean } | undefined)?.restart === true) setStep(null);
        },
      },
    );
  };

  const messages = { network: t('common.networkError'), generic: t('common.loadFailed') };
  const error = localError ?? (setPassword.error && !step ? errorMessage(setPassword.error, messages) : null) ?? (complete.error && !step ? errorMessage(complete.error, messages) : null) ?? (login.error ? errorMessage(login.error, messages) : null);
  const codeError = complete.error ? errorMessage(complete.error, messages) : null;

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
          {step?.next === 'password' ? (
            <>
              <h1 className="signin__heading">{t('security.setPasswordHeading')}</h1>
              <p className="signin__lead">{t('security.setPasswordLead')}</p>
              <NewPasswordForm login={form.login.trim()} pending={setPassword.isPending} error={setPassword.error ? errorMessage(setPassword.error, messages) : null} onSubmit={sendNewPassword} />
              <button
                type="button"
                className="btn btn--ghost btn--block"
                onClick={() => {
                  setStep(null);
                  setPassword.reset();
                  login.reset();
                  setForm({ ...form, password: '' });
                }}
              >
                {t('security.restart')}
              </button>
            </>
          ) : step ? (
            <>
              <h1 className="signin__heading">{step.next === 'enrol' ? t('security.enrolHeading') : t('security.totpHeading')}</h1>
              <TwoFactorForm
                enrolment={step.enrolment}
                lead={step.next === 'enrol' ? t('security.enrolLead') : t('security.totpLead')}
                submitLabel={step.next === 'enrol' ? t('security.enrolSubmit') : t('security.verify')}
                pending={complete.isPending}
                error={codeError}
                onSubmit={sendCode}
              />
              <button
                type="button"
                className="btn btn--ghost btn--block"
                onClick={() => {
                  setStep(null);
                  complete.reset();
                  login.reset();
                  setForm({ ...form, password: '' });
                }}
              >
                {t('security.restart')}
              </button>
            </>
          ) : (
            <>
          <h1 className="signin__heading">{t('login.heading')}</h1>
          <p className="signin__lead">{t('login.lead')}</p>
          {signedOutReason === 'idle' && !error && (
            <p className="notice notice--warn" role="status">
              {t('security.expired')}
            </p>
          )}
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
            </>
          )}
          <p className="signin__footer">{t('login.footer')}</p>
        </main>
      </div>
    </div>
  );
}
