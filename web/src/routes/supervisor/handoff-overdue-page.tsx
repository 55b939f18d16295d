import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Empty, ErrorNotice, Loading } from '../../components/notice';
import { useOverdueByDepartment } from '../../features/handoffs/handoff-queries';
import '../../features/handoffs/handoffs.css';
import { useFormat, useNow } from '../../lib/use-format';

/**
 * 기한 경과 (issue #11 §3): open hand-offs past their legal deadline, by department (most first), with the head who
 * was told. Each row opens the hand-off in the inbox, where the supervisor can return it for re-routing.
 */
export function HandOffOverduePage() {
  const { t } = useTranslation();
  const f = useFormat();
  const now = useNow();
  const overdue = useOverdueByDepartment();
  return (
    <main id="main" className="queue-page">
      <header>
        <h1 className="panel__title">
          {t('handoffLife.overdue.title')}
          {overdue.data && <span className="panel__title-sub">{t('handoffLife.overdue.total', { count: overdue.data.total })}</span>}
        </h1>
        <p className="queue-page__lead">{t('handoffLife.overdue.lead')}</p>
      </header>
      {overdue.isPending && <Loading />}
      <ErrorNotice error={overdue.error} onRetry={() => void overdue.refetch()} />
      {overdue.data && overdue.data.departments.length === 0 && <Empty>{t('handoffLife.overdue.empty')}</Empty>}
      {overdue.data?.departments.map((d) => (
        <section key={d.departmentId} className="overdue-dept" aria-labelledby={`overdue-${d.departmentId}`}>
          <div className="overdue-dept__head">
            <h2 id={`overdue-${d.departmentId}`}>{d.departmentName}</h2>
            <span className="count-pill count-pill--danger">{t('handoffLife.overdue.count', { count: d.overdue })}</span>
            <span className="muted">
              {t('handoffLife.overdue.head')}: {d.headName ?? t('handoffLife.overdue.noHead')}
            </span>
            <span className="muted">
              {t('handoffLife.overdue.oldest')}: {f.dateTime(d.oldestDueAt)}
            </span>
          </div>
          <table className="overdue-table">
            <thead>
              <tr>
                <th scope="col">{t('common.caseNumber')}</th>
                <th scope="col">{t('handoffLife.overdue.summary')}</th>
                <th scope="col">{t('handoffLife.rerouting.due')}</th>
                <th scope="col">{t('handoffLife.overdue.assignee')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('handoffLife.overdue.open')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {d.items.map((i) => (
                <tr key={i.id}>
                  <td>{i.caseNumber}</td>
                  <td>
                    {i.summary}
                    <div className="muted">{i.categoryPath}</div>
                  </td>
                  <td className="is-overdue">
                    {f.dateTime(i.dueAt)}
                    <div>{f.remaining(i.dueAt, now)}</div>
                  </td>
                  <td>{i.assigneeName ?? '—'}</td>
                  <td>
                    <Link to={`/official?filter=open&id=${encodeURIComponent(i.id)}`}>{t('handoffLife.overdue.open')}</Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ))}
    </main>
  );
}
