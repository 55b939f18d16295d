import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { Loading } from '../../components/notice';
import { count, pct } from '../statistics/stats-format';
import { shareWithInterval } from '../statistics/satisfaction-format';
import { usePublicPoll } from './surveys-api';
import './surveys.css';

const kstDate = (iso: string) =>
  new Intl.DateTimeFormat('ko-KR', { timeZone: 'Asia/Seoul', year: 'numeric', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false }).format(new Date(iso));

/**
 * A policy poll's public results (/p/:pollId, issue #15 §2, no sign-in): only a poll whose owner published its results
 * and that has closed (the API answers 404 otherwise). Phone-sized: per question each option's share as a bar with its
 * 95% interval and count, the number of respondents and the closing date.
 */
export function PublicPollPage() {
  const { pollId = '' } = useParams();
  const { t } = useTranslation();
  const poll = usePublicPoll(pollId);
  if (poll.isPending)
    return (
      <main id="main" className="survey-page">
        <Loading />
      </main>
    );
  if (poll.error || !poll.data)
    return (
      <main id="main" className="survey-page">
        <p className="survey-page__brand">{t('surveys.public.lead')}</p>
        <section className="survey__notice" role="status">
          <h1>{t('surveys.poll.notFound')}</h1>
          <p>{t('surveys.poll.notFoundBody')}</p>
        </section>
      </main>
    );
  const p = poll.data;
  return (
    <main id="main" className="survey-page">
      <p className="survey-page__brand">{t('surveys.public.lead')}</p>
      <article className="survey poll-result" aria-labelledby="poll-title">
        <p className="survey__meta">{t('surveys.poll.heading')}</p>
        <h1 id="poll-title" className="survey__title">{p.title}</h1>
        <p className="survey__meta">
          {t('surveys.poll.closed', { time: kstDate(p.closesAt) })} · {t('surveys.poll.responses', { n: count(p.answered) })}
        </p>
        {p.questions.map((q, i) => (
          <section key={q.questionId} className="survey__question" aria-labelledby={`pq-${q.questionId}`}>
            <h2 id={`pq-${q.questionId}`} className="survey__legend">
              <span className="survey__num">{i + 1}.</span> {q.text}
            </h2>
            <p className="survey__meta">
              {t('surveys.poll.respondents', { n: count(q.answered) })}
              {q.mean !== null && (q.type === 'csat' || q.type === 'nps') && ` · ${t('surveys.poll.mean', { value: q.mean.toFixed(2) })}`}
            </p>
            <ul className="poll-result__options">
              {q.options.map((o) => (
                <li key={o.id} className="poll-result__option">
                  <span className="poll-result__label">{o.label}</span>
                  <span className="poll-result__figure">
                    {shareWithInterval(o.share)} · {t('surveys.poll.people', { n: count(o.count) })}
                  </span>
                  <span className="poll-result__bar" aria-hidden="true">
                    <span style={{ width: pct(o.share.share ?? 0) }} />
                  </span>
                </li>
              ))}
            </ul>
            {q.type === 'multiple' && <p className="survey__meta">{t('surveys.poll.multiple')}</p>}
          </section>
        ))}
        <p className="survey__meta">{t('surveys.poll.ciNote')}</p>
      </article>
    </main>
  );
}
