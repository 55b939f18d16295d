import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { ByPeriodReport, StatsTotals } from '../../../../core/contracts/statistics';
import { EChart } from './echart';
import { bucketLabel, heatMapOption, seriesChartOption } from './stats-charts';
import { clock, count, pct, periodText } from './stats-format';
import { StatsCard } from './stats-card';




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
      <StatsCard id="st-period-compare" title={t('stats.periodView.compare')}>
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
      </StatsCard>
      <div className="stats-pair">
        <StatsCard id="st-period-series" title={t('stats.periodView.series')} sub={t(`stats.bucket.${report.granularity}`)}>
          <EChart option={series} height={300} label={t('stats.periodView.series')} />
        </StatsCard>
        <StatsCard id="st-period-series-table" title={<>{t('stats.periodView.series')} · {t('stats.table')}</>}>
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
        </StatsCard>
      </div>
      <StatsCard id="st-period-heat" title={t('stats.periodView.heatMap')} sub={t('stats.periodView.heatMapHint')}>
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
      </StatsCard>
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
