import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Me, TotpEnrolment } from '../../../../core/contracts/auth';
import { errorMessage } from '../../api/client';
import {
  useChangePassword,
  useConfirmTotpEnrolment,
  useMySecurity,
  useRevokeMySession,
  useStartTotpEnrolment,
} from '../../api/security-queries';
import { ErrorNotice, Loading } from '../../components/notice';
import { browserName } from '../../features/auth/browser-name';
import { PasswordRules, usePasswordProblems } from '../../features/auth/password-rules';
import { TwoFactorForm } from '../../features/auth/two-factor-form';
import { useFormat } from '../../lib/use-format';


/** 내 보안 설정: my sessions (end any), my password (live policy feedback), my two-factor authentication. */
export function SecurityPage({ me }: { me: Me }) {
  const { t } = useTranslation();
  const security = useMySecurity();
  return (
    <main id="main" className="page">
      <h1 className="page__title">{t('security.pageHeading')}</h1>
      {security.isPending && <Loading />}
      <ErrorNotice error={security.error} onRetry={() => void security.refetch()} />
      {security.data && (
        <div className="security-grid">
          <SessionsPanel sessions={security.data.sessions} idleMinutes={security.data.idleTimeoutMinutes} />
          <PasswordPanel login={me.login} />
          <TwoFactorPanel enabled={security.data.totpEnabled} required={security.data.totpRequired} />
        </div>
      )}
    </main>
  );
}

function SessionsPanel({ sessions, idleMinutes }: { sessions: NonNullable<ReturnType<typeof useMySecurity>['data']>['sessions']; idleMinutes: number }) {
  const { t } = useTranslation();
  const f = useFormat();
  const revoke = useRevokeMySession();
  return (
    <section className="panel security-panel security-grid__wide" aria-labelledby="sec-sessions">
      <header className="panel__header">
        <h2 id="sec-sessions" className="panel__title">
          {t('security.sessions')}
        </h2>
        <span className="panel__meta">{t('security.idleNote', { minutes: idleMinutes })}</span>
      </header>
      <p className="security__lead">{t('security.sessionsLead')}</p>
      {revoke.error && <ErrorNotice error={revoke.error} />}
      <table className="table">
        <thead>
          <tr>
            <th scope="col">{t('security.created')}</th>
            <th scope="col">{t('security.lastSeen')}</th>
            <th scope="col">{t('security.ip')}</th>
            <th scope="col">{t('security.browser')}</th>
            <th scope="col">
              <span className="visually-hidden">{t('security.actions')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {sessions.map((s) => (
            <tr key={s.id} aria-current={s.isCurrent ? 'true' : undefined}>
              <td>{f.dateTime(s.createdAt)}</td>
              <td>{f.dateTime(s.lastSeenAt)}</td>
              <td>{s.ip ?? '—'}</td>
              <td title={s.userAgent ?? undefined}>
                {browserName(s.userAgent)}
                {s.isDisplay && <span className="badge badge--warn">{t('security.displaySession')}</span>}
              </td>
              <td>
                {s.isCurrent ? (
                  <span className="badge">{t('security.current')}</span>
                ) : (
                  <button
                    type="button"
                    className="btn btn--small btn--danger"
                    disabled={revoke.isPending}
                    onClick={() => revoke.mutate(s.id)}
                    aria-label={`${t('security.revoke')}: ${f.dateTime(s.createdAt)} ${s.ip ?? ''}`}
                  >
                    {t('security.revoke')}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function PasswordPanel({ login }: { login: string }) {
  const { t } = useTranslation();
  const change = useChangePassword();
  const [form, setForm] = useState({ current: '', next: '', confirm: '' });
  const [done, setDone] = useState(false);
  const [mismatch, setMismatch] = useState(false);

  const problems = usePasswordProblems(form.next, login, form.current);
  const acceptable = form.next.length > 0 && problems.size === 0;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setDone(false);
    if (form.next !== form.confirm) {
      setMismatch(true);
      return;
    }
    setMismatch(false);
    if (!acceptable) return;
    change.mutate(
      { currentPassword: form.current, newPassword: form.next },
      {
        onSuccess: () => {
          setDone(true);
          setForm({ current: '', next: '', confirm: '' });
        },
      },
    );
  };

  const serverError = change.error ? errorMessage(change.error, { network: t('common.networkError'), generic: t('common.loadFailed') }) : null;
  return (
    <section className="panel security-panel" aria-labelledby="sec-password">
      <header className="panel__header">
        <h2 id="sec-password" className="panel__title">
          {t('security.password')}
        </h2>
      </header>
      <form className="form security__form" onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor="pw-current">{t('security.currentPassword')}</label>
          <input id="pw-current" type="password" autoComplete="current-password" value={form.current} onChange={(e) => setForm({ ...form, current: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor="pw-new">{t('security.newPassword')}</label>
          <input
            id="pw-new"
            type="password"
            autoComplete="new-password"
            value={form.next}
            onChange={(e) => setForm({ ...form, next: e.target.value })}
            aria-describedby="pw-rules"
            aria-invalid={form.next.length > 0 && !acceptable ? true : undefined}
          />
        </div>
        <PasswordRules id="pw-rules" next={form.next} problems={problems} />
        <div className="field">
          <label htmlFor="pw-confirm">{t('security.confirmPassword')}</label>
          <input
            id="pw-confirm"
            type="password"
            autoComplete="new-password"
            value={form.confirm}
            onChange={(e) => setForm({ ...form, confirm: e.target.value })}
            aria-invalid={mismatch ? true : undefined}
          />
        </div>
        {mismatch && (
          <p className="notice notice--error" role="alert">
            {t('security.mismatch')}
          </p>
        )}
        {serverError && (
          <p className="notice notice--error" role="alert">
            {serverError}
          </p>
        )}
        {done && (
          <p className="notice" role="status">
            {t('security.changed')}
          </p>
        )}
        <button type="submit" className="btn btn--primary" disabled={change.isPending || !acceptable || form.current.length === 0}>
          {change.isPending ? t('security.changing') : t('security.change')}
        </button>
      </form>
    </section>
  );
}

function TwoFactorPanel({ enabled, required }: { enabled: boolean; required: boolean }) {
  const { t } = useTranslation();
  const start = useStartTotpEnrolment();
  const confirm = useConfirmTotpEnrolment();
  const [enrolment, setEnrolment] = useState<TotpEnrolment | null>(null);
  const [done, setDone] = useState(false);
  const messages = { network: t('common.networkError'), generic: t('common.loadFailed') };

  return (
    <section className="panel security-panel" aria-labelledby="sec-2fa">
      <header className="panel__header">
        <h2 id="sec-2fa" className="panel__title">
          {t('security.twoFactor')}
        </h2>
        <span className={`badge${enabled ? ' badge--ok' : ''}`}>{enabled ? t('security.twoFactorOn') : t('security.twoFactorOff')}</span>
      </header>
      {required && <p className="security__lead">{t('security.twoFactorRequired')}</p>}
      {done && (
        <p className="notice" role="status">
          {t('security.enabled')}
        </p>
      )}
      {!enabled && !enrolment && (
        <>
          {start.error && <ErrorNotice error={start.error} />}
          <button type="button" className="btn btn--primary" disabled={start.isPending} onClick={() => start.mutate(undefined, { onSuccess: setEnrolment })}>
            {t('security.enable')}
          </button>
        </>
      )}
      {!enabled && enrolment && (
        <TwoFactorForm
          idPrefix="enrol"
          enrolment={enrolment}
          lead={t('security.enrolLeadOptional')}
          submitLabel={t('security.confirmEnable')}
          pending={confirm.isPending}
          error={confirm.error ? errorMessage(confirm.error, messages) : null}
          onSubmit={(code) =>
            confirm.mutate(code, {
              onSuccess: () => {
                setEnrolment(null);
                setDone(true);
              },
            })
          }
        />
      )}
    </section>
  );
}
