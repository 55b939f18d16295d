import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import type { AnswerValue, Question } from '../../../../core/contracts/surveys';
import { csatLabel } from '../../../../core/domain/surveys';
import { ApiError } from '../../api/client';
import { Loading } from '../../components/notice';
import { useAnswerSurvey, useOptOut, usePublicSurvey } from './surveys-api';
import './surveys.css';

const kstTime = (iso: string) =>
  new Intl.DateTimeFormat('ko-KR', { timeZone: 'Asia/Seoul', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false }).format(new Date(iso));

/**
 * The citizen's survey page (/s/:token, no sign-in): phone-sized, one column, large tap targets, every question a
 * fieldset with its legend; nothing about the citizen or the call is shown. A used or expired link shows a friendly
 * notice, an unknown one asks to check the address.
 */
export function PublicSurveyPage() {
  const { token = '' } = useParams();
  const { t } = useTranslation();
  const survey = usePublicSurvey(token);
  const answer = useAnswerSurvey(token);
  const optOut = useOptOut(token);
  const [answers, setAnswers] = useState<Record<string, AnswerValue>>({});
  const set = (id: string, v: AnswerValue) => {
    setAnswers((a) => ({ ...a, [id]: v }));
    // A problem shown for a question goes once the citizen changes an answer; the server checks again on sending.
    if (answer.error) answer.reset();
  };

  if (survey.isPending) return <Shell><Loading /></Shell>;
  if (survey.error) {
    const closed = survey.error instanceof ApiError && survey.error.code === 'SURVEY_CLOSED';
    return (
      <Shell>
        <section className="survey__notice" role="status">
          <h1>{closed ? t('surveys.public.closed') : t('surveys.public.notFound')}</h1>
          <p>{closed ? survey.error.message : t('surveys.public.notFoundBody')}</p>
        </section>
      </Shell>
    );
  }
  if (answer.isSuccess) {
    return (
      <Shell>
        <section className="survey__notice" role="status">
          <h1>{t('surveys.public.thanks')}</h1>
          <p>{t('surveys.public.thanksBody')}</p>
        </section>
        <OptOut state={optOut} />
      </Shell>
    );
  }
  const s = survey.data;
  const problems = answer.error instanceof ApiError ? ((answer.error.details as { problems?: { questionId: string; message: string }[] } | undefined)?.problems ?? []) : [];
  const problemOf = (id: string) => problems.find((p) => p.questionId === id)?.message;
  const closedNow = answer.error instanceof ApiError && answer.error.code === 'SURVEY_CLOSED';
  const submit = (e: FormEvent) => {
    e.preventDefault();
    answer.mutate(answers);
  };
  return (
    <Shell>
      <form className="survey" onSubmit={submit} noValidate aria-labelledby="survey-title">
        <h1 id="survey-title" className="survey__title">{s.title}</h1>
        {s.intro && <p className="survey__intro">{s.intro}</p>}
        <p className="survey__meta">{t('surveys.public.until', { time: kstTime(s.expiresAt) })}</p>
        {s.questions.map((q, i) => (
          <QuestionField key={q.id} q={q} n={i + 1} value={answers[q.id]} onChange={(v) => set(q.id, v)} problem={problemOf(q.id)} />
        ))}
        {answer.error && (
          <p className="survey__error" role="alert">
            {closedNow ? answer.error.message : problems.length > 0 ? t('surveys.public.fixErrors') : answer.error.message}
          </p>
        )}
        <button type="submit" className="btn btn--primary survey__submit" disabled={answer.isPending}>
          {answer.isPending ? t('surveys.public.sending') : t('surveys.public.submit')}
        </button>
        <p className="survey__meta">{t('surveys.public.privacy')}</p>
      </form>
      <OptOut state={optOut} />
    </Shell>
  );
}

function Shell({ children }: { children: React.ReactNode }) {
  const { t } = useTranslation();
  return (
    <main id="main" className="survey-page">
      <p className="survey-page__brand">{t('surveys.public.lead')}</p>
      {children}
    </main>
  );
}

function OptOut({ state }: { state: ReturnType<typeof useOptOut> }) {
  const { t } = useTranslation();
  if (state.isSuccess) return <p className="survey__meta" role="status">{t('surveys.public.optOutDone')}</p>;
  return (
    <button type="button" className="btn btn--ghost survey__optout" onClick={() => state.mutate()} disabled={state.isPending}>
      {t('surveys.public.optOut')}
    </button>
  );
}

function QuestionField({ q, n, value, onChange, problem }: { q: Question; n: number; value: AnswerValue | undefined; onChange: (v: AnswerValue) => void; problem: string | undefined }) {
  const { t } = useTranslation();
  const name = `q-${q.id}`;
  const errorId = `${name}-error`;
  const legend = (
    <legend className="survey__legend">
      <span className="survey__num">{n}.</span> {q.text}
      {q.required && <span className="survey__required"> ({t('surveys.public.required')})</span>}
    </legend>
  );
  const radio = (id: string, label: string, v: AnswerValue, checked: boolean) => (
    <label key={id} className={`survey__choice${checked ? ' is-checked' : ''}`}>
      <input type="radio" name={name} checked={checked} onChange={() => onChange(v)} required={q.required} />
      <span>{label}</span>
    </label>
  );
  let body: React.ReactNode;
  if (q.type === 'csat') {
    body = <div className="survey__scale">{[5, 4, 3, 2, 1].map((s) => radio(String(s), `${s}점 · ${csatLabel(s)}`, s, value === s))}</div>;
  } else if (q.type === 'resolved') {
    body = <div className="survey__scale survey__scale--two">{[radio('yes', t('surveys.public.yes'), true, value === true), radio('no', t('surveys.public.no'), false, value === false)]}</div>;
  } else if (q.type === 'nps') {
    body = (
      <>
        <div className="survey__nps">{Array.from({ length: 11 }, (_, s) => radio(String(s), String(s), s, value === s))}</div>
        <p className="survey__ends" aria-hidden="true">
          <span>0 {t('surveys.public.npsLow')}</span>
          <span>10 {t('surveys.public.npsHigh')}</span>
        </p>
      </>
    );
  } else if (q.type === 'single') {
    body = <div className="survey__scale">{(q.options ?? []).map((o) => radio(o.id, o.label, o.id, value === o.id))}</div>;
  } else if (q.type === 'multiple') {
    const picked = Array.isArray(value) ? value : [];
    body = (
      <div className="survey__scale">
        {(q.options ?? []).map((o) => (
          <label key={o.id} className={`survey__choice${picked.includes(o.id) ? ' is-checked' : ''}`}>
            <input type="checkbox" checked={picked.includes(o.id)} onChange={(e) => onChange(e.target.checked ? [...picked, o.id] : picked.filter((p) => p !== o.id))} />
            <span>{o.label}</span>
          </label>
        ))}
      </div>
    );
  } else {
    return (
      <div className="survey__question">
        <label className="survey__legend" htmlFor={name}>
          <span className="survey__num">{n}.</span> {q.text}
        </label>
        <textarea id={name} className="survey__text" rows={4} maxLength={1000} value={typeof value === 'string' ? value : ''} onChange={(e) => onChange(e.target.value)} aria-describedby={`${name}-hint${problem ? ` ${errorId}` : ''}`} />
        <p id={`${name}-hint`} className="survey__meta">{t('surveys.public.textHint')}</p>
        {problem && <p id={errorId} className="survey__error">{problem}</p>}
      </div>
    );
  }
  return (
    <fieldset className="survey__question" aria-describedby={problem ? errorId : undefined} aria-invalid={problem ? true : undefined}>
      {legend}
      {body}
      {problem && <p id={errorId} className="survey__error">{problem}</p>}
    </fieldset>
  );
}
