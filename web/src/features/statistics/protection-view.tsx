import { useTranslation } from 'react-i18next';
import type { ProtectionReport } from '../../../../core/contracts/protection';
import { Empty } from '../../components/notice';
import { count } from './stats-format';
import '../protection/protection.css';
import { StatsCard } from './stats-card';

/**
 * 통계 › 상담사 보호 (issue #14 §5): protection incidents by type, hour (KST), agent and caller flag; 회복, 심리상담
 * and scheduled breaks taken. An agent sees their own line only (the API answers only theirs).
 */
export function ProtectionView({ report, isOwn }: { report: ProtectionReport; isOwn: boolean }) {
  const { t } = useTranslation();
  const tot = report.totals;
  const hours = report.byHour.filter((h) => h.count > 0);
  const max = Math.max(1, ...report.byHour.map((h) => h.count));
  const keys = ['incidents', 'emergencyEnds', 'recoveryMinutes', 'counsellingRequests', 'counsellingDone', 'breaksTaken', 'breaksMissed'] as const;
  const flags = ['flagged', 'notFlagged', 'unknownCaller', 'repeatCallers', 'repeatFlaggedCallers'] as const;
  return (
    <div className="stats-view">
      <p className="stats__lead">{t('protection.report.lead')}</p>
      <StatsCard id="st-prot-totals" title={t('protection.report.tab')}>
        <dl className="prot-tiles">
          {keys.map((k) => (
            <div key={k} className="prot-tiles__tile">
              <dt>{t(`protection.report.totals.${k}`)}</dt>
              <dd>{count(Math.round(tot[k]))}</dd>
            </div>
          ))}
        </dl>
      </StatsCard>
      <div className="prot-grid">
        <StatsCard id="st-prot-type" title={t('protection.report.byType')}>
          <table className="table stats-table">
            <tbody>
              {report.byType.map((r) => (
                <tr key={r.type}>
                  <th scope="row">{t(`protection.type.${r.type}`)}</th>
                  <td className="num">{count(r.count)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </StatsCard>
        <StatsCard id="st-prot-hour" title={t('protection.report.byHour')}>
          {hours.length === 0 ? (
            <Empty>{t('protection.report.none')}</Empty>
          ) : (
            <table className="table stats-table">
              <tbody>
                {hours.map((h) => (
                  <tr key={h.hour}>
                    <th scope="row">{t('protection.report.hour', { hour: String(h.hour).padStart(2, '0') })}</th>
                    <td className="prot-bar-cell" aria-hidden="true">
                      <span className="prot-bar" style={{ width: `${(h.count / max) * 100}%` }} />
                    </td>
                    <td className="num">{count(h.count)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </StatsCard>
        {!isOwn && (
          <StatsCard id="st-prot-flag" title={t('protection.report.byFlag')}>
            <table className="table stats-table">
              <tbody>
                {flags.map((k) => (
                  <tr key={k}>
                    <th scope="row">{t(`protection.report.flag.${k}`)}</th>
                    <td className="num">{count(report.byCallerFlag[k])}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </StatsCard>
        )}
      </div>
      <StatsCard id="st-prot-agent" title={t('protection.report.byAgent')}>
        {report.byAgent.length === 0 ? (
          <Empty>{t('protection.report.none')}</Empty>
        ) : (
          <div className="stats-table-wrap">
            <table className="table stats-table">
              <thead>
                <tr>
                  <th scope="col">{t('protection.report.columns.agent')}</th>
                  <th scope="col" className="num">{t('protection.report.columns.incidents')}</th>
                  <th scope="col" className="num">{t('protection.report.columns.recovery')}</th>
                  <th scope="col" className="num">{t('protection.report.columns.counselling')}</th>
                  <th scope="col" className="num">{t('protection.report.columns.breaks')}</th>
                  <th scope="col" className="num">{t('protection.report.columns.missed')}</th>
                </tr>
              </thead>
              <tbody>
                {report.byAgent.map((a) => (
                  <tr key={a.agentId}>
                    <th scope="row" className="nowrap">{a.agentName}</th>
                    <td className="num">{count(a.incidents)}</td>
                    <td className="num">{count(Math.round(a.recoveryMinutes))}</td>
                    <td className="num">{count(a.counsellingRequests)}</td>
                    <td className="num">{count(a.breaksTaken)}</td>
                    <td className={`num${a.breaksMissed > 0 ? ' is-warn' : ''}`}>{count(a.breaksMissed)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </StatsCard>
    </div>
  );
}
