import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { ByAgentReport } from '../../../../core/contracts/statistics';
import { Empty } from '../../components/notice';
import { EChart } from './echart';
import { agentChartOption } from './stats-charts';
import { clock, count, pct } from './stats-format';
import { StatsCard } from './stats-card';


/** 상담사별 (an agent sees only their own line): contacts, AHT, ACW, 직접처리율, occupancy, not-ready time by reason. */
export function AgentView({ report, isOwn }: { report: ByAgentReport; isOwn: boolean }) {
  const { t } = useTranslation();
  const option = useMemo(() => agentChartOption(report, { contacts: t('stats.agent.contacts'), resolved: t('stats.agent.resolvedRate') }), [report, t]);
  const reasons = [...new Set(report.agents.flatMap((a) => Object.keys(a.notReadySeconds)))].sort();
  const total = report.agents.reduce((s, a) => s + a.contacts, 0);
  return (
    <div className="stats-view">
      {!isOwn && (
        <StatsCard id="st-agent-chart" title={t('stats.agent.chartTitle')}>
          {total === 0 ? <Empty>{t('stats.noData')}</Empty> : <EChart option={option} height={300} label={t('stats.agent.chartTitle')} />}
        </StatsCard>
      )}
      <StatsCard id="st-agent-table" title={isOwn ? t('stats.agent.own') : t('stats.agent.heading')}>
        <div className="stats-table-wrap">
          <table className="table stats-table">
            <thead>
              <tr>
                <th scope="col">{t('stats.agent.name')}</th>
                <th scope="col" className="num">{t('stats.agent.contacts')}</th>
                <th scope="col" className="num">{t('stats.agent.aht')}</th>
                <th scope="col" className="num">{t('stats.agent.acw')}</th>
                <th scope="col" className="num">{t('stats.agent.resolvedRate')}</th>
                <th scope="col" className="num">{t('stats.agent.occupancy')}</th>
                {reasons.map((r) => (
                  <th key={r} scope="col" className="num">
                    {t('stats.agent.notReady')}: {t(`acd.reason.${r}` as 'acd.reason.break', { defaultValue: r })}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {report.agents.map((a) => (
                <tr key={a.agentId}>
                  <th scope="row" className="nowrap">{a.name}</th>
                  <td className="num">{count(a.contacts)}</td>
                  <td className="num">{clock(a.ahtSeconds)}</td>
                  <td className="num">{clock(a.averageAfterCallWorkSeconds)}</td>
                  <td className="num">{pct(a.resolvedRate)}</td>
                  <td className={`num${a.occupancy !== null && a.occupancy > 0.85 ? ' is-warn' : ''}`}>{pct(a.occupancy)}</td>
                  {reasons.map((r) => (
                    <td key={r} className="num">
                      {clock(a.notReadySeconds[r] ?? 0)}
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
