import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import type { StatsTotals } from '../../../../core/contracts/statistics';
import { ErrorNotice, Loading } from '../../components/notice';
import { EChart } from '../../features/statistics/echart';
import { seriesChartOption, taskChartOption } from '../../features/statistics/stats-charts';
import { useStatsReport } from '../../features/statistics/stats-api';
import { clock, count, pct, periodText } from '../../features/statistics/stats-format';
import type { StatsFilters } from '../../features/statistics/stats-query';
import { kstToday } from '../../lib/kst-day';
import { useFormat, useNow } from '../../lib/use-format';
import '../../features/statistics/statistics.css';

const CITY_KEY = 'onecall.stats.city';
const MONTH_RE = /^(\d{4})-(0[1-9]|1[0-2])$/;

function storedCity(fallback: string): string {
  try {
    return localStorage.getItem(CITY_KEY) || fallback;
  } catch {
    return fallback;
  }
}

/**
 * 월간 보고서 (issue #12 §2): one month on A4 portrait for the mayor: the headline figures against the previous month
 * and the same month last year, the daily trend, 분야별 contacts and the top tasks, the department table, the
 * definitions. The screen shows the sheet as it prints (인쇄 = the browser's print, to paper or PDF).
 */
export function MonthlyReportPage() {
  const { t } = useTranslation();
  const f = useFormat();
  const now = useNow(60_000);
  const today = kstToday(now);
  const [params, setParams] = useSearchParams();
  const asked = params.get('month') ?? '';
  const month = MONTH_RE.test(asked) && asked <= today.slice(0, 7) ? asked : today.slice(0, 7);
  const filters: StatsFilters = useMemo(() => ({ view: 'period', period: 'month', date: `${month}-01`, granularity: 'day' }), [month]);
  const [city, setCity] = useState(() => storedCity(t('stats.monthly.cityDefault')));
  useEffect(() => {
    try {
      localStorage.setItem(CITY_KEY, city);
    } catch {
      // private mode: this page only
    }
  }, [city]);

  const period = useStatsReport('by-period', filters);
  const headline = useStatsReport('headline', filters);
  const service = useStatsReport('service', filters);
  const tasks = useStatsReport('by-task', filters);
  const departments = useStatsReport('by-department', filters);
  const all = [period, headline, service, tasks, departments];
  const error = all.find((q) => q.error)?.error;
  const ready = all.every((q) => q.data);

  const trend = useMemo(
    () =>
      period.data &&
      seriesChartOption(period.data, { offered: t('stats.figure.offered'), answered: t('stats.figure.answered'), serviceLevel: t('stats.figure.serviceLevel'), direct: t('stats.figure.directResolutionRate') }),
    [period.data, t],
  );
  const fields = useMemo(() => tasks.data && taskChartOption(tasks.data, { current: t('stats.task.current'), previous: t('stats.task.previous') }), [tasks.data, t]);
  const [y, m] = month.split('-');
  const title = t('stats.monthly.title', { city });

  useEffect(() => {
    document.title = `${title} ${month}`;
  }, [title, month]);

  const figureRows: Array<[string, (x: StatsTotals) => string]> = [
    [t('stats.figure.offered'), (x) => count(x.offered)],
    [t('stats.figure.answered'), (x) => count(x.answered)],
    [t('stats.figure.handled'), (x) => count(x.handled)],
    [t('stats.figure.serviceLevel'), (x) => pct(x.serviceLevel)],
    [t('stats.figure.abandonmentRate'), (x) => pct(x.abandonmentRate)],
    [t('stats.figure.asa'), (x) => clock(x.asaSeconds)],
    [t('stats.figure.aht'), (x) => clock(x.ahtSeconds)],
    [t('stats.figure.directResolutionRate'), (x) => pct(x.directResolutionRate)],
  ];

  return (
    <main id="main" className="page monthly">
      <div className="monthly__controls no-print">
        <Link to={`/stats?view=period&period=month&date=${month}-01`} className="btn btn--small btn--ghost">
          {t('stats.monthly.back')}
        </Link>
        <label className="stats-filters__field">
          <span>{t('stats.monthly.month')}</span>
          <input type="month" className="input input--small" value={month} max={today.slice(0, 7)} onChange={(e) => MONTH_RE.test(e.target.value) && setParams({ month: e.target.value })} />
        </label>
        <label className="stats-filters__field">
          <span>{t('stats.monthly.city')}</span>
          <input type="text" className="input input--small" value={city} maxLength={40} onChange={(e) => setCity(e.target.value)} />
        </label>
        <button type="button" className="btn btn--primary btn--small" onClick={() => window.print()} disabled={!ready}>
          {t('stats.monthly.print')}
        </button>
      </div>
      <ErrorNotice error={error} />
      {!ready && !error && <Loading />}
      {ready && period.data && headline.data && service.data && tasks.data && departments.data && (
        <article className="monthly__sheet" aria-label={title}>
          <header className="monthly__head">
            <p className="monthly__kicker">{t('stats.monthly.heading')}</p>
            <h1 className="monthly__title">{title}</h1>
            <p className="monthly__period">
              {f.lang === 'ko' ? `${y}년 ${Number(m)}월` : month} ({periodText(period.data.period)})
            </p>
            {period.data.period.toDay >= today && <p className="monthly__partial">{t('stats.monthly.partial', { day: today })}</p>}
          </header>

          <section className="monthly__section" aria-labelledby="mr-summary">
            <h2 id="mr-summary">{t('stats.monthly.summary')}</h2>
            <div className="monthly__kpis">
              <div className="monthly__kpi">
                <span>{t('stats.headline.directResolution')}</span>
                <strong>{pct(headline.data.directResolutionRate)}</strong>
                <small>
                  {t('stats.headline.target', { rate: pct(headline.data.directResolutionTarget, 0) })}
                  {headline.data.meetsTarget !== null && ` · ${headline.data.meetsTarget ? t('stats.headline.meets') : t('stats.headline.misses')}`}
                </small>
              </div>
              <div className="monthly__kpi">
                <span>{t('stats.headline.fcr')}</span>
                <strong>{pct(headline.data.fcr.rate)}</strong>
                <small>{headline.data.fcr.isFinal ? t('stats.headline.fcrHint', { days: headline.data.fcr.windowDays }) : t('stats.headline.fcrProvisional', { days: headline.data.fcr.windowDays })}</small>
              </div>
              <div className="monthly__kpi">
                <span>{t('stats.service.serviceLevel', { seconds: service.data.serviceLevelSeconds })}</span>
                <strong>{pct(service.data.serviceLevel)}</strong>
                <small>
                  {t('stats.service.allCalls')} {pct(service.data.allCalls.serviceLevel)}
                </small>
              </div>
              <div className="monthly__kpi">
                <span>{t('stats.figure.offered')}</span>
                <strong>{count(service.data.offered)}</strong>
                <small>
                  {t('stats.service.callbacks')} {count(service.data.callbacks.requested)} · {t('stats.service.afterHours')} {count(service.data.afterHours)}
                </small>
              </div>
            </div>
            <table className="monthly__table">
              <thead>
                <tr>
                  <th scope="col">{t('stats.service.figure')}</th>
                  <th scope="col" className="num">{t('stats.periodView.current')}</th>
                  <th scope="col" className="num">{t('stats.periodView.previous')}</th>
                  <th scope="col" className="num">{t('stats.periodView.lastYear')}</th>
                </tr>
              </thead>
              <tbody>
                {figureRows.map(([name, show]) => (
                  <tr key={name}>
                    <th scope="row">{name}</th>
                    <td className="num">{show(period.data.totals.current)}</td>
                    <td className="num">{show(period.data.totals.previous)}</td>
                    <td className="num">{show(period.data.totals.lastYear)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>

          <section className="monthly__section" aria-labelledby="mr-trend">
            <h2 id="mr-trend">{t('stats.monthly.trend')}</h2>
            {trend && <EChart option={trend} height={230} label={t('stats.monthly.trend')} print />}
          </section>

          <section className="monthly__section monthly__two" aria-labelledby="mr-fields">
            <div>
              <h2 id="mr-fields">{t('stats.monthly.fields')}</h2>
              {fields && <EChart option={fields} height={Math.max(180, Math.min(tasks.data.rows.filter((x) => x.contacts > 0 || x.previousContacts > 0).length, 12) * 24 + 50)} label={t('stats.monthly.fields')} print />}
            </div>
            <div>
              <h2>{t('stats.monthly.topTasks')}</h2>
              <table className="monthly__table">
                <thead>
                  <tr>
                    <th scope="col">{t('stats.monthly.rank')}</th>
                    <th scope="col">{t('stats.task.category')}</th>
                    <th scope="col" className="num">{t('stats.task.contacts')}</th>
                  </tr>
                </thead>
                <tbody>
                  {tasks.data.top.map((x, i) => (
                    <tr key={x.categoryId}>
                      <td>{i + 1}</td>
                      <td>{x.path}</td>
                      <td className="num">{count(x.contacts)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>

          <section className="monthly__section" aria-labelledby="mr-depts">
            <h2 id="mr-depts">{t('stats.monthly.departments')}</h2>
            <table className="monthly__table">
              <thead>
                <tr>
                  <th scope="col">{t('stats.dept.name')}</th>
                  <th scope="col" className="num">{t('stats.dept.received')}</th>
                  <th scope="col" className="num">{t('stats.dept.answered')}</th>
                  <th scope="col" className="num">{t('stats.dept.onTimeRate')}</th>
                  <th scope="col" className="num">{t('stats.dept.median')}</th>
                  <th scope="col" className="num">{t('stats.dept.returnedRate')}</th>
                  <th scope="col" className="num">{t('stats.dept.overdueNow')}</th>
                </tr>
              </thead>
              <tbody>
                {!departments.data.departments.some((d) => d.received > 0 || d.overdueNow > 0) && (
                  <tr>
                    <td colSpan={7}>{t('stats.monthly.noHandOffs')}</td>
                  </tr>
                )}
                {departments.data.departments
                  .filter((d) => d.received > 0 || d.overdueNow > 0)
                  .sort((a, b) => b.received - a.received)
                  .map((d) => (
                    <tr key={d.departmentId}>
                      <th scope="row">{d.name}</th>
                      <td className="num">{count(d.received)}</td>
                      <td className="num">{count(d.answered)}</td>
                      <td className="num">{pct(d.onTimeRate)}</td>
                      <td className="num">{d.medianHoursToAnswer === null ? '–' : t('stats.dept.hours', { value: d.medianHoursToAnswer.toFixed(1) })}</td>
                      <td className="num">{pct(d.returnedRate)}</td>
                      <td className="num">{count(d.overdueNow)}</td>
                    </tr>
                  ))}
              </tbody>
            </table>
          </section>

          <footer className="monthly__foot">
            <p>{t('stats.monthly.definitions', { seconds: service.data.serviceLevelSeconds })}</p>
            <p>{t('stats.monthly.madeAt', { time: f.dateTime(now.toISOString()) })}</p>
          </footer>
        </article>
      )}
    </main>
  );
}
