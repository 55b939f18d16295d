import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { UserSecurity } from '../../../../core/contracts/auth';
import { useMe } from '../../api/queries';
import { useAdminAccountAction, useUserSecurity } from '../../api/security-queries';
import { Empty, ErrorNotice, Loading } from '../../components/notice';
import { useFormat } from '../../lib/use-format';

type Action = 'unlock' | 'reset2fa' | 'revokeAll';

/**
 * 계정 보안 (admin only; the server also requires an allowed network): who is locked (unlock), 2FA state (reset),
 * live sessions (end them all). Destructive actions ask first; every action is recorded on the server.
 */
export function UserSecurityPanel() {
  const me = useMe();
  // Supervisors open the admin area read-only; account security is the admin's alone.
  return me.data?.role === 'admin' ? <AccountSecurityTable /> : null;
}

function AccountSecurityTable() {
  const { t } = useTranslation();
  const f = useFormat();
  const users = useUserSecurity();
  const action = useAdminAccountAction();
  const [filter, setFilter] = useState('');
  const [message, setMessage] = useState<string | null>(null);

  const run = (user: UserSecurity, kind: Action) => {
    if (kind === 'reset2fa' && !window.confirm(t('security.reset2faConfirm', { name: user.name }))) return;
    if (kind === 'revokeAll' && !window.confirm(t('security.revokeAllConfirm', { name: user.name }))) return;
    setMessage(null);
    action.mutate(
      { userId: user.id, action: kind },
      {
        onSuccess: () =>
          setMessage(
            kind === 'unlock'
              ? t('security.unlocked', { name: user.name })
              : kind === 'reset2fa'
                ? t('security.reset2faDone', { name: user.name })
                : t('security.revokedAll', { name: user.name }),
          ),
      },
    );
  };

  const needle = filter.trim().toLowerCase();
  const rows = (users.data?.items ?? []).filter((u) => !needle || u.login.toLowerCase().includes(needle) || u.name.toLowerCase().includes(needle));

  return (
    <section className="panel security-panel security-admin" aria-labelledby="adm-security">
      <header className="panel__header">
        <h2 id="adm-security" className="panel__title">
          {t('security.adminHeading')}
        </h2>
        <input
          type="search"
          className="security-admin__filter"
          aria-label={t('security.filter')}
          placeholder={t('security.filter')}
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
        />
      </header>
      <p className="security__lead">{t('security.adminLead')}</p>
      {users.isPending && <Loading />}
      <ErrorNotice error={users.error ?? action.error} onRetry={users.error ? () => void users.refetch() : undefined} />
      {message && (
        <p className="notice" role="status">
          {message}
        </p>
      )}
      {users.data && rows.length === 0 && <Empty>{t('common.none')}</Empty>}
      {rows.length > 0 && (
        <div className="panel__scroll">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('security.login')}</th>
                <th scope="col">{t('security.name')}</th>
                <th scope="col">{t('security.role')}</th>
                <th scope="col">{t('security.state')}</th>
                <th scope="col">{t('security.twoFactor')}</th>
                <th scope="col">{t('security.sessionCount')}</th>
                <th scope="col">{t('security.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((u) => (
                <tr key={u.id}>
                  <td>{u.login}</td>
                  <td>{u.name}</td>
                  <td>{t(`role.${u.role}`)}</td>
                  <td>
                    {!u.isActive ? (
                      <span className="badge badge--muted">{t('security.inactive')}</span>
                    ) : u.lockedUntil ? (
                      <span className="badge badge--danger">{t('security.locked', { until: f.time(u.lockedUntil) })}</span>
                    ) : (
                      <span className="badge badge--ok">{t('security.normal')}</span>
                    )}
                  </td>
                  <td>
                    {u.totpEnabled ? t('security.twoFactorOn') : u.totpRequired ? <span className="badge badge--warn">{t('security.notEnrolled')}</span> : t('security.twoFactorOff')}
                  </td>
                  <td>{u.sessionCount}</td>
                  <td className="security-admin__actions">
                    {u.lockedUntil && (
                      <button type="button" className="btn btn--small btn--primary" disabled={action.isPending} onClick={() => run(u, 'unlock')} aria-label={`${t('security.unlock')}: ${u.name}`}>
                        {t('security.unlock')}
                      </button>
                    )}
                    {u.totpEnabled && (
                      <button type="button" className="btn btn--small" disabled={action.isPending} onClick={() => run(u, 'reset2fa')} aria-label={`${t('security.reset2fa')}: ${u.name}`}>
                        {t('security.reset2fa')}
                      </button>
                    )}
                    {u.sessionCount > 0 && (
                      <button type="button" className="btn btn--small btn--danger" disabled={action.isPending} onClick={() => run(u, 'revokeAll')} aria-label={`${t('security.revokeAll')}: ${u.name}`}>
                        {t('security.revokeAll')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
