import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { NavLink, useNavigate } from 'react-router';
import type { Me } from '../../../core/contracts/auth';
import { useLogout } from '../api/queries';
import { IdleWatch } from '../features/auth/idle-watch';
import { WallboardPage } from '../routes/supervisor/wallboard-page';
import { LanguageToggle } from './language-toggle';
import { MainNav } from './main-nav';

/** Top bar (OneCall 민원콜센터, the areas this user may open, who is signed in, 한/EN, 로그아웃) and the page. */
export function AppShell({ me, children }: { me: Me; children: ReactNode }) {
  const { t } = useTranslation();
  const logout = useLogout();
  const navigate = useNavigate();
  // A wall-TV display session (상황판 표시 모드) shows the wallboard and nothing else: no menu, no idle sign-out.
  if (me.display) {
    return (
      <div className="shell shell--display">
        <WallboardPage />
      </div>
    );
  }
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <header className="topbar">
        <div className="brand">
          <span className="brand__mark" aria-hidden="true" />
          <span className="brand__name">{t('app.name')}</span>
          <span className="brand__sub">{t('app.subtitle')}</span>
        </div>
        <MainNav role={me.role} />
        <div className="topbar__spacer" />
        <div className="topbar__user" aria-label={t('app.signedInAs')} role="group">
          <span className="topbar__name">{me.name}</span>
          <span className="topbar__role">{t(`role.${me.role}`)}</span>
          {me.departmentName && <span className="topbar__dept">{me.departmentName}</span>}
        </div>
        <NavLink to="/security" className={({ isActive }) => `btn btn--ghost-light btn--small${isActive ? ' is-active' : ''}`}>
          {t('security.navLink')}
        </NavLink>
        <LanguageToggle />
        <button
          type="button"
          className="btn btn--ghost-light btn--small"
          disabled={logout.isPending}
          onClick={() => logout.mutate(undefined, { onSettled: () => void navigate('/login', { replace: true }) })}
        >
          {t('app.logout')}
        </button>
      </header>
      {children}
      <IdleWatch />
    </div>
  );
}

