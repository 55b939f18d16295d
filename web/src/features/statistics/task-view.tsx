import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { ByTaskReport } from '../../../../core/contracts/statistics';
import { useCategories } from '../../api/queries';
import { Empty } from '../../components/notice';
import { EChart } from './echart';
import { CHART_ROWS, taskChartOption } from './stats-charts';
import { change, clock, count, pct } from './stats-format';
import { StatsCard } from './stats-card';



/**
 * 업무별: the category tree, one level at a time (분야 → 업무 → 세부). A row with children opens its level; the
 * breadcrumb goes back up. The chart and the table show the same rows; the top topics sit beside them.
 */
export function TaskView({ report, onDrill, hideEmpty }: { report: ByTaskReport; onDrill: (categoryId: string | undefined) => void; hideEmpty: boolean }) {
  const { t } = useTranslation();
  const categories = useCategories();
  const trail = useMemo(() => {
    const byId = new Map((categories.data ?? []).map((c) => [c.id, c]));
    const out: Array<{ id: string; name: string }> = [];
    let id = report.parent?.id ?? null;
    while (id) {
      const c = byId.get(id);
      if (!c) break;
      out.unshift({ id: c.id, name: c.name });
      id = c.parentId;
    }
    if (out.length === 0 && report.parent) out.push({ id: report.parent.id, name: report.parent.name });
    return out;
  }, [categories.data, report.parent]);
  const option = useMemo(() => taskChartOption(report, { current: t('stats.task.current'), previous: t('stats.task.previous') }), [report, t]);
  const total = report.rows.reduce((s, r) => s + r.contacts, 0);
  const charted = report.rows.filter((x) => x.contacts > 0 || x.previousContacts > 0).length;
  // A department's view: the other fields are rows of zeros, left out (a centre's view shows every row).
  const rows = hideEmpty ? report.rows.filter((x) => x.contacts > 0 || x.previousContacts > 0) : report.rows;

  return (
    <div className="stats-view">
      <nav className="stats-trail" aria-label={t('stats.task.breadcrumb')}>
        <ol>
          <li>
            {trail.length === 0 ? (
              <span aria-current="page">{t('stats.task.all')}</span>
            ) : (
              <button type="button" className="link-btn" onClick={() => onDrill(undefined)}>
                {t('stats.task.all')}
              </button>
            )}
          </li>
          {trail.map((c, i) => (
            <li key={c.id}>
              {i === trail.length - 1 ? (
                <span aria-current="page">{c.name}</span>
              ) : (
                <button type="button" className="link-btn" onClick={() => onDrill(c.id)}>
                  {c.name}
                </button>
              )}
            </li>
          ))}
        </ol>
      </nav>
      <div className="stats-pair">
        <StatsCard id="st-task-chart" title={t('stats.task.chartTitle')}>
          {total === 0 ? <Empty>{t('stats.noData')}</Empty> : <EChart option={option} height={Math.max(160, Math.min(charted, CHART_ROWS) * 34 + 60)} label={t('stats.task.chartTitle')} />}
        </StatsCard>
        <StatsCard id="st-task-top" title={t('stats.task.top')} meta={t('stats.task.topN', { count: report.top.length })}>
          {report.top.length === 0 ? (
            <Empty>{t('stats.noData')}</Empty>
          ) : (
            <ol className="stats-top">
              {report.top.map((x) => (
                <li key={x.categoryId}>
                  <span className="stats-top__path">{x.path}</span>
                  <span className="stats-top__count">{count(x.contacts)}</span>
                </li>
              ))}
            </ol>
          )}
        </StatsCard>
      </div>
      <StatsCard id="st-task-table" title={report.parent ? report.parent.name : t('stats.task.all')} sub={t(`stats.task.level.${String(report.parent ? report.parent.level + 1 : 1) as '1' | '2' | '3'}`)}>
        <div className="stats-table-wrap">
          <table className="table stats-table">
            <thead>
              <tr>
                <th scope="col">{t('stats.task.category')}</th>
                <th scope="col" className="num">{t('stats.task.contacts')}</th>
                <th scope="col" className="num">{t('stats.task.resolvedRate')}</th>
                <th scope="col" className="num">{t('stats.task.handedOnRate')}</th>
                <th scope="col" className="num">{t('stats.task.aht')}</th>
                <th scope="col" className="num">{t('stats.task.previous')}</th>
                <th scope="col" className="num">{t('stats.task.change')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id}>
                  <th scope="row">
                    {r.hasChildren ? (
                      <button type="button" className="link-btn" aria-label={t('stats.task.drill', { name: r.name })} onClick={() => onDrill(r.id)}>
                        {r.name} ›
                      </button>
                    ) : (
                      r.name
                    )}
                  </th>
                  <td className="num">{count(r.contacts)}</td>
                  <td className="num">{pct(r.resolvedRate)}</td>
                  <td className="num">{pct(r.handedOnRate)}</td>
                  <td className="num">{clock(r.ahtSeconds)}</td>
                  <td className="num">{count(r.previousContacts)}</td>
                  <td className={`num${r.change !== null && r.change > 0 ? ' is-up' : ''}`}>{r.change === null && r.contacts > 0 ? t('stats.task.new') : change(r.change)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {rows.length === 0 && <Empty>{t('stats.noData')}</Empty>}
        {report.unclassified > 0 && <p className="stats-note">{t('stats.task.unclassified', { count: report.unclassified })}</p>}
      </StatsCard>
    </div>
  );
}
