import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { ByDepartmentReport } from '../../../../core/contracts/statistics';
import { Empty } from '../../components/notice';
import { useFormat } from '../../lib/use-format';
import { EChart } from './echart';
import { departmentChartOption } from './stats-charts';
import { count, hours, pct } from './stats-format';
import { StatsCard } from './stats-card';


/** 부서별: hand-offs received, answered on time, time to answer, returned, overdue now; warm transfers. */
export function DepartmentView({ report }: { report: ByDepartmentReport }) {
  const { t } = useTranslation();
  const f = useFormat();
  const option = useMemo(() => departmentChartOption(report, t('stats.dept.onTimeRate')), [report, t]);
  const withDue = report.departments.filter((d) => d.onTimeRate !== null).length;
  const rows = [...report.departments].sort((a, b) => b.received - a.received || b.overdueNow - a.overdueNow);
  return (
    <div className="stats-view">
      <StatsCard id="st-dept-chart" title={t('stats.dept.chartTitle')}>
        {withDue === 0 ? <Empty>{t('stats.dept.noDue')}</Empty> : <EChart option={option} height={Math.max(160, withDue * 30 + 40)} label={t('stats.dept.chartTitle')} />}
      </StatsCard>
      <StatsCard id="st-dept-table" title={t('stats.dept.heading')} meta={t('stats.dept.asOf', { time: f.short(report.asOf) })}>
        <div className="stats-table-wrap">
          <table className="table stats-table">
            <thead>
              <tr>
                <th scope="col">{t('stats.dept.name')}</th>
                <th scope="col" className="num">{t('stats.dept.received')}</th>
                <th scope="col" className="num">{t('stats.dept.acknowledged')}</th>
                <th scope="col" className="num">{t('stats.dept.answered')}</th>
                <th scope="col" className="num">{t('stats.dept.dueInPeriod')}</th>
                <th scope="col" className="num">{t('stats.dept.onTimeRate')}</th>
                <th scope="col" className="num">{t('stats.dept.median')}</th>
                <th scope="col" className="num">{t('stats.dept.p90')}</th>
                <th scope="col" className="num">{t('stats.dept.returnedRate')}</th>
                <th scope="col" className="num">{t('stats.dept.overdueNow')}</th>
                <th scope="col" className="num">{t('stats.dept.transfers')}</th>
                <th scope="col" className="num">{t('stats.dept.fellBack')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((d) => (
                <tr key={d.departmentId} className={d.overdueNow > 0 ? 'row--overdue' : undefined}>
                  <th scope="row" className="nowrap">{d.name}</th>
                  <td className="num">{count(d.received)}</td>
                  <td className="num">{count(d.acknowledged)}</td>
                  <td className="num">{count(d.answered)}</td>
                  <td className="num">{count(d.dueInPeriod)}</td>
                  <td className={`num${d.onTimeRate !== null && d.onTimeRate < 0.8 ? ' is-warn' : ''}`}>{pct(d.onTimeRate)}</td>
                  <td className="num">{d.medianHoursToAnswer === null ? '–' : t('stats.dept.hours', { value: hours(d.medianHoursToAnswer) })}</td>
                  <td className="num">{d.p90HoursToAnswer === null ? '–' : t('stats.dept.hours', { value: hours(d.p90HoursToAnswer) })}</td>
                  <td className="num">{pct(d.returnedRate)}</td>
                  <td className={`num${d.overdueNow > 0 ? ' is-danger' : ''}`}>{count(d.overdueNow)}</td>
                  <td className="num">
                    {count(d.transfers.connected)}/{count(d.transfers.attempted)}
                    {d.transfers.acceptedRate !== null && <div className="muted small">{pct(d.transfers.acceptedRate)}</div>}
                  </td>
                  <td className="num">{count(d.transfers.fellBack)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </StatsCard>
    </div>
  );
}
