import { useMutation, useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent, type Ref } from 'react';
import { useTranslation } from 'react-i18next';
import type { Category } from '../../../../core/contracts/org';
import type { TransferCandidateAnswer, TransferProposalAnswer } from '../../../../core/contracts/directory';
import type { TransferAttempt } from '../../../../core/contracts/transfers';
import { api } from '../../api/client';
import { useRealtime } from '../../api/realtime-provider';
import { ErrorNotice } from '../../components/notice';
import { CategoryPicker } from '../cases/category-picker';
import { useNow } from '../../lib/use-format';

const LIVE = new Set(['ringing', 'consulting']);

/** Seconds left until `at`, never below zero. */
function secondsUntil(at: string, now: number): number {
  return Math.max(0, Math.ceil((Date.parse(at) - now) / 1000));
}

/**
 * 담당자 연결 (warm transfer, issue #11): during a call the agent picks the task and the official (the task's duty
 * official is proposed first; anyone else needs a reason), writes what the official should know, and asks. The
 * caller waits on hold while the official's card rings; once the official accepts they talk first, then the agent
 * hands the caller over or makes it a conference and leaves. Any other end becomes a hand-off by itself, and the
 * panel shows the sentence to tell the caller.
 */
export function TransferPanel({
  contactId,
  callActive,
  categories,
  openRef,
  onFellBack,
}: {
  /** The call on the desk (also after it ended, until the next one: the attempt's outcome stays in view). */
  contactId: string | null;
  /** The call is still connected: only then can a transfer be asked for. */
  callActive: boolean;
  categories: readonly Category[];
  openRef: Ref<HTMLButtonElement>;
  /** The attempt became a hand-off: the case is recorded, the desk shows it as saved (no second record). */
  onFellBack: (attempt: TransferAttempt) => void;
}) {
  const { t } = useTranslation();
  const [isOpen, setOpen] = useState(false);
  const [category, setCategory] = useState<Category | null>(null);
  const [targetId, setTargetId] = useState<string | null>(null);
  const [summary, setSummary] = useState('');
  const [notes, setNotes] = useState('');
  const [reason, setReason] = useState('');
  const [attempt, setAttempt] = useState<TransferAttempt | null>(null);
  const categoryRef = useRef<HTMLInputElement>(null);
  const realtime = useRealtime();
  const now = useNow(1000).getTime();

  // The socket brings the attempt's moves (accepted, declined, fell back …).
  const pushed = realtime.state.lastTransfer;
  useEffect(() => {
    if (pushed && attempt && pushed.id === attempt.id) setAttempt(pushed);
  }, [pushed, attempt]);
  // Once per attempt: the desk shows the recorded hand-off.
  const reported = useRef<string | null>(null);
  useEffect(() => {
    if (!attempt?.fallback || reported.current === attempt.id) return;
    reported.current = attempt.id;
    onFellBack(attempt);
  }, [attempt, onFellBack]);

  // A new call starts clean.
  useEffect(() => {
    setOpen(false);
    setAttempt(null);
    setCategory(null);
    setTargetId(null);
    setSummary('');
    setNotes('');
    setReason('');
  }, [contactId]);

  // The directory's proposal: the duty's reachable official first, the duty list, then the department's reachable others.
  const targets = useQuery({
    queryKey: ['transfers', 'proposal', category?.id],
    queryFn: () => api<TransferProposalAnswer>(`/api/directory/proposal?categoryId=${encodeURIComponent(category?.id ?? '')}`),
    enabled: isOpen && category !== null && category.level >= 2,
    staleTime: 5_000,
  });
  const everyone: TransferCandidateAnswer[] = targets.data
    ? [...(targets.data.proposed ? [targets.data.proposed] : []), ...targets.data.backups.filter((b) => b.officialId !== targets.data.proposed?.officialId), ...targets.data.othersInDepartment]
    : [];
  const chosen = everyone.find((o) => o.officialId === targetId) ?? null;
  useEffect(() => {
    // The duty's official is proposed: chosen unless the agent picks someone else.
    if (targets.data && targetId === null) setTargetId(targets.data.proposed?.officialId ?? null);
  }, [targets.data, targetId]);

  const start = useMutation({
    mutationFn: () =>
      api<TransferAttempt>('/api/transfers', {
        method: 'POST',
        body: { contactId, officialId: targetId, categoryId: category?.id, summary, notes, ...(chosen?.needsReason ? { reason } : {}) },
      }),
    onSuccess: (a) => {
      setAttempt(a);
      setOpen(false);
    },
  });
  const act = useMutation({
    mutationFn: (action: { name: 'connect' | 'cancel'; mode?: 'transfer' | 'conference' }) =>
      api<TransferAttempt>(`/api/transfers/${encodeURIComponent(attempt?.id ?? '')}/${action.name}`, {
        method: 'POST',
        ...(action.name === 'connect' ? { body: { mode: action.mode } } : {}),
      }),
    onSuccess: setAttempt,
  });

  if (!contactId || (!callActive && !attempt)) return null;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (start.isPending || !category || !targetId || summary.trim() === '') return;
    start.mutate();
  };

  const live = attempt && LIVE.has(attempt.status);
  const official = attempt ? `${attempt.official.name}${attempt.official.departmentName ? ` (${attempt.official.departmentName})` : ''}` : '';

  return (
    <section className="panel transfer" aria-labelledby="transfer-heading">
      <header className="panel__header">
        <h2 id="transfer-heading" className="panel__title">
          {t('transfer.heading')}
        </h2>
        {callActive && !live && !isOpen && (
          <button ref={openRef} type="button" className="btn btn--teal btn--small" onClick={() => { setOpen(true); window.setTimeout(() => categoryRef.current?.focus(), 0); }} aria-keyshortcuts="Alt+T">
            {t('transfer.open')} <kbd className="btn__kbd">Alt+T</kbd>
          </button>
        )}
      </header>

      {attempt && (
        <div className={`transfer__status transfer__status--${attempt.status}`} role="status" aria-live="polite">
          <p className="transfer__line">
            <strong>{t(`transfer.status.${attempt.status}`, { official })}</strong>
            {attempt.status === 'ringing' && <span className="transfer__timer">{t('transfer.ringsFor', { seconds: secondsUntil(attempt.ringDeadlineAt, now) })}</span>}
          </p>
          {attempt.declineReason && <p className="muted">{t('transfer.declineReason', { reason: attempt.declineReason })}</p>}
          {attempt.fallback && (
            <div className="transfer__fallback">
              <p>{t('transfer.fellBack', { number: attempt.fallback.caseNumber })}</p>
              <p className="transfer__sentence">
                <span className="muted">{t('transfer.tellCaller')}</span> “{attempt.fallback.sentence}”
              </p>
            </div>
          )}
          {live && (
            <div className="transfer__actions">
              {attempt.status === 'consulting' && (
                <>
                  <button type="button" className="btn btn--primary btn--small" disabled={act.isPending} onClick={() => act.mutate({ name: 'connect', mode: 'transfer' })}>
                    {t('transfer.connect')}
                  </button>
                  <button type="button" className="btn btn--ghost btn--small" disabled={act.isPending} onClick={() => act.mutate({ name: 'connect', mode: 'conference' })}>
                    {t('transfer.conference')}
                  </button>
                </>
              )}
              <button type="button" className="btn btn--ghost btn--small" disabled={act.isPending} onClick={() => act.mutate({ name: 'cancel' })}>
                {t('transfer.cancel')}
              </button>
            </div>
          )}
          <ErrorNotice error={act.error} />
        </div>
      )}

      {isOpen && callActive && !live && (
        <form className="transfer__form" onSubmit={submit}>
          <div className="field">
            <span className="field-label">{t('transfer.task')}</span>
            <CategoryPicker categories={categories} value={category} onChange={(c) => { setCategory(c); setTargetId(null); }} inputRef={categoryRef} invalid={false} />
          </div>
          {targets.data && (
            <fieldset className="transfer__targets">
              <legend className="field-label">{t('transfer.whom')}</legend>
              {everyone.length === 0 && <p className="empty">{t('transfer.nobody')}</p>}
              {everyone.map((o) => (
                <label key={o.officialId} className={`transfer__target${o.needsReason ? '' : ' is-duty'}${o.presence.reachable ? '' : ' is-away'}`}>
                  <input type="radio" name="transfer-target" value={o.officialId} checked={targetId === o.officialId} onChange={() => setTargetId(o.officialId)} />
                  <span className="transfer__who">
                    {o.name}
                    {o.title ? ` ${o.title}` : ''}
                  </span>
                  <span className="muted">
                    {t(`directory.state.${o.presence.state}`)}
                    {o.departmentName ? ` · ${o.departmentName}` : ''}
                    {o.extension ? ` · ${t('transfer.extension', { extension: o.extension })}` : ''}
                  </span>
                  <span className={`tag${o.needsReason ? '' : ' tag--teal'}`}>{o.needsReason ? t('transfer.department') : t('transfer.onDuty')}</span>
                </label>
              ))}
            </fieldset>
          )}
          <ErrorNotice error={targets.error} />
          <div className="field">
            <label htmlFor="transfer-summary">{t('transfer.summary')}</label>
            <input id="transfer-summary" value={summary} maxLength={200} onChange={(e) => setSummary(e.target.value)} required />
          </div>
          <div className="field">
            <label htmlFor="transfer-notes">{t('transfer.notes')}</label>
            <textarea id="transfer-notes" rows={3} value={notes} maxLength={4000} onChange={(e) => setNotes(e.target.value)} />
          </div>
          {chosen?.needsReason && (
            <div className="field">
              <label htmlFor="transfer-reason">{t('transfer.reason')}</label>
              <input id="transfer-reason" value={reason} maxLength={300} onChange={(e) => setReason(e.target.value)} required />
            </div>
          )}
          <ErrorNotice error={start.error} />
          <div className="transfer__actions">
            <button type="submit" className="btn btn--primary btn--small" disabled={start.isPending || !targetId || summary.trim() === ''}>
              {start.isPending ? t('transfer.asking') : t('transfer.ask')}
            </button>
            <button type="button" className="btn btn--ghost btn--small" onClick={() => setOpen(false)}>
              {t('common.cancel')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
