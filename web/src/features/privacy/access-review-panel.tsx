import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { AccessActionSchema, type AccessRecordPage, type MonthlyReview } from '../../../../core/contracts/privacy';
import { addDays } from '../../../../core/domain/statistics';
import { api } from '../../api/client';
import { Empty, ErrorNotice, Loading } from '../../components/notice';
import { kstToday } from '../../lib/kst-day';
import { useFormat } from '../../lib/use-format';
import { ExportCasesButton } from './export-cases';

/** The KST month before this one, YYYY-MM: the month of the day before this month's 1st. */
const previousMonth = () => addDays(`${kstToday().slice(0, 8)}01`, -1).slice(0, 7);

type ReviewEvent = MonthlyReview['exports'][number];

function EventTable({ title, events }: { title: string; events: ReviewEvent[] }) {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <section className="review__section" aria-label={title}>
      <h3 className="section-title">
        {title} <span className="count-pill">{events.length}</span>
      </h3>
      {events.length === 0 ? (
        <p className="empty empty--inline">{t('privacy.none')}</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t('privacy.at')}</th>
              <th scope="col">{t('privacy.user')}</th>
              <th scope="col">{t('privacy.target')}</th>
              <th scope="col">{t('privacy.reason')}</th>
              <th scope="col">{t('privacy.result')}</th>
            </tr>
          </thead>
          <tbody>
            {events.map((e) => (
              <tr key={e.id}>
                <td>{f.dateTime(e.at)}</td>
                <td>{e.userLogin}</td>
                <td>
                  {t(`privacy.action_${e.action}`)} · {e.target}
                </td>
                <td>{e.reason ?? ''}</td>
                <td>{e.result === 'denied' ? t('privacy.denied') : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/**
 * 개인정보 접속기록 점검 (제8조②) for the privacy officer: the monthly report (volumes with unusual ones flagged,
 * night access, downloads, unmasks) with the hash-chain check, and a search of the access records.
 */
export function AccessReviewPanel() {
  const { t } = useTranslation();
  const f = useFormat();
  const [month, setMonth] = useState(previousMonth);
  const [shown, setShown] = useState(month);
  const review = useQuery({ queryKey: ['privacy', 'review', shown], queryFn: () => api<MonthlyReview>(`/api/privacy/monthly-review?month=${shown}`) });

  const [filter, setFilter] = useState({ login: '', subject: '', action: '' });
  const [applied, setApplied] = useState(filter);
  const search = useQuery({
    queryKey: ['privacy', 'records', applied],
    queryFn: () => {
      const q = new URLSearchParams({ limit: '50' });
      if (applied.login) q.set('login', applied.login);
      if (applied.subject) q.set('subject', applied.subject);
      if (applied.action) q.set('action', applied.action);
      return api<AccessRecordPage>(`/api/privacy/access-records?${q.toString()}`);
    },
  });

  const r = review.data;
  return (
    <section className="panel review" aria-labelledby="privacy-review-heading">
      <header className="panel__header">
        <h2 id="privacy-review-heading" className="panel__title">
          {t('privacy.reviewHeading')}
        </h2>
        <ExportCasesButton />
      </header>
      <div className="panel__scroll">
        <form
          className="toolbar"
          onSubmit={(e: FormEvent) => {
            e.preventDefault();
            setShown(month);
          }}
        >
          <label htmlFor="review-month">{t('privacy.reviewMonth')}</label>
          <input id="review-month" type="month" value={month} onChange={(e) => setMonth(e.target.value)} />
          <button type="submit" className="btn btn--small">
            {t('privacy.reviewLoad')}
          </button>
        </form>
        {review.isPending && <Loading />}
        <ErrorNotice error={review.error} onRetry={() => void review.refetch()} />
        {r && (
          <>
            <p role="status" className={r.chain.ok ? 'notice notice--ok' : 'notice notice--danger'}>
              {r.chain.ok ? t('privacy.chainOk', { count: r.chain.checked }) : t('privacy.chainBroken', { message: r.chain.broken?.message ?? '' })}
              {r.chain.head && <span className="muted"> · {t('privacy.chainHead', { seq: r.chain.head.seq, hash: r.chain.head.hash.slice(0, 16) })}</span>}
            </p>
            <p className="hint">
              {t('privacy.total', { count: r.total })} · {t('privacy.rules', { factor: r.rules.volumeFactor, start: r.rules.nightStartHour, end: r.rules.nightEndHour })}
            </p>
            <section aria-label={t('privacy.users')}>
              <h3 className="section-title">{t('privacy.users')}</h3>
              {r.users.length === 0 ? (
                <Empty>{t('privacy.none')}</Empty>
              ) : (
                <table className="table">
                  <thead>
                    <tr>
                      <th scope="col">{t('privacy.user')}</th>
                      <th scope="col">{t('privacy.roleCol')}</th>
                      <th scope="col">{t('privacy.count')}</th>
                      <th scope="col">{t('privacy.night')}</th>
                      <th scope="col">{t('privacy.median')}</th>
                      <th scope="col">{t('privacy.unusual')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {r.users.map((u) => (
                      <tr key={u.userId} className={u.isUnusualVolume ? 'is-flagged' : undefined}>
                        <td>{u.userLogin}</td>
                        <td>{t(`role.${u.role}`)}</td>
                        <td>{u.total}</td>
                        <td>{u.night}</td>
                        <td>{u.roleMedian}</td>
                        <td>{u.isUnusualVolume ? <strong className="count-pill count-pill--danger">{t('privacy.unusual')}</strong> : ''}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </section>
            <EventTable title={t('privacy.exports')} events={r.exports} />
            <EventTable title={t('privacy.unmasks')} events={r.unmasks} />
            <EventTable title={t('privacy.nightAccess')} events={r.nightAccess} />
          </>
        )}

        <section aria-labelledby="records-search-heading">
          <h3 id="records-search-heading" className="section-title">
            {t('privacy.searchHeading')}
          </h3>
          <form
            className="toolbar"
            onSubmit={(e: FormEvent) => {
              e.preventDefault();
              setApplied(filter);
            }}
          >
            <label htmlFor="records-login">{t('privacy.searchLogin')}</label>
            <input id="records-login" value={filter.login} onChange={(e) => setFilter({ ...filter, login: e.target.value })} />
            <label htmlFor="records-subject">{t('privacy.searchSubject')}</label>
            <input id="records-subject" value={filter.subject} onChange={(e) => setFilter({ ...filter, subject: e.target.value })} />
            <label htmlFor="records-action">{t('privacy.searchAction')}</label>
            <select id="records-action" value={filter.action} onChange={(e) => setFilter({ ...filter, action: e.target.value })}>
              <option value="">{t('privacy.anyAction')}</option>
              {AccessActionSchema.options.map((a) => (
                <option key={a} value={a}>
                  {t(`privacy.action_${a}`)}
                </option>
              ))}
            </select>
            <button type="submit" className="btn btn--small">
              {t('privacy.search')}
            </button>
          </form>
          <ErrorNotice error={search.error} onRetry={() => void search.refetch()} />
          {search.data && (
            <table className="table" aria-label={t('privacy.searchHeading')}>
              <thead>
                <tr>
                  <th scope="col">seq</th>
                  <th scope="col">{t('privacy.at')}</th>
                  <th scope="col">{t('privacy.user')}</th>
                  <th scope="col">{t('privacy.ip')}</th>
                  <th scope="col">{t('privacy.target')}</th>
                  <th scope="col">{t('privacy.count')}</th>
                  <th scope="col">{t('privacy.reason')}</th>
                </tr>
              </thead>
              <tbody>
                {search.data.items.map((i) => (
                  <tr key={i.id}>
                    <td>{i.seq}</td>
                    <td>{f.dateTime(i.at)}</td>
                    <td>
                      {i.userLogin} <span className="muted">({t(`role.${i.role}`)})</span>
                    </td>
                    <td>{i.ip ?? ''}</td>
                    <td>
                      {t(`privacy.action_${i.action}`)} · {i.target}
                      {i.result === 'denied' && <strong> · {t('privacy.denied')}</strong>}
                    </td>
                    <td>{i.recordCount}</td>
                    <td>{i.reason ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      </div>
    </section>
  );
}
