import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { AcdContact } from '../../../../core/contracts/acd';
import type { AnswerValue, HappyCallOutcome, HappyCallSheet, Question } from '../../../../core/contracts/surveys';
import { csatLabel, HAPPY_CALL_QUEUE_CODE } from '../../../../core/domain/surveys';
import { ApiError } from '../../api/client';
import { Empty, ErrorNotice, Loading } from '../../components/notice';
import { useFormat } from '../../lib/use-format';
import { RevealValue } from '../privacy/reveal-value';
import { useAnswerHappyCall, useCurrentHappyCall, useHappyCallOutcome, useHappyCalls, useTakeHappyCall } from './happy-calls-api';
import './happy-calls.css';

type Done = { kind: 'answered' } | { kind: 'outcome'; outcome: 'no_answer' | 'refused'; result: HappyCallOutcome };

/** The answered contact when it is a happy call the ACD gave the agent (an outbound call on 만족도 조사 전화). */
export function happyCallContactId(contact: AcdContact | null): string | null {
  return contact?.kind === 'callback' && contact.queueCode === HAPPY_CALL_QUEUE_CODE && contact.status !== 'reserved' ? contact.id : null;
}

/**
 * 만족도 조사 전화 on the desk (issue #15): the ACD offers due happy calls like calls (queue 만족도 조사 전화); when the
 * agent answers one (`contact`), the questionnaire of the version that was scheduled opens here — the intro to read
 * out, each question with its scale — with 응답 저장, 부재 (tried again later, closed after the last try) and 거절.
 * Below, how many are owed and the list: those the ACD is offering are marked so; 맡기 takes one the ACD does not
 * offer (its queue turned off), and 이어서 하기 reopens one the agent holds. The server checks the answers like the
 * citizen's page and names the question that is wrong.
 */
export function HappyCallsPanel({ contact = null }: { contact?: AcdContact | null }) {
  const { t } = useTranslation();
  const f = useFormat();
  const calls = useHappyCalls();
  const take = useTakeHappyCall();
  const offered = happyCallContactId(contact);
  const current = useCurrentHappyCall(offered);
  const [sheet, setSheet] = useState<HappyCallSheet | null>(null);
  const [fromQueue, setFromQueue] = useState(false);
  const [done, setDone] = useState<Done | null>(null);
  const open = (id: string) => {
    setDone(null);
    setFromQueue(false);
    take.mutate(id, { onSuccess: setSheet });
  };
  // The happy call the agent just answered opens by itself.
  const offeredSheet = current.data?.sheet ?? null;
  useEffect(() => {
    if (!offeredSheet) return;
    setDone(null);
    setFromQueue(true);
    setSheet(offeredSheet);
  }, [offeredSheet]);
  const mine = calls.data?.items.find((c) => c.takenByMe && c.id !== sheet?.id);
  return (
    <section className={`panel happy-calls${sheet ? ' happy-calls--active' : ''}`} aria-labelledby="happy-calls-title">
      <header className="panel__header">
        <h2 id="happy-calls-title" className="panel__title">
          {t('surveys.desk.heading')}
        </h2>
        {calls.data && (
          <span className="panel__meta" aria-label={t('surveys.desk.count', { n: calls.data.count })}>
            {calls.data.count}
          </span>
        )}
      </header>
      <div className="panel__scroll happy-calls__body">
        {done && (
          <p className="happy-calls__done" role="status">
            {done.kind === 'answered'
              ? t('surveys.desk.saved')
              : done.outcome === 'refused'
                ? t('surveys.desk.refusedDone')
                : done.result.status === 'closed'
                  ? t('surveys.desk.noAnswerClosed', { n: done.result.attempts })
                  : t('surveys.desk.noAnswerRetry', { n: done.result.attempts, at: f.time(done.result.nextAttemptAt) })}
          </p>
        )}
        {sheet && fromQueue && <p className="muted small">{t('surveys.desk.fromQueue')}</p>}
        {sheet ? (
          <Questionnaire
            key={sheet.id}
            sheet={sheet}
            onFinished={(d) => {
              setSheet(null);
              setDone(d);
            }}
            onLeave={() => setSheet(null)}
          />
        ) : (
          <>
            {calls.isPending && <Loading />}
            <ErrorNotice error={current.error ?? calls.error ?? take.error} onRetry={() => void calls.refetch()} />
            {calls.data?.items.length === 0 && <Empty>{t('surveys.desk.empty')}</Empty>}
            {mine && <p className="muted small">{t('surveys.desk.yours')}</p>}
            <ul className="plain-list" aria-label={t('surveys.desk.heading')}>
              {calls.data?.items.map((c) => (
                <li key={c.id} className="happy-call">
                  <div>
                    <span className="mono">{c.caseNumber ?? '—'}</span> · {t(`surveys.desk.trigger.${c.trigger}`)}
                    <span className="muted small"> · {t('surveys.desk.contactAt', { at: f.short(c.contactAt) })}</span>
                    {c.attempts > 0 && <span className="muted small"> · {t('surveys.desk.attempts', { n: c.attempts, max: c.maxAttempts })}</span>}
                  </div>
                  {c.phone && <RevealValue citizenId={c.citizenId} field="phone" masked={c.phone} />}
                  {c.takenBy ? (
                    <span className="muted small">{t('surveys.desk.takenBy', { name: c.takenBy })}</span>
                  ) : c.queued && !c.takenByMe ? (
                    <span className="muted small">{t('surveys.desk.queued')}</span>
                  ) : (
                    <button type="button" className="btn btn--primary btn--small" disabled={take.isPending} onClick={() => open(c.id)} aria-label={t('surveys.desk.takeLabel', { number: c.caseNumber ?? '' })}>
                      {c.takenByMe ? t('surveys.desk.resume') : t('surveys.desk.take')}
                    </button>
                  )}
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
    </section>
  );
}

/**
 * 만족도 조사 전화 as the supervisor sees them (조사 관리): what is owed now and its state — offered by the ACD, held by
 * an agent, the tries so far — without taking any (agents are offered them; the list on the desk is their fallback).
 */
export function HappyCallBacklog() {
  const { t } = useTranslation();
  const f = useFormat();
  const calls = useHappyCalls();
  return (
    <section className="panel" aria-labelledby="happy-backlog-title">
      <header className="panel__header">
        <h2 id="happy-backlog-title" className="panel__title">
          {t('surveys.desk.backlog')}
        </h2>
        {calls.data && <span className="panel__meta">{t('surveys.desk.count', { n: calls.data.count })}</span>}
      </header>
      {calls.isPending && <Loading />}
      <ErrorNotice error={calls.error} onRetry={() => void calls.refetch()} />
      {calls.data?.items.length === 0 && <Empty>{t('surveys.desk.empty')}</Empty>}
      <ul className="surveys-admin__list" aria-label={t('surveys.desk.backlog')}>
        {calls.data?.items.map((c) => (
          <li key={c.id}>
            <span className="mono">{c.caseNumber ?? '—'}</span> · {t(`surveys.desk.trigger.${c.trigger}`)} · {t('surveys.desk.contactAt', { at: f.short(c.contactAt) })}
            {c.attempts > 0 && <> · {t('surveys.desk.attempts', { n: c.attempts, max: c.maxAttempts })}</>} ·{' '}
            <span className="muted">{c.takenBy ? t('surveys.desk.takenBy', { name: c.takenBy }) : c.takenByMe ? t('surveys.desk.takenByYou') : c.queued ? t('surveys.desk.queued') : t('surveys.desk.waiting')}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

function Questionnaire({ sheet, onFinished, onLeave }: { sheet: HappyCallSheet; onFinished: (d: Done) => void; onLeave: () => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  const answer = useAnswerHappyCall();
  const outcome = useHappyCallOutcome();
  const [answers, setAnswers] = useState<Record<string, AnswerValue>>({});
  const problems = answer.error instanceof ApiError ? ((answer.error.details as { problems?: { questionId: string; message: string }[] } | undefined)?.problems ?? []) : [];
  const problemOf = (id: string) => problems.find((p) => p.questionId === id)?.message;
  const set = (id: string, v: AnswerValue) => {
    setAnswers((a) => ({ ...a, [id]: v }));
    if (answer.error) answer.reset();
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    answer.mutate({ id: sheet.id, answers }, { onSuccess: () => onFinished({ kind: 'answered' }) });
  };
  const close = (o: 'no_answer' | 'refused') => outcome.mutate({ id: sheet.id, outcome: o }, { onSuccess: (result) => onFinished({ kind: 'outcome', outcome: o, result }) });
  const busy = answer.isPending || outcome.isPending;
  return (
    <form className="happy-sheet" onSubmit={submit} noValidate aria-label={t('surveys.desk.sheet')}>
      <p className="happy-sheet__who">
        <strong>{sheet.templateTitle}</strong> · <span className="mono">{sheet.caseNumber ?? '—'}</span> · {t(`surveys.desk.trigger.${sheet.trigger}`)} · {f.short(sheet.contactAt)}
        {sheet.attempts > 0 && <span className="muted small"> · {t('surveys.desk.attempts', { n: sheet.attempts, max: sheet.maxAttempts })}</span>}
      </p>
      {sheet.phone && <RevealValue citizenId={sheet.citizenId} field="phone" masked={sheet.phone} />}
      {sheet.intro && (
        <p className="happy-sheet__intro">
          <span className="muted small">{t('surveys.desk.readOut')}</span> {sheet.intro}
        </p>
      )}
      {sheet.questions.map((q, i) => (
        <SheetQuestion key={q.id} q={q} n={i + 1} value={answers[q.id]} onChange={(v) => set(q.id, v)} problem={problemOf(q.id)} />
      ))}
      {answer.error && (
        <p className="happy-sheet__error" role="alert">
          {problems.length > 0 ? t('surveys.desk.fixErrors') : answer.error.message}
        </p>
      )}
      <ErrorNotice error={outcome.error} />
      <div className="happy-sheet__actions">
        <button type="submit" className="btn btn--primary btn--small" disabled={busy}>
          {t('surveys.desk.saveAnswers')}
        </button>
        <button type="button" className="btn btn--small" disabled={busy} onClick={() => close('no_answer')}>
          {t('surveys.desk.noAnswer')}
        </button>
        <button type="button" className="btn btn--small" disabled={busy} onClick={() => close('refused')}>
          {t('surveys.desk.refused')}
        </button>
        <button type="button" className="btn btn--ghost btn--small" disabled={busy} onClick={onLeave}>
          {t('surveys.desk.back')}
        </button>
      </div>
    </form>
  );
}

/** One question, compact: the scale as a row of radio buttons (arrow keys move within it), its words beside the numbers. */
function SheetQuestion({ q, n, value, onChange, problem }: { q: Question; n: number; value: AnswerValue | undefined; onChange: (v: AnswerValue) => void; problem: string | undefined }) {
  const { t } = useTranslation();
  const name = `hc-${q.id}`;
  const errorId = `${name}-error`;
  const radio = (id: string, label: string, v: AnswerValue, title?: string) => (
    <label key={id} className={`happy-sheet__choice${value === v ? ' is-checked' : ''}`} title={title}>
      <input type="radio" name={name} checked={value === v} onChange={() => onChange(v)} />
      <span>{label}</span>
    </label>
  );
  if (q.type === 'text') {
    return (
      <div className="happy-sheet__q">
        <label htmlFor={name}>
          {n}. {q.text}
        </label>
        <textarea id={name} rows={2} maxLength={1000} value={typeof value === 'string' ? value : ''} onChange={(e) => onChange(e.target.value)} aria-invalid={problem ? true : undefined} aria-describedby={problem ? errorId : undefined} />
        {problem && <p id={errorId} className="happy-sheet__error">{problem}</p>}
      </div>
    );
  }
  let body: React.ReactNode;
  if (q.type === 'csat') body = [5, 4, 3, 2, 1].map((s) => radio(String(s), `${s} ${csatLabel(s)}`, s));
  else if (q.type === 'resolved') body = [radio('yes', t('surveys.public.yes'), true), radio('no', t('surveys.public.no'), false)];
  else if (q.type === 'nps') body = Array.from({ length: 11 }, (_, s) => radio(String(s), String(s), s));
  else if (q.type === 'single') body = (q.options ?? []).map((o) => radio(o.id, o.label, o.id));
  else {
    const picked = Array.isArray(value) ? value : [];
    body = (q.options ?? []).map((o) => (
      <label key={o.id} className={`happy-sheet__choice${picked.includes(o.id) ? ' is-checked' : ''}`}>
        <input type="checkbox" checked={picked.includes(o.id)} onChange={(e) => onChange(e.target.checked ? [...picked, o.id] : picked.filter((p) => p !== o.id))} />
        <span>{o.label}</span>
      </label>
    ));
  }
  return (
    <fieldset className="happy-sheet__q" aria-invalid={problem ? true : undefined} aria-describedby={problem ? errorId : undefined}>
      <legend>
        {n}. {q.text}
        {q.required && <span className="muted small"> ({t('surveys.public.required')})</span>}
      </legend>
      <div className="happy-sheet__scale">{body}</div>
      {problem && <p id={errorId} className="happy-sheet__error">{problem}</p>}
    </fieldset>
  );
}
