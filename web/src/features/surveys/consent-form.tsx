import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConsentBody, SurveyChannel } from '../../../../core/contracts/surveys';
import { ErrorNotice } from '../../components/notice';
import { useFormat } from '../../lib/use-format';
import { useCallerConsent, useCallerOptOut, useRecordConsent, type CallerRef } from './happy-calls-api';
import './happy-calls.css';

const AGE_BANDS = ['10s', '20s', '30s', '40s', '50s', '60s', '70+'] as const;
type AgeBand = (typeof AGE_BANDS)[number];
type Draft = { surveys: boolean; polls: boolean; channel: SurveyChannel; email: string; district: string; ageBand: AgeBand | '' };
const EMPTY: Draft = { surveys: false, polls: false, channel: 'sms', email: '', district: '', ageBand: '' };

/**
 * 조사 동의 on the desk (issue #15): during the call (by the call) or after it (by the saved case), the agent records
 * whether the citizen agrees to satisfaction surveys and to policy polls, how to be asked (문자, 이메일, 전화 — a
 * happy call —, or ARS 버튼 — the automated keypad survey) and, for polls, the district and age band the citizen gave; or 수신 거부, for ever, after a second
 * press. Plain form controls in tab order; the number is never typed (the server takes the caller's).
 */
export function ConsentForm({ caller }: { caller: CallerRef | null }) {
  const { t } = useTranslation();
  const f = useFormat();
  const current = useCallerConsent(caller);
  const record = useRecordConsent();
  const optOut = useCallerOptOut();
  const [draft, setDraftState] = useState<Draft>(EMPTY);
  // What the agent changed is never overwritten by what was recorded before, arriving late.
  const [touched, setTouched] = useState(false);
  const setDraft = (d: Draft) => {
    setTouched(true);
    setDraftState(d);
  };
  const [confirming, setConfirming] = useState(false);
  const refKey = `${caller?.caseId ?? ''}|${caller?.interactionId ?? ''}`;
  // A new caller starts a new form.
  useEffect(() => {
    record.reset();
    optOut.reset();
    setConfirming(false);
    setTouched(false);
  }, [refKey]);
  useEffect(() => {
    const c = current.data;
    if (touched) return;
    setDraftState(c && c.recorded ? { surveys: c.surveys, polls: c.polls, channel: c.channel ?? 'sms', email: '', district: c.district ?? '', ageBand: (c.ageBand as AgeBand | null) ?? '' } : EMPTY);
  }, [current.data]);
  const optedOut = current.data?.optedOut === true;
  const bodyOf = (d: Draft, ref: CallerRef): ConsentBody => ({
    ...ref,
    surveys: d.surveys,
    polls: d.polls,
    channel: d.channel,
    ...(d.channel === 'email' ? { email: d.email.trim() } : {}),
    ...(d.polls && d.district.trim() ? { district: d.district.trim() } : {}),
    ...(d.polls && d.ageBand ? { ageBand: d.ageBand } : {}),
  });
  // Alt+Y (예): "조사 동의" in one key during the call — 만족도 조사 ticked and saved with the channel shown.
  useEffect(() => {
    if (!caller || optedOut) return;
    const onKey = (e: KeyboardEvent) => {
      if (!e.altKey || e.ctrlKey || e.metaKey || e.shiftKey || e.code !== 'KeyY' || document.querySelector('dialog[open]')) return;
      e.preventDefault();
      const next = { ...draft, surveys: true };
      setDraft(next);
      record.mutate(bodyOf(next, caller));
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [refKey, optedOut, draft]);
  if (!caller) return null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    record.mutate(bodyOf(draft, caller));
  };
  const id = (s: string) => `consent-${s}`;
  return (
    <section className="panel consent-panel" aria-labelledby={id('title')}>
      <header className="panel__header">
        <h2 id={id('title')} className="panel__title">
          {t('surveys.consent.heading')}
        </h2>
        {current.data?.recordedAt && <span className="panel__meta">{t('surveys.consent.recordedAt', { at: f.short(current.data.recordedAt) })}</span>}
      </header>
      <ErrorNotice error={current.error} onRetry={() => void current.refetch()} />
      {optedOut ? (
        <p className="muted" role="status">
          {t('surveys.consent.optedOut')}
        </p>
      ) : (
        <form className="consent-form" onSubmit={submit} aria-labelledby={id('title')}>
          <fieldset>
            <legend className="visually-hidden">{t('surveys.consent.what')}</legend>
            <label>
              <input type="checkbox" checked={draft.surveys} onChange={(e) => setDraft({ ...draft, surveys: e.target.checked })} /> {t('surveys.consent.surveys')}
            </label>
            <label>
              <input type="checkbox" checked={draft.polls} onChange={(e) => setDraft({ ...draft, polls: e.target.checked })} /> {t('surveys.consent.polls')}
            </label>
          </fieldset>
          <fieldset>
            <legend>{t('surveys.consent.channel')}</legend>
            {(['sms', 'email', 'call', 'keypad'] as const).map((c) => (
              <label key={c}>
                <input type="radio" name={id('channel')} checked={draft.channel === c} onChange={() => setDraft({ ...draft, channel: c })} /> {t(`surveys.consent.channels.${c}`)}
              </label>
            ))}
          </fieldset>
          {(draft.channel === 'email' || draft.polls) && (
            <div className="consent-form__row">
              {draft.channel === 'email' && (
                <div className="field">
                  <label htmlFor={id('email')}>{t('surveys.consent.email')}</label>
                  <input id={id('email')} type="email" autoComplete="off" value={draft.email} onChange={(e) => setDraft({ ...draft, email: e.target.value })} />
                </div>
              )}
              {draft.polls && (
                <>
                  <div className="field">
                    <label htmlFor={id('district')}>{t('surveys.consent.district')}</label>
                    <input id={id('district')} maxLength={40} value={draft.district} onChange={(e) => setDraft({ ...draft, district: e.target.value })} />
                  </div>
                  <div className="field">
                    <label htmlFor={id('age')}>{t('surveys.consent.ageBand')}</label>
                    <select id={id('age')} value={draft.ageBand} onChange={(e) => setDraft({ ...draft, ageBand: e.target.value as AgeBand | '' })}>
                      <option value="">{t('surveys.consent.ageUnknown')}</option>
                      {AGE_BANDS.map((a) => (
                        <option key={a} value={a}>
                          {t(`surveys.consent.ages.${a}`)}
                        </option>
                      ))}
                    </select>
                  </div>
                </>
              )}
            </div>
          )}
          <ErrorNotice error={record.error ?? optOut.error} />
          <div className="consent-form__actions">
            <button type="submit" className="btn btn--primary btn--small" disabled={record.isPending} aria-keyshortcuts="Alt+Y" title={t('surveys.consent.shortcut')}>
              {t('surveys.consent.save')}
            </button>
            {confirming ? (
              <>
                <button type="button" className="btn btn--danger btn--small" disabled={optOut.isPending} onClick={() => optOut.mutate(caller)}>
                  {t('surveys.consent.optOutConfirm')}
                </button>
                <button type="button" className="btn btn--ghost btn--small" onClick={() => setConfirming(false)}>
                  {t('common.cancel')}
                </button>
              </>
            ) : (
              <button type="button" className="btn btn--ghost btn--small" onClick={() => setConfirming(true)}>
                {t('surveys.consent.optOut')}
              </button>
            )}
            {record.isSuccess && (
              <span role="status" className="muted small">
                {record.data.optedOut ? t('surveys.consent.optedOut') : t('surveys.consent.saved')}
              </span>
            )}
          </div>
        </form>
      )}
    </section>
  );
}
