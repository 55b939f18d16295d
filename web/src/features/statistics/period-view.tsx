import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { ByPeriodReport, StatsTotals } from '../../../../core/contracts/statistics';
import { EChart, type ChartOption } from './echart';
import { clock, count, pct, periodText } from './stats-format';

/** A series bucket's label: "09:00" for the hours of one day ("11-05 09:00" over days), "11-05" for days, the key otherwise. */
export function bucketLabel(key: string, granularity: ByPeriodReport['granularity'], isOneDay: boolean): string {
  if (granularity === 'hour') return `${isOneDay ? '' : `${key.slice(5, 10)} `}${key.slice(11)}:00`;
  if (granularity === 'day' || granularity === 'week') return key.slice(5);
  return key;
}

/** Offered and answered as bars, service level and 직접처리율 as lines on a 0–100 % axis. */
export function seriesChartOption(r: ByPeriodReport, l: { offered: string; answered: string; serviceLevel: string; direct: string }): ChartOption {
  const rate = (v: number | null) => (v === null ? null : Math.round(v * 1000) / 10);
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 8, right: 8, top: 34, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: r.series.map((s) => bucketLabel(s.key, r.granularity, r.period.fromDay === r.period.toDay)) },
    yAxis: [
      { type: 'value', minInterval: 1 },
      { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' }, splitLine: { show: false } },
    ],
    series: [
      { name: l.offered, type: 'bar', data: r.series.map((s) => s.totals.offered), barMaxWidth: 18 },
      { name: l.answered, type: 'bar', data: r.series.map((s) => s.totals.answered), barMaxWidth: 18 },
      { name: l.serviceLevel, type: 'line', yAxisIndex: 1, data: r.series.map((s) => rate(s.totals.serviceLevel)), connectNulls: true, symbolSize: 5 },
      { name: l.direct, type: 'line', yAxisIndex: 1, data: r.series.map((s) => rate(s.totals.directResolutionRate)), connectNulls: true, symbolSize: 5 },
    ],
  };
}

/** The weekday × hour heat map of offered calls (rows Monday … Sunday, columns 0–23 h KST). */
export function heatMapOption(r: ByPeriodReport, weekdays: readonly string[]): ChartOption {
  const data: Array<[number, number, number]> = [];
  let max = 1;
  r.heatMap.forEach((row, d) =>
    row.forEach((v, h) => {
      data.push([h, d, v]);
      max = Math.max(max, v);
    }),
  );
  return {
    tooltip: { position: 'top' },
    grid: { left: 8, right: 8, top: 8, bottom: 44, containLabel: true },
    xAxis: { type: 'category', data: Array.from({ length: 24 }, (_, h) => String(h)), splitArea: { show: true } },
    yAxis: { type: 'category', data: [...weekdays], inverse: true, splitArea: { show: true } },
    visualMap: { min: 0, max, calculable: false, orient: 'horizontal', left: 'center', bottom: 0, itemHeight: 120, inRange: { color: ['#f2f5fa', '#14a3a6', '#0c1f3d'] } },
    series: [{ type: 'heatmap', data, label: { show: false }, emphasis: { itemStyle: { borderColor: '#1b2431', borderWidth: 1 } } }],
  };
}

/**
 * 기간별: the period against the previous one and the same period last year, the trend (a chart and its table),
 * and the weekday × hour heat map with its table.
 */
export function PeriodView({ report }: { report: ByPeriodReport }) {
  const { t } = useTranslation();
  const weekdays = useMemo(() => t('stats.periodView.weekdays', { returnObjects: true }) as string[], [t]);
  const series = useMemo(
    () => seriesChartOption(report, { offered: t('stats.figure.offered'), answered: t('stats.figure.answered'), serviceLevel: t('stats.figure.serviceLevel'), direct: t('stats.figure.directResolutionRate') }),
    [report, t],
  );
  const heat = useMemo(() => heatMapOption(report, weekdays), [report, weekdays]);
  const rows: Array<[string, string, StatsTotals]> = [
    [t('stats.periodView.current'), periodText(report.period), report.totals.current],
    [t('stats.periodView.previous'), periodText(report.previous), report.totals.previous],
    [t('stats.periodView.lastYear'), periodText(report.lastYear), report.totals.lastYear],
  ];

  return (
    <div className="stats-view">
      <section className="panel stats-card" aria-labelledby="st-period-compare">
        <header className="panel__header">
          <h2 id="st-period-compare" className="panel__title">
            {t('stats.periodView.compare')}
          </h2>
        </header>
        <div className="stats-table-wrap">
          <table className="table stats-table">
            <thead>
              <tr>
                <th scope="col">{t('stats.periodView.which')}</th>
                <TotalsHeader />
              </tr>
            </thead>
            <tbody>
              {rows.map(([name, days, totals]) => (
                <tr key={name}>
                  <th scope="row">
                    {name}
                    <div className="muted small">{days}</div>
                  </th>
                  <TotalsCells totals={totals} />
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <div className="stats-pair">
        <section className="panel stats-card" aria-labelledby="st-period-series">
          <header className="panel__header">
            <h2 id="st-period-series" className="panel__title">
              {t('stats.periodView.series')}
              <span className="panel__title-sub">{t(`stats.bucket.${report.granularity}`)}</span>
            </h2>
          </header>
          <EChart option={series} height={300} label={t('stats.periodView.series')} />
        </section>
        <section className="panel stats-card" aria-labelledby="st-period-series-table">
          <header className="panel__header">
            <h2 id="st-period-series-table" className="panel__title">
              {t('stats.periodView.series')} · {t('stats.table')}
            </h2>
          </header>
          <div className="stats-table-wrap stats-table-wrap--tall">
            <table className="table stats-table">
              <thead>
                <tr>
                  <th scope="col">{t('stats.periodView.bucket')}</th>
                  <th scope="col" className="num">{t('stats.figure.offered')}</th>
                  <th scope="col" className="num">{t('stats.figure.answered')}</th>
                  <th scope="col" className="num">{t('stats.figure.serviceLevel')}</th>
                  <th scope="col" className="num">{t('stats.figure.directResolutionRate')}</th>
                </tr>
              </thead>
              <tbody>
                {report.series.map((s) => (
                  <tr key={s.key}>
                    <th scope="row" className="nowrap">{bucketLabel(s.key, report.granularity, report.period.fromDay === report.period.toDay)}</th>
                    <td className="num">{count(s.totals.offered)}</td>
                    <td className="num">{count(s.totals.answered)}</td>
                    <td className="num">{pct(s.totals.serviceLevel)}</td>
                    <td className="num">{pct(s.totals.directResolutionRate)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      </div>
      <section className="panel stats-card" aria-labelledby="st-period-heat">
        <header className="panel__header">
          <h2 id="st-period-heat" className="panel__title">
            {t('stats.periodView.heatMap')}
            <span className="panel__title-sub">{t('stats.periodView.heatMapHint')}</span>
          </h2>
        </header>
        <EChart option={heat} height={280} label={t('stats.periodView.heatMap')} />
        <div className="stats-table-wrap">
          <table className="table stats-table stats-heat-table">
            <thead>
              <tr>
                <th scope="col" />
                {Array.from({ length: 24 }, (_, h) => (
                  <th key={h} scope="col" className="num">
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {report.heatMap.map((row, d) => (
                <tr key={d}>
                  <th scope="row">{weekdays[d]}</th>
                  {row.map((v, h) => (
                    <td key={h} className="num">
                      {v || ''}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </div>
  );
}

function TotalsHeader() {
  const { t } = useTranslation();
  return (
    <>
      <th scope="col" className="num">{t('stats.figure.offered')}</th>
      <th scope="col" className="num">{t('stats.figure.answered')}</th>
      <th scope="col" className="num">{t('stats.figure.handled')}</th>
      <th scope="col" className="num">{t('stats.figure.serviceLevel')}</th>
      <th scope="col" className="num">{t('stats.figure.abandonmentRate')}</th>
      <th scope="col" className="num">{t('stats.figure.asa')}</th>
      <th scope="col" className="num">{t('stats.figure.aht')}</th>
      <th scope="col" className="num">{t('stats.figure.directResolutionRate')}</th>
    </>
  );
}

function TotalsCells({ totals }: { totals: StatsTotals }) {
  return (
    <>
      <td className="num">{count(totals.offered)}</td>
      <td className="num">{count(totals.answered)}</td>
      <td className="num">{count(totals.handled)}</td>
      <td className="num">{pct(totals.serviceLevel)}</td>
      <td className="num">{pct(totals.abandonmentRate)}</td>
      <td className="num">{clock(totals.asaSeconds)}</td>
      <td className="num">{clock(totals.ahtSeconds)}</td>
      <td className="num">{pct(totals.directResolutionRate)}</td>
    </>
  );
}
