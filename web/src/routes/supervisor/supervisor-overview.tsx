import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useHandOffCounts, useHandOffs, useRecentCases } from '../../api/queries';
import { DueTime, HandOffStatusBadge, OutcomeBadge } from '../../components/badges';
import { Empty, ErrorNotice, Loading } from '../../components/notice';
import { CaseDetailDialog } from '../../features/cases/case-detail';
import { ExportCasesButton } from '../../features/privacy/export-cases';
import { RisingBanner } from '../../features/statistics/rising-banner';
import { urgencyOf } from '../../lib/format';
import { useFormat, useNow } from '../../lib/use-format';
import { sortByUrgency } from '../../lib/handoff-order';

const RECENT = 50;

/**
 * 운영 현황: every department's open hand-offs (overdue first) and the newest cases, each opening its detail. The
 * tiles are counted by the server (GET /api/handoffs/counts): the list below shows the most urgent 200 at most.
 */
export function SupervisorOverview() {
  const { t } = useTranslation();
  const f = useFormat();
  const now = useNow();
  const handOffs = useHandOffs('open');
  const counts = useHandOffCounts();
  const cases = useRecentCases(RECENT);
  const [caseId, setCaseId] = useState<string | null>(null);

  const open = useMemo(() => sortByUrgency(handOffs.data?.items ?? []), [handOffs.data]);
  const overdue = counts.data?.overdue ?? 0;
  const dueToday = counts.data?.dueToday ?? 0;
  const recent = cases.data?.items ?? [];
  const resolved = recent.filter((c) => c.outcome === 'resolved').length;
  const rate = recent.length > 0 ? Math.round((resolved / recent.length) * 100) : null;

  return (
    <main id="main" className="page">
      <h1 className="page__title">{t('supervisor.heading')}</h1>
      <ExportCasesButton />
      <RisingBanner />
      <div className="tiles">
        <div className="tile">
          <span className="tile__label">{t('supervisor.openTotal')}</span>
          <span className="tile__value">{counts.data ? counts.data.open : '–'}</span>
        </div>
        <div className={`tile${overdue > 0 ? ' tile--danger' : ''}`}>
          <span className="tile__label">{t('supervisor.overdue')}</span>
          <span className="tile__value">{counts.data ? overdue : '–'}</span>
        </div>
        <div className={`tile${dueToday > 0 ? ' tile--warn' : ''}`}>
          <span className="tile__label">{t('supervisor.dueToday')}</span>
          <span className="tile__value">{counts.data ? dueToday : '–'}</span>
        </div>
        <div className="tile">
          <span className="tile__label">{t('supervisor.resolvedRate')}</span>
          <span className="tile__value">{rate === null ? '–' : `${rate}%`}</span>
          <span className="tile__hint">{t('supervisor.resolvedRateHint', { count: recent.length })}</span>
        </div>
      </div>

      <div className="page__grid">
        <section className="panel" aria-labelledby="sv-open">
          <header className="panel__header">
            <h2 id="sv-open" className="panel__title">
              {t('supervisor.openHandOffs')}
            </h2>
            <span className="panel__meta">
              {counts.data && counts.data.open > open.length
                ? t('supervisor.shownOf', { shown: open.length, count: counts.data.open })
                : t('inbox.count', { count: counts.data?.open ?? open.length })}
            </span>
          </header>
          <div className="panel__scroll">
            {handOffs.isPending && <Loading />}
            <ErrorNotice error={handOffs.error} onRetry={() => void handOffs.refetch()} />
            {handOffs.data && open.length === 0 && <Empty>{t('supervisor.noOpen')}</Empty>}
            {open.length > 0 && (
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">{t('inbox.status')}</th>
                    <th scope="col">{t('inbox.due')}</th>
                    <th scope="col">{t('inbox.department')}</th>
                    <th scope="col">{t('inbox.summary')}</th>
                  </tr>
                </thead>
                <tbody>
                  {open.map((h) => (
                    <tr key={h.id} className={`row--${urgencyOf(h.dueAt, now, h.isOverdue)}`}>
                      <td>
                        <HandOffStatusBadge status={h.status} />
                      </td>
                      <td className="nowrap">
                        <DueTime dueAt={h.dueAt} now={now} isOpen isOverdue={h.isOverdue} compact />
                      </td>
                      <td className="nowrap">
                        {h.departmentName}
                        <div className="muted small">{f.complaintType(h.complaintType, false)}</div>
                      </td>
                      <td>
                        <button type="button" className="link-btn" onClick={() => setCaseId(h.caseId)}>
                          {h.summary}
                        </button>
                        <div className="muted small">
                          {h.citizenName ?? t('caller.unknown')} · {h.caseNumber}
                        </div>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </div>
        </section>

        <section className="panel" aria-labelledby="sv-cases">
          <header className="panel__header">
            <h2 id="sv-cases" className="panel__title">
              {t('supervisor.recentCases')}
            </h2>
          </header>
          <div className="panel__scroll">
            {cases.isPending && <Loading />}
            <ErrorNotice error={cases.error} onRetry={() => void cases.refetch()} />
            {cases.data && recent.length === 0 && <Empty>{t('supervisor.noCases')}</Empty>}
            {recent.length > 0 && (
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">{t('supervisor.when')}</th>
                    <th scope="col">{t('inbox.summary')}</th>
                    <th scope="col">{t('inbox.agent')}</th>
                    <th scope="col">{t('caseDetail.outcome')}</th>
                  </tr>
                </thead>
                <tbody>
                  {recent.map((c) => (
                    <tr key={c.id}>
                      <td className="nowrap">{f.short(c.createdAt)}</td>
                      <td>
                        <button type="button" className="link-btn" onClick={() => setCaseId(c.id)}>
                          {c.summary}
                        </button>
                        <div className="muted small">{c.categoryPath}</div>
                      </td>
                      <td className="nowrap">{c.agentName}</td>
                      <td className="nowrap">
                        <OutcomeBadge outcome={c.outcome} />
                        {c.handOff && (
                          <div className="small">
                            <HandOffStatusBadge status={c.handOff.status} />
                          </div>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </div>
        </section>
      </div>
      <CaseDetailDialog caseId={caseId} onClose={() => setCaseId(null)} />
    </main>
  );
}
