import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { useMe } from '../../api/queries';
import { ErrorNotice, Loading } from '../../components/notice';
import { AgentView } from '../../features/statistics/agent-view';
import { DepartmentView } from '../../features/statistics/department-view';
import { HeadlineTiles } from '../../features/statistics/headline-tiles';
import { PeriodView } from '../../features/statistics/period-view';
import { ProtectionView } from '../../features/statistics/protection-view';
import { SATISFACTION_VIEWS } from '../../features/statistics/satisfaction-format';
import { SatisfactionPanel } from '../../features/statistics/satisfaction-panel';
import { ServiceView } from '../../features/statistics/service-view';
import { useStatsReport } from '../../features/statistics/stats-api';
import { StatsExportButtons } from '../../features/statistics/stats-export-buttons';
import { StatsFiltersBar } from '../../features/statistics/stats-filters';
import { periodText } from '../../features/statistics/stats-format';
import { filterProblem, readFilters, REPORT_OF, viewsFor, withCategory, withView, writeFilters, type StatsFilters } from '../../features/statistics/stats-query';
import { TaskView } from '../../features/statistics/task-view';
import { kstToday } from '../../lib/kst-day';
import { useNow } from '../../lib/use-format';
import '../../features/statistics/statistics.css';

/**
 * 통계 (issue #12 §1–2): 업무별, 기간별, 부서별, 상담사별, 서비스 수준 and the headline, for the period in the URL.
 * Supervisors and admins see every tab; a department head 업무별 and 부서별 of their own department; an agent their
 * own figures. Every chart has its table; every report can be taken away as XLSX or CSV.
 */
export function StatsPage() {
  const { t } = useTranslation();
  const me = useMe();
  const role = me.data?.role ?? 'agent';
  const views = viewsFor(role);
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => readFilters(params, views), [params, views]);
  const today = kstToday(useNow(60_000));
  const problem = filterProblem(filters, today);
  const isCentre = role === 'supervisor' || role === 'admin';
  const report = REPORT_OF[filters.view];
  const setFilters = (f: StatsFilters) => setParams(writeFilters(f));

  const ok = problem === null;
  const task = useStatsReport('by-task', filters, ok && filters.view === 'task');
  const period = useStatsReport('by-period', filters, ok && filters.view === 'period');
  const department = useStatsReport('by-department', filters, ok && filters.view === 'department');
  const agent = useStatsReport('by-agent', filters, ok && filters.view === 'agent');
  const service = useStatsReport('service', filters, ok && filters.view === 'service');
  const protection = useStatsReport('protection', filters, ok && filters.view === 'protection');
  const headline = useStatsReport('headline', filters, ok && isCentre);
  const current = { task, period, department, agent, service, protection }[filters.view];
  const shownPeriod = current.data?.period;

  return (
    <main id="main" className="page stats">
      <header className="stats__header">
        <h1 className="page__title">
          {t('stats.heading')}
          {shownPeriod && <span className="page__note">{t('stats.periodLine', { period: periodText(shownPeriod) })}</span>}
        </h1>
        {isCentre && (
          <Link className="btn btn--small btn--ghost" to={`/stats/monthly?month=${(filters.date ?? filters.to ?? today).slice(0, 7)}`}>
            {t('stats.monthlyLink')}
          </Link>
        )}
      </header>
      <p className="stats__lead">{t('stats.lead')}</p>

      {views.length > 1 && (
        <nav className="stats-tabs" aria-label={t('stats.viewsLabel')}>
          {views.map((v) => (
            <Link
              key={v}
              to={`?${writeFilters(withView(filters, v)).toString()}`}
              className={`stats-tabs__tab${filters.view === v ? ' is-active' : ''}`}
              aria-current={filters.view === v ? 'page' : undefined}
            >
              {t(`stats.views.${v}`)}
            </Link>
          ))}
        </nav>
      )}

      <div className="stats__bar">
        <StatsFiltersBar
          filters={filters}
          today={today}
          problem={problem}
          showDepartment={isCentre && (filters.view === 'task' || filters.view === 'department')}
          showGranularity={filters.view === 'period'}
          onChange={setFilters}
        />
        {!(filters.view === 'agent' && !isCentre) && <StatsExportButtons report={report} filters={filters} what={t(`stats.views.${filters.view}`)} disabled={!ok} />}
      </div>

      {isCentre && ok && <HeadlineTiles headline={headline.data} totals={period.data?.totals.current} />}

      {ok && (
        <>
          {current.isPending && <Loading />}
          <ErrorNotice error={current.error} onRetry={() => void current.refetch()} />
          <div className={current.isPlaceholderData ? 'stats__body is-stale' : 'stats__body'} aria-busy={current.isFetching}>
            {filters.view === 'task' && task.data && <TaskView report={task.data} hideEmpty={!isCentre || Boolean(filters.department)} onDrill={(category) => setFilters(withCategory(filters, category))} />}
            {filters.view === 'period' && period.data && <PeriodView report={period.data} />}
            {filters.view === 'department' && department.data && <DepartmentView report={department.data} />}
            {filters.view === 'agent' && agent.data && <AgentView report={agent.data} isOwn={role === 'agent'} />}
            {filters.view === 'service' && service.data && <ServiceView report={service.data} />}
            {filters.view === 'protection' && protection.data && <ProtectionView report={protection.data} isOwn={role === 'agent'} />}
          </div>
          {isCentre && shownPeriod && SATISFACTION_VIEWS.has(filters.view) && <SatisfactionPanel period={shownPeriod} byDepartment={filters.view === 'department'} departmentId={filters.view === 'task' || filters.view === 'department' ? filters.department : undefined} />}
        </>
      )}
      {me.error && <ErrorNotice error={me.error} />}
    </main>
  );
}
