import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { HandOffItem } from '../../../../core/contracts/handoffs';
import { allowedHandOffActions } from '../../../../core/domain/handoff-lifecycle';
import { Dialog } from '../../components/dialog';
import { ErrorNotice } from '../../components/notice';
import { kstDateTimeLocal, kstIsoOf } from '../../lib/kst-day';
import { useFormat } from '../../lib/use-format';
import { useDelegateHandOff, useExtendHandOff, useHandOffOfficials, useReturnHandOff } from './handoff-queries';
import './handoffs.css';

type Open = 'return' | 'extend' | 'delegate' | null;

/**
 * 반려 / 기한 연장 / 위임 on an open hand-off (issue #11 §3): three buttons and their dialogs, each with the reason
 * the law or the supervisors need. The official of the department does all three; a supervisor may return.
 */
export function LifecycleActions({ item, role }: { item: HandOffItem; role: string | undefined }) {
  const { t } = useTranslation();
  const f = useFormat();
  const [open, setOpen] = useState<Open>(null);
  const canReturn = (role === 'official' || role === 'supervisor') && allowedHandOffActions(item.status).includes('return');
  const isOfficial = role === 'official';
  if (!canReturn && !isOfficial) return null;
  return (
    <div className="life-actions">
      {item.extendedAt && (
        <p className="life-actions__fact">
          {t('handoffLife.extendUsed', { at: f.short(item.extendedAt), original: f.short(item.originalDueAt), reason: item.extensionReason ?? '' })}
        </p>
      )}
      <div className="life-actions__buttons" role="group" aria-label={t('handoffLife.actions')}>
        {canReturn && (
          <button type="button" className="btn btn--ghost" onClick={() => setOpen('return')}>
            {t('handoffLife.return')}
          </button>
        )}
        {isOfficial && (
          <button type="button" className="btn btn--ghost" disabled={!item.latestExtendedDueAt} title={item.latestExtendedDueAt ? undefined : t('handoffLife.extendNotPossible')} onClick={() => setOpen('extend')}>
            {t('handoffLife.extend')}
          </button>
        )}
        {isOfficial && canReturn && (
          <button type="button" className="btn btn--ghost" onClick={() => setOpen('delegate')}>
            {t('handoffLife.delegate')}
          </button>
        )}
      </div>
      {open === 'return' && <ReturnDialog item={item} onClose={() => setOpen(null)} />}
      {open === 'extend' && item.latestExtendedDueAt && <ExtendDialog item={item} latest={item.latestExtendedDueAt} onClose={() => setOpen(null)} />}
      {open === 'delegate' && <DelegateDialog item={item} onClose={() => setOpen(null)} />}
    </div>
  );
}

/** A required text field with its label, hint and error. */
function ReasonField({ id, label, hint, value, onChange, error, rows = 3, maxLength }: { id: string; label: string; hint?: string; value: string; onChange: (v: string) => void; error: string | null; rows?: number; maxLength: number }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        rows={rows}
        maxLength={maxLength}
        value={value}
        autoFocus
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={`${id}-msg`}
      />
      <p id={`${id}-msg`} className={error ? 'field-error' : 'field-hint'}>
        {error ?? hint}
      </p>
    </div>
  );
}

function DialogButtons({ busy, submit, onClose }: { busy: boolean; submit: string; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="dialog__actions">
      <button type="button" className="btn btn--ghost" onClick={onClose}>
        {t('handoffLife.cancel')}
      </button>
      <button type="submit" className="btn btn--primary" disabled={busy}>
        {submit}
      </button>
    </div>
  );
}

function ReturnDialog({ item, onClose }: { item: HandOffItem; onClose: () => void }) {
  const { t } = useTranslation();
  const mutation = useReturnHandOff();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!reason.trim()) return setError(t('handoffLife.required'));
    mutation.mutate({ id: item.id, reason }, { onSuccess: onClose });
  };
  return (
    <Dialog open title={t('handoffLife.returnTitle')} subtitle={item.caseNumber} onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <p className="dialog__lead">{t('handoffLife.returnLead')}</p>
        <ReasonField id="return-reason" label={t('handoffLife.returnReason')} hint={t('handoffLife.returnReasonHint')} value={reason} onChange={setReason} error={error} maxLength={500} />
        <ErrorNotice error={mutation.error} />
        <DialogButtons busy={mutation.isPending} submit={t('handoffLife.returnSubmit')} onClose={onClose} />
      </form>
    </Dialog>
  );
}

function ExtendDialog({ item, latest, onClose }: { item: HandOffItem; latest: string; onClose: () => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  const mutation = useExtendHandOff();
  // Day-counted periods end at 18:00 of a working day: the official picks the day; hour-counted ones a time too.
  const byDay = kstDateTimeLocal(latest).endsWith('T18:00');
  const [due, setDue] = useState(byDay ? kstDateTimeLocal(latest).slice(0, 10) : kstDateTimeLocal(latest));
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!reason.trim()) return setError(t('handoffLife.required'));
    const newDueAt = kstIsoOf(byDay ? `${due}T18:00` : due);
    mutation.mutate({ id: item.id, newDueAt, reason }, { onSuccess: onClose });
  };
  return (
    <Dialog open title={t('handoffLife.extendTitle')} subtitle={item.caseNumber} onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <p className="dialog__lead">{t('handoffLife.extendLead')}</p>
        <dl className="facts facts--grid">
          <div>
            <dt>{t('handoffLife.extendCurrent')}</dt>
            <dd>{f.dateTime(item.dueAt)}</dd>
          </div>
          <div>
            <dt>{t('handoffLife.extendLatest')}</dt>
            <dd>{f.dateTime(latest)}</dd>
          </div>
        </dl>
        <div className="field">
          <label htmlFor="extend-due">{t('handoffLife.extendNewDue')}</label>
          <input
            id="extend-due"
            type={byDay ? 'date' : 'datetime-local'}
            value={due}
            min={byDay ? kstDateTimeLocal(item.dueAt).slice(0, 10) : kstDateTimeLocal(item.dueAt)}
            max={byDay ? kstDateTimeLocal(latest).slice(0, 10) : kstDateTimeLocal(latest)}
            onChange={(e) => setDue(e.target.value)}
            required
          />
        </div>
        <ReasonField id="extend-reason" label={t('handoffLife.extendReason')} hint={t('handoffLife.extendReasonHint')} value={reason} onChange={setReason} error={error} rows={2} maxLength={200} />
        <ErrorNotice error={mutation.error} />
        <DialogButtons busy={mutation.isPending} submit={t('handoffLife.extendSubmit')} onClose={onClose} />
      </form>
    </Dialog>
  );
}

function DelegateDialog({ item, onClose }: { item: HandOffItem; onClose: () => void }) {
  const { t } = useTranslation();
  const officials = useHandOffOfficials(null);
  const mutation = useDelegateHandOff();
  const [officialId, setOfficialId] = useState('');
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!officialId) return setError(t('handoffLife.required'));
    mutation.mutate({ id: item.id, officialId, note }, { onSuccess: onClose });
  };
  return (
    <Dialog open title={t('handoffLife.delegateTitle')} subtitle={item.caseNumber} onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <p className="dialog__lead">{t('handoffLife.delegateLead')}</p>
        <div className="field">
          <label htmlFor="delegate-to">{t('handoffLife.delegateTo')}</label>
          <select id="delegate-to" value={officialId} autoFocus onChange={(e) => setOfficialId(e.target.value)} aria-invalid={error ? true : undefined} aria-describedby="delegate-to-msg">
            <option value="">{t('handoffLife.delegateChoose')}</option>
            {(officials.data ?? [])
              .filter((o) => o.id !== item.assigneeId)
              .map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}
                  {o.title ? ` ${o.title}` : ''}
                  {o.isDepartmentHead ? ` (${t('handoffLife.head')})` : ''}
                </option>
              ))}
          </select>
          {error && (
            <p id="delegate-to-msg" className="field-error">
              {error}
            </p>
          )}
        </div>
        <div className="field">
          <label htmlFor="delegate-note">{t('handoffLife.delegateNote')}</label>
          <input id="delegate-note" type="text" maxLength={500} value={note} onChange={(e) => setNote(e.target.value)} />
        </div>
        <ErrorNotice error={officials.error ?? mutation.error} />
        <DialogButtons busy={mutation.isPending} submit={t('handoffLife.delegateSubmit')} onClose={onClose} />
      </form>
    </Dialog>
  );
}

/** Small marks on an inbox row: 연장 (the one extension is used) and 재지정 (it came back from another department). */
export function LifecycleMarks({ item }: { item: HandOffItem }) {
  const { t } = useTranslation();
  return (
    <>
      {item.extendedAt && <span className="badge badge--warn">{t('handoffLife.markExtended')}</span>}
      {item.returnedAt && item.status !== 'returned' && (
        <span className="badge badge--info" title={item.returnReason ?? undefined}>
          {t('handoffLife.markRerouted')}
        </span>
      )}
    </>
  );
}
