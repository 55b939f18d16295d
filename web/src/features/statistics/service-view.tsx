import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { ServiceReport } from '../../../../core/contracts/statistics';
import { EChart } from './echart';
import { serviceChartOption } from './stats-charts';
import { clock, count, pct } from './stats-format';
import { StatsCard } from './stats-card';



/** 서비스 수준: offered, answered, SL(T), ASA, abandonment (short abandons apart), callbacks, after hours. */
export function ServiceView({ report }: { report: ServiceReport }) {
  const { t } = useTranslation();
  const T = report.serviceLevelSeconds;
  const S = report.shortAbandonSeconds;
  const option = useMemo(
    () =>
      serviceChartOption(report, {
        standard: t('stats.service.standard'),
        allCalls: t('stats.service.allCalls'),
        names: [t('stats.service.serviceLevel', { seconds: T }), t('stats.service.answerRate'), t('stats.service.abandonmentRate')],
      }),
    [report, t, T],
  );
  const lines: Array<[string, string, string]> = [
    [t('stats.service.offered'), count(report.offered), ''],
    [t('stats.service.answered'), count(report.answered), ''],
    [t('stats.service.withinTarget', { seconds: T }), count(report.answeredWithinTarget), ''],
    [t('stats.service.abandoned', { seconds: S }), count(report.abandoned), ''],
    [t('stats.service.shortAbandoned', { seconds: S }), count(report.shortAbandoned), ''],
    [t('stats.service.serviceLevel', { seconds: T }), pct(report.serviceLevel), pct(report.allCalls.serviceLevel)],
    [t('stats.service.answerRate'), pct(report.answerRate), pct(report.allCalls.answerRate)],
    [t('stats.service.abandonmentRate'), pct(report.abandonmentRate), pct(report.allCalls.abandonmentRate)],
    [t('stats.service.asa'), clock(report.asaSeconds), clock(report.allCalls.asaSeconds)],
    [t('stats.service.callbacks'), count(report.callbacks.requested), ''],
    [t('stats.service.callbacksAnswered'), count(report.callbacks.answered), ''],
    [t('stats.service.callbacksUnanswered'), count(report.callbacks.unanswered), ''],
    [t('stats.service.callbackDelay'), clock(report.callbacks.medianDelaySeconds), ''],
    [t('stats.service.afterHours'), count(report.afterHours), ''],
  ];
  return (
    <div className="stats-pair">
      <StatsCard id="st-service-chart" title={t('stats.service.chartTitle')}>
        <EChart option={option} height={300} label={t('stats.service.chartTitle')} />
        <p className="stats-note">{t('stats.service.targetNote', { seconds: T })}</p>
      </StatsCard>
      <StatsCard id="st-service-table" title={t('stats.service.heading')}>
        <div className="stats-table-wrap">
          <table className="table stats-table">
            <thead>
              <tr>
                <th scope="col">{t('stats.service.figure')}</th>
                <th scope="col" className="num">{t('stats.service.standard')}</th>
                <th scope="col" className="num">{t('stats.service.allCalls')}</th>
              </tr>
            </thead>
            <tbody>
              {lines.map(([name, standard, all]) => (
                <tr key={name}>
                  <th scope="row">{name}</th>
                  <td className="num">{standard}</td>
                  <td className="num">{all}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </StatsCard>
    </div>
  );
}
