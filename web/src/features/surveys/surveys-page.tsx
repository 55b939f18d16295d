import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import type { ResultRow, ResultsGroup, Share, SurveySettings } from '../../../../core/contracts/surveys';
import { addDays } from '../../../../core/domain/statistics';
import { useMe } from '../../api/queries';
import { Empty, ErrorNotice, Loading } from '../../components/notice';
import { kstToday } from '../../lib/kst-day';
import { HappyCallBacklog } from './happy-calls-panel';
import { useCloseFollowUp, usePolls, useSaveSurveySettings, useSurveyResults, useSurveySettings, useTemplates } from './surveys-api';
import { PollCreator, TemplateEditor } from './template-editor';
import './surveys.css';

const GROUPS: ResultsGroup[] = ['department', 'category', 'agent', 'day', 'month', 'trigger'];
const pct = (v: number | null) => (v === null ? '—' : `${(Math.round(v * 1000) / 10).toFixed(1)}%`);
const kstTime = (iso: string) =>
  new Intl.DateTimeFormat('ko-KR', { timeZone: 'Asia/Seoul', month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false }).format(new Date(iso));

function ShareCell({ s }: { s: Share }) {
  return (
    <td className="num">
      {pct(s.share)}
      {s.low !== null && s.high !== null && <span className="ci">({pct(s.low)}–{pct(s.high)})</span>}
    </td>
  );
}

/**
 * 만족도 조사 (/supervisor/surveys): results by department, category, agent or period with response rates and 95%
 * intervals, the low-score follow-ups linked to their cases, masked comments, policy polls, templates and settings.
 * The period and grouping live in the URL.
 */
export function SurveysPage() {
  const { t } = useTranslation();
  const [search, setSearch] = useSearchParams();
  const today = kstToday();
  const from = search.get('from') ?? addDays(today, -29);
  const to = search.get('to') ?? today;
  const groupBy = (GROUPS as string[]).includes(search.get('groupBy') ?? '') ? (search.get('groupBy') as ResultsGroup) : 'department';
  const [draft, setDraft] = useState({ from, to, groupBy });
  useEffect(() => setDraft({ from, to, groupBy }), [from, to, groupBy]);
  const results = useSurveyResults(from, to, groupBy);
  const closeFollowUp = useCloseFollowUp();
  const isSupervisor = useMe().data?.role === 'supervisor';

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSearch({ from: draft.from, to: draft.to, groupBy: draft.groupBy });
  };
  const row = (r: ResultRow, total = false) => (
    <tr key={r.key} className={total ? 'row--total' : undefined}>
      <th scope="row">{total ? t('surveys.page.total') : r.label}</th>
      <td className="num">{r.invited}</td>
      <td className="num">{r.answered}</td>
      <td className="num">{pct(r.responseRate)}</td>
      <td className="num">{r.csatMean === null ? '—' : r.csatMean.toFixed(2)}</td>
      <ShareCell s={r.satisfied} />
      <ShareCell s={r.resolved} />
      <td className="num">{r.nps === null ? '—' : r.nps}</td>
    </tr>
  );

  return (
    <main id="main" className="page surveys-admin" aria-labelledby="surveys-title">
      <h1 id="surveys-title" className="page__title">
        {t('surveys.page.title')}
      </h1>
      <p className="page__note">{t('surveys.page.lead')}</p>
      <form className="surveys-admin__filters" onSubmit={submit} aria-label={t('surveys.page.period')}>
        <div className="field">
          <label htmlFor="surveys-from">{t('surveys.page.from')}</label>
          <input id="surveys-from" type="date" value={draft.from} onChange={(e) => setDraft({ ...draft, from: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor="surveys-to">{t('surveys.page.to')}</label>
          <input id="surveys-to" type="date" value={draft.to} onChange={(e) => setDraft({ ...draft, to: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor="surveys-group">{t('surveys.page.groupBy')}</label>
          <select id="surveys-group" value={draft.groupBy} onChange={(e) => setDraft({ ...draft, groupBy: e.target.value as ResultsGroup })}>
            {GROUPS.map((g) => (
              <option key={g} value={g}>
                {t(`surveys.page.groups.${g}`)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="btn btn--primary">
          {t('surveys.page.show')}
        </button>
      </form>

      <div className="surveys-admin__grid">
        <section className="panel" aria-labelledby="surveys-results-title">
          <header className="panel__header">
            <h2 id="surveys-results-title" className="panel__title">
              {t(`surveys.page.groups.${groupBy}`)} ({from} ~ {to})
            </h2>
          </header>
          {results.isPending ? (
            <Loading />
          ) : results.error ? (
            <ErrorNotice error={results.error} onRetry={() => void results.refetch()} />
          ) : results.data.rows.length === 0 ? (
            <Empty>{t('surveys.page.noData')}</Empty>
          ) : (
            <div className="panel__scroll">
              <table className="table" aria-labelledby="surveys-results-title">
                <thead>
                  <tr>
                    <th scope="col">{t('surveys.page.cols.group')}</th>
                    {(['invited', 'answered', 'rate', 'csat', 'satisfied', 'resolved', 'nps'] as const).map((c) => (
                      <th key={c} scope="col" className="num">
                        {t(`surveys.page.cols.${c}`)}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {results.data.rows.map((r) => row(r))}
                  {row(results.data.total, true)}
                </tbody>
              </table>
            </div>
          )}
        </section>

        <div className="surveys-admin__side">
          <section className="panel" aria-labelledby="surveys-followups-title">
            <header className="panel__header">
              <h2 id="surveys-followups-title" className="panel__title">
                {t('surveys.page.followUps')}
              </h2>
            </header>
            {results.data && results.data.followUps.filter((f) => f.status === 'open').length === 0 && <Empty>{t('surveys.page.followUpsEmpty')}</Empty>}
            <ul className="surveys-admin__list" aria-label={t('surveys.page.followUps')}>
              {results.data?.followUps
                .filter((f) => f.status === 'open')
                .map((f) => (
                  <li key={f.id}>
                    <strong>{f.reason}</strong> · {t('surveys.page.case')} {f.caseNumber ?? '—'} · {kstTime(f.createdAt)}
                    {f.comment && <p>“{f.comment}”</p>}
                    <button type="button" className="btn btn--small btn--ghost" onClick={() => closeFollowUp.mutate(f)} disabled={closeFollowUp.isPending}>
                      {t('surveys.page.followUpDone')}
                    </button>
                  </li>
                ))}
            </ul>
          </section>
          {/* 만족도 조사 전화 owed now and their state (supervisors: the numbers are theirs to see, not an admin's). */}
          {isSupervisor && <HappyCallBacklog />}
          <section className="panel" aria-labelledby="surveys-comments-title">
            <header className="panel__header">
              <h2 id="surveys-comments-title" className="panel__title">
                {t('surveys.page.comments')}
              </h2>
            </header>
            {results.data && results.data.comments.length === 0 && <Empty>{t('surveys.page.commentsEmpty')}</Empty>}
            <ul className="surveys-admin__list">
              {results.data?.comments.map((c, i) => (
                <li key={i}>
                  {c.text} <span className="ci">{kstTime(c.at)}{c.caseNumber ? ` · ${c.caseNumber}` : ''}</span>
                </li>
              ))}
            </ul>
          </section>
        </div>
      </div>
      <PollsPanel />
      <TemplatesPanel />
      <SettingsPanel />
    </main>
  );
}

function PollsPanel() {
  const { t } = useTranslation();
  const polls = usePolls();
  const templates = useTemplates();
  const [creating, setCreating] = useState(false);
  return (
    <section className="panel" aria-labelledby="surveys-polls-title">
      <header className="panel__header">
        <h2 id="surveys-polls-title" className="panel__title">
          {t('surveys.page.polls')}
        </h2>
        {!creating && templates.data && (
          <button type="button" className="btn btn--small" onClick={() => setCreating(true)}>
            {t('surveys.editor.newPoll')}
          </button>
        )}
      </header>
      {creating && templates.data && <PollCreator templates={templates.data} onDone={() => setCreating(false)} />}
      {polls.isPending ? (
        <Loading />
      ) : polls.error ? (
        <ErrorNotice error={polls.error} />
      ) : polls.data.length === 0 ? (
        <Empty>{t('surveys.page.pollsEmpty')}</Empty>
      ) : (
        <ul className="surveys-admin__list">
          {polls.data.map((p) => (
            <li key={p.id}>
              <strong>{p.title}</strong> · {t('surveys.page.pollClosesAt', { time: kstTime(p.closesAt) })} · {t('surveys.page.pollRate', { invited: p.invited, answered: p.answered, rate: pct(p.responseRate) })}
              {p.questions.map((q) => (
                <p key={q.questionId}>
                  {q.text}: {q.options.map((o) => `${o.label} ${pct(o.share.share)}${o.share.low !== null ? ` (${pct(o.share.low)}–${pct(o.share.high)})` : ''}`).join(', ')}
                </p>
              ))}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function TemplatesPanel() {
  const { t } = useTranslation();
  const templates = useTemplates();
  const [editing, setEditing] = useState<string | null>(null);
  return (
    <section className="panel" aria-labelledby="surveys-templates-title">
      <header className="panel__header">
        <h2 id="surveys-templates-title" className="panel__title">
          {t('surveys.page.templates')}
        </h2>
      </header>
      {templates.isPending ? (
        <Loading />
      ) : templates.error ? (
        <ErrorNotice error={templates.error} />
      ) : (
        <ul className="surveys-admin__list">
          {templates.data
            .filter((x) => x.isCurrent)
            .map((x) => (
              <li key={x.id}>
                <strong>{x.title}</strong> · {t('surveys.page.version', { version: x.version })} · {t('surveys.page.current')}
                {x.version > 1 && <span className="muted small"> {t('surveys.editor.olderVersions', { n: x.version - 1 })}</span>}
                {editing === x.key ? (
                  <TemplateEditor template={x} onDone={() => setEditing(null)} />
                ) : (
                  <>
                    {' '}
                    <button type="button" className="btn btn--ghost btn--small" onClick={() => setEditing(x.key)} aria-label={t('surveys.editor.editLabel', { title: x.title })}>
                      {t('surveys.editor.edit')}
                    </button>
                    <ol>
                      {x.questions.map((q) => (
                        <li key={q.id}>{q.text}</li>
                      ))}
                    </ol>
                  </>
                )}
              </li>
            ))}
        </ul>
      )}
    </section>
  );
}

function SettingsPanel() {
  const { t } = useTranslation();
  const settings = useSurveySettings();
  const save = useSaveSurveySettings();
  const [draft, setDraft] = useState<SurveySettings | null>(null);
  useEffect(() => {
    if (settings.data) setDraft(settings.data);
  }, [settings.data]);
  if (!draft) return settings.error ? <ErrorNotice error={settings.error} /> : null;
  const num = (key: keyof SurveySettings, label: string, scale = 1) => (
    <div className="field">
      <label htmlFor={`surveys-${key}`}>{label}</label>
      <input
        id={`surveys-${key}`}
        type="number"
        inputMode="numeric"
        value={Math.round((draft[key] as number) * scale)}
        onChange={(e) => setDraft({ ...draft, [key]: Number(e.target.value) / scale })}
      />
    </div>
  );
  return (
    <section className="panel" aria-labelledby="surveys-settings-title">
      <header className="panel__header">
        <h2 id="surveys-settings-title" className="panel__title">
          {t('surveys.page.settings')}
        </h2>
      </header>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate(draft);
        }}
      >
        <div className="surveys-admin__settings">
          {num('callSampleRate', t('surveys.page.callRate'), 100)}
          {num('handoffSampleRate', t('surveys.page.handoffRate'), 100)}
          {num('quietDays', t('surveys.page.quietDays'))}
          {num('delayMinutes', t('surveys.page.delay'))}
          {num('expiryHours', t('surveys.page.expiry'))}
          {num('lowScore', t('surveys.page.lowScore'))}
          {num('happyCallMaxAttempts', t('surveys.page.happyCallTries'))}
          {num('happyCallRetryMinutes', t('surveys.page.happyCallRetry'))}
        </div>
        <ErrorNotice error={save.error} />
        <button type="submit" className="btn btn--primary" disabled={save.isPending}>
          {t('surveys.page.save')}
        </button>
        {save.isSuccess && <span role="status"> {t('surveys.page.saved')}</span>}
      </form>
    </section>
  );
}
