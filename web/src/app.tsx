import { lazy, Suspense, useEffect, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Link, Navigate, Route, Routes, useLocation } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { setUnauthenticatedHandler } from './api/client';
import { keys, useMe } from './api/queries';
import { RealtimeProvider } from './api/realtime-provider';
import { AppShell } from './components/app-shell';
import { CaseSearchPage } from './routes/cases/case-search-page';
import { ErrorNotice, Loading } from './components/notice';
import { HOME_OF, canOpen, type Area } from './features/auth/roles';
import { markSignedOut } from './features/auth/idle-watch';
import { SignInPage } from './features/auth/sign-in-page';
import { AdminPage } from './routes/admin/admin-page';
import { NotificationsPage } from './routes/admin/notifications-page';
import { DirectoryPage } from './routes/admin/directory-page';
import { KbSearchPage } from './routes/admin/kb-search-page';
import { ConnectorsPage } from './routes/admin/connectors-page';
import { OrgEditorPage } from './features/org/org-editor-page';
import { ArticleEditorPage } from './features/kb/article-editor-page';
import { AgentDesk } from './routes/agent/agent-desk';
import { SecurityPage } from './routes/security/security-page';
import { OfficialInbox } from './routes/official/official-inbox';
import { SupervisorOverview } from './routes/supervisor/supervisor-overview';
import { WallboardPage } from './routes/supervisor/wallboard-page';
import { ProtectionPage } from './routes/supervisor/protection-page';
import { HandOffReroutingPage } from './routes/supervisor/handoff-rerouting-page';
import { HandOffOverduePage } from './routes/supervisor/handoff-overdue-page';
import { PublicPollPage } from './features/surveys/public-poll-page';
import { PublicSurveyPage } from './features/surveys/public-survey-page';
import { SurveysPage } from './features/surveys/surveys-page';

// 통계 and 월간 보고서 load on first use: ECharts stays out of the desk's bundle.
const StatsPage = lazy(() => import('./routes/stats/stats-page').then((m) => ({ default: m.StatsPage })));
const MonthlyReportPage = lazy(() => import('./routes/stats/monthly-report-page').then((m) => ({ default: m.MonthlyReportPage })));
const StaffingPage = lazy(() => import('./routes/supervisor/staffing-page').then((m) => ({ default: m.StaffingPage })));
const RecordingsPage = lazy(() => import('./routes/supervisor/recordings-page').then((m) => ({ default: m.RecordingsPage })));

/** A signed-in area: signed-out users go to 로그인 (and come back), other roles see a plain refusal. */
function Protected({ area, children }: { area: Area; children: ReactNode }) {
  const me = useMe();
  const location = useLocation();
  const { t } = useTranslation();
  if (me.isPending) return <Loading />;
  if (me.error) return <ErrorNotice error={me.error} onRetry={() => void me.refetch()} />;
  if (!me.data) return <Navigate to="/login" replace state={{ from: location.pathname }} />;
  return (
    <RealtimeProvider role={me.data.role} userId={me.data.id}>
    <AppShell me={me.data}>
      {canOpen(area, me.data.role) ? (
        children
      ) : (
        <main id="main" className="page page--message">
          <p>{t('common.forbidden')}</p>
          <Link to={HOME_OF[me.data.role]}>{t('common.goHome')}</Link>
        </main>
      )}
    </AppShell>
    </RealtimeProvider>
  );
}

/** 내 보안 설정 for the signed-in user (Protected guarantees one). */
function SecurityPageOfMe() {
  const me = useMe();
  return me.data ? <SecurityPage me={me.data} /> : null;
}

function Home() {
  const me = useMe();
  if (me.isPending) return <Loading />;
  return <Navigate to={me.data ? HOME_OF[me.data.role] : '/login'} replace />;
}

function NotFound() {
  const { t } = useTranslation();
  return (
    <main id="main" className="page page--message">
      <p>{t('common.notFound')}</p>
      <Link to="/">{t('common.goHome')}</Link>
    </main>
  );
}

/** When any API call answers 401 (the session expired), forget the user: the guards send them to 로그인. */
function SessionWatch() {
  const client = useQueryClient();
  useEffect(() => {
    setUnauthenticatedHandler((code) => {
      if (code === 'SESSION_EXPIRED') markSignedOut('idle');
      client.setQueryData(keys.me, null);
    });
    return () => setUnauthenticatedHandler(null);
  }, [client]);
  return null;
}

export function App() {
  const { t } = useTranslation();
  useEffect(() => {
    document.title = t('app.title');
  }, [t]);
  return (
    <BrowserRouter>
      <SessionWatch />
      <Routes>
        <Route path="/" element={<Home />} />
        <Route path="/login" element={<SignInPage />} />
        {/* 만족도 조사 (issue #15): the citizen's page, no sign-in. */}
        <Route path="/s/:token" element={<PublicSurveyPage />} />
        <Route path="/p/:pollId" element={<PublicPollPage />} />
        <Route path="/agent" element={<Protected area="agent"><AgentDesk /></Protected>} />
        <Route path="/official" element={<Protected area="official"><OfficialInbox /></Protected>} />
        <Route path="/supervisor" element={<Protected area="supervisor"><SupervisorOverview /></Protected>} />
        <Route path="/supervisor/wallboard" element={<Protected area="supervisor"><WallboardPage /></Protected>} />
        <Route path="/supervisor/staffing" element={<Protected area="supervisor"><Suspense fallback={<Loading />}><StaffingPage /></Suspense></Protected>} />
        <Route path="/supervisor/protection" element={<Protected area="supervisor"><ProtectionPage /></Protected>} />
        <Route path="/supervisor/rerouting" element={<Protected area="supervisor"><HandOffReroutingPage /></Protected>} />
        <Route path="/supervisor/overdue" element={<Protected area="supervisor"><HandOffOverduePage /></Protected>} />
        <Route path="/supervisor/surveys" element={<Protected area="supervisor"><SurveysPage /></Protected>} />
        <Route path="/supervisor/recordings" element={<Protected area="supervisor"><Suspense fallback={<Loading />}><RecordingsPage /></Suspense></Protected>} />
        <Route path="/admin" element={<Protected area="admin"><AdminPage /></Protected>} />
        <Route path="/admin/notifications" element={<Protected area="admin"><NotificationsPage /></Protected>} />
        <Route path="/admin/directory" element={<Protected area="admin"><DirectoryPage /></Protected>} />
        <Route path="/admin/kb-search" element={<Protected area="kbOwner"><KbSearchPage /></Protected>} />
        <Route path="/admin/connectors" element={<Protected area="admin"><ConnectorsPage /></Protected>} />
        <Route path="/admin/org" element={<Protected area="admin"><OrgEditorPage /></Protected>} />
        <Route path="/kb/articles" element={<Protected area="kbEditor"><ArticleEditorPage /></Protected>} />
        <Route path="/cases" element={<Protected area="cases"><CaseSearchPage /></Protected>} />
        <Route path="/stats" element={<Protected area="statistics"><Suspense fallback={<Loading />}><StatsPage /></Suspense></Protected>} />
        <Route path="/stats/monthly" element={<Protected area="supervisor"><Suspense fallback={<Loading />}><MonthlyReportPage /></Suspense></Protected>} />
        <Route path="/security" element={<Protected area="security"><SecurityPageOfMe /></Protected>} />
        <Route path="*" element={<NotFound />} />
      </Routes>
    </BrowserRouter>
  );
}
