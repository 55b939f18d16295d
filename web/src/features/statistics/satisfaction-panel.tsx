import { useTranslation } from 'react-i18next';
import type { StatsPeriod } from '../../../../core/contracts/statistics';
import { Empty, ErrorNotice } from '../../components/notice';
import { useSurveyResults } from '../surveys/surveys-api';
import { satisfactionCells, surveyQueryOf } from './satisfaction-format';

/**
 * 만족도 beside the other figures (issue #15 §3): for the statistics period, the survey response rate, mean CSAT,
 * 만족 and 해결 shares with their 95% intervals, overall and, in 부서별, per department. The figures are the surveys
 * results API's (GET /api/surveys/results) for the same KST days and, with the 부서 filter, that department's only;
 * nothing is computed here.
 */
export function SatisfactionPanel({ period, byDepartment, departmentId }: { period: Pick<StatsPeriod, 'fromDay' | 'toDay'>; byDepartment: boolean; departmentId?: string | undefined }) {
  const { t } = useTranslation();
  const q = surveyQueryOf(period, departmentId);
  const results = useSurveyResults(q.from, q.to, q.groupBy, q.departmentId);
  const total = results.data ? satisfactionCells(results.data.total) : null;
  const cols = ['rate', 'csat', 'satisfied', 'resolved'] as const;
  return (
    <section className="panel stats-card" aria-labelledby="st-satisfaction">
      <header className="panel__header">
        <h2 id="st-satisfaction" className="panel__title">
          {t('surveys.stats.heading')}
        </h2>
        <span className="panel__meta">{t('surveys.stats.note')}</span>
      </header>
      <ErrorNotice error={results.error} onRetry={() => void results.refetch()} />
      {results.data && results.data.total.invited === 0 && <Empty>{t('surveys.stats.none')}</Empty>}
      {total && results.data && results.data.total.invited > 0 && (
        <>
          <div className="tiles stats-tiles" role="group" aria-label={t('surveys.stats.heading')}>
            <Tile label={t('surveys.stats.rate')} value={total.responseRate} hint={t('surveys.stats.answered', { n: total.answered })} />
            <Tile label={t('surveys.stats.csat')} value={total.csat} hint={t('surveys.stats.csatHint')} />
            <Tile label={t('surveys.stats.satisfied')} value={total.satisfied} hint={t('surveys.stats.ciHint')} />
            <Tile label={t('surveys.stats.resolved')} value={total.resolved} hint={t('surveys.stats.ciHint')} />
          </div>
          {byDepartment && (
            <div className="stats-table-wrap">
              <table className="table stats-table" aria-label={t('surveys.stats.byDepartment')}>
                <thead>
                  <tr>
                    <th scope="col">{t('surveys.stats.department')}</th>
                    <th scope="col" className="num">{t('surveys.stats.answeredCol')}</th>
                    {cols.map((c) => (
                      <th key={c} scope="col" className="num">
                        {t(`surveys.stats.${c}`)}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {results.data.rows.map((r) => {
                    const c = satisfactionCells(r);
                    return (
                      <tr key={r.key}>
                        <th scope="row" className="nowrap">{r.label}</th>
                        <td className="num">{c.answered}</td>
                        <td className="num">{c.responseRate}</td>
                        <td className="num">{c.csat}</td>
                        <td className="num">{c.satisfied}</td>
                        <td className="num">{c.resolved}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </section>
  );
}

function Tile({ label, value, hint }: { label: string; value: string; hint: string }) {
  return (
    <div className="tile" role="group" aria-label={label}>
      <span className="tile__label">{label}</span>
      <span className="tile__value">{value}</span>
      <span className="tile__hint">{hint}</span>
    </div>
  );
}
