import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { addDays } from '../../../../core/domain/statistics';
import { Empty, ErrorNotice, Loading } from '../../components/notice';
import { RecordingPlayer } from '../../features/recordings/recording-player';
import { useRecordings, type RecordingItem } from '../../features/recordings/recordings-api';
import '../../features/recordings/recordings.css';
import { kstToday } from '../../lib/kst-day';
import { useFormat } from '../../lib/use-format';


/**
 * 통화 녹음 (/supervisor/recordings, issue #17 §3): the calls recorded in a period (default the last 7 days), newest
 * first, with the agent, the caller's number masked, the length and the queue; 듣기 asks the reason, then plays the
 * call. The period lives in the URL.
 */
export function RecordingsPage() {
  const { t } = useTranslation();
  const f = useFormat();
  const [search, setSearch] = useSearchParams();
  const today = kstToday();
  const from = search.get('from') ?? addDays(today, -6);
  const to = search.get('to') ?? today;
  const [draft, setDraft] = useState({ from, to });
  useEffect(() => setDraft({ from, to }), [from, to]);
  const list = useRecordings(from, to);
  const [playing, setPlaying] = useState<RecordingItem | null>(null);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSearch({ from: draft.from, to: draft.to });
  };
  const length = (s: number | null) =>
    s === null ? t('recordings.unknown') : s >= 60 ? t('recordings.duration', { min: Math.floor(s / 60), sec: s % 60 }) : t('recordings.durationSec', { sec: s });

  return (
    <main id="main" className="page recordings-page" aria-labelledby="recordings-title">
      <h1 id="recordings-title" className="page__title">
        {t('recordings.title')}
      </h1>
      <p className="page__note">{t('recordings.lead')}</p>
      <form className="recordings-page__filters" onSubmit={submit} aria-label={t('recordings.period')}>
        <div className="field">
          <label htmlFor="recordings-from">{t('recordings.from')}</label>
          <input id="recordings-from" type="date" value={draft.from} max={draft.to} onChange={(e) => setDraft({ ...draft, from: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor="recordings-to">{t('recordings.to')}</label>
          <input id="recordings-to" type="date" value={draft.to} min={draft.from} onChange={(e) => setDraft({ ...draft, to: e.target.value })} />
        </div>
        <button type="submit" className="btn btn--primary">
          {t('recordings.show')}
        </button>
      </form>

      <section className="panel" aria-labelledby="recordings-list-title">
        <header className="panel__header">
          <h2 id="recordings-list-title" className="panel__title">
            {list.data ? t('recordings.listTitle', { count: list.data.items.length }) : t('recordings.title')}
            <span className="panel__title-sub">{from === to ? from : `${from} ~ ${to}`}</span>
          </h2>
        </header>
        {list.isPending ? (
          <Loading />
        ) : list.error ? (
          <ErrorNotice error={list.error} onRetry={() => void list.refetch()} />
        ) : list.data.items.length === 0 ? (
          <Empty>{t('recordings.empty')}</Empty>
        ) : (
          <div className={list.isPlaceholderData ? 'panel__scroll is-stale' : 'panel__scroll'} aria-busy={list.isFetching}>
            {list.data.truncated && <p className="hint recordings-page__truncated">{t('recordings.truncated', { count: list.data.items.length })}</p>}
            <table className="table" aria-labelledby="recordings-list-title">
              <thead>
                <tr>
                  <th scope="col">{t('recordings.cols.when')}</th>
                  <th scope="col">{t('recordings.cols.agent')}</th>
                  <th scope="col">{t('recordings.cols.caller')}</th>
                  <th scope="col" className="num">
                    {t('recordings.cols.length')}
                  </th>
                  <th scope="col">{t('recordings.cols.queue')}</th>
                  <th scope="col">{t('recordings.cols.status')}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t('recordings.cols.listen')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.data.items.map((r) => (
                  <tr key={r.id}>
                    <td>{f.dateTime(r.startedAt)}</td>
                    <td>{r.agentName ?? t('recordings.unknown')}</td>
                    <td className="recordings-page__number">{r.callerMasked ?? t('recordings.unknown')}</td>
                    <td className="num">{length(r.durationSec)}</td>
                    <td>{r.queueName ?? t('recordings.unknown')}</td>
                    <td>
                      <span className={`recording-status recording-status--${r.status}`}>{t(`recordings.status_${r.status}`)}</span>
                    </td>
                    <td>
                      {r.status === 'sealed' && (
                        <button type="button" className="btn btn--ghost btn--small" aria-label={t('recordings.listenLabel', { time: f.dateTime(r.startedAt) })} onClick={() => setPlaying(r)}>
                          <span aria-hidden="true">▶ </span>
                          {t('recordings.listen')}
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <RecordingPlayer item={playing} onClose={() => setPlaying(null)} />
    </main>
  );
}
