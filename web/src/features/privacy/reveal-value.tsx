import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { UNMASK_REASONS, type AccessReasonCode, type UnmaskField, type UnmaskResult } from '../../../../core/contracts/privacy';
import { api } from '../../api/client';
import { Dialog } from '../../components/dialog';
import { ErrorNotice } from '../../components/notice';

/**
 * A masked citizen value with a 보기 button: the user picks a reason and explains it, the server checks the day's
 * allowance, records the access and answers the plain value, which lives only in this component's state (never in
 * the query cache): leaving the view or pressing 가리기 masks it again.
 */
export function RevealValue({ citizenId, field, masked, className }: { citizenId: string | null; field: UnmaskField; masked: string; className?: string }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [reasonCode, setReasonCode] = useState<AccessReasonCode>(UNMASK_REASONS[0]);
  const [reasonText, setReasonText] = useState('');
  const [formError, setFormError] = useState<string | null>(null);
  const [revealed, setRevealed] = useState<UnmaskResult | null>(null);
  const reveal = useMutation({
    mutationFn: (body: { citizenId: string; field: UnmaskField; reasonCode: AccessReasonCode; reasonText: string }) =>
      api<UnmaskResult>('/api/privacy/unmask', { body }),
    onSuccess: (result) => {
      setRevealed(result);
      setOpen(false);
      setReasonText('');
    },
  });
  const fieldName = t(`privacy.field_${field}`);

  if (revealed) {
    return (
      <span className={className}>
        <span className="reveal__value">{revealed.value ?? ''}</span>{' '}
        <span className="muted">({t('privacy.revealed')})</span>{' '}
        <button type="button" className="btn btn--ghost btn--tiny" onClick={() => setRevealed(null)}>
          {t('privacy.hide')}
        </button>
      </span>
    );
  }

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!citizenId) return;
    if (reasonText.trim().length < 2) {
      setFormError(t('privacy.needReason'));
      return;
    }
    setFormError(null);
    reveal.mutate({ citizenId, field, reasonCode, reasonText: reasonText.trim() });
  };

  return (
    <span className={className}>
      <span>{masked}</span>
      {citizenId && (
        <>
          {' '}
          <button type="button" className="btn btn--ghost btn--tiny" aria-label={`${fieldName} ${t('privacy.reveal')}`} onClick={() => setOpen(true)}>
            {t('privacy.reveal')}
          </button>
          <Dialog open={open} title={t('privacy.revealTitle')} subtitle={masked} onClose={() => setOpen(false)}>
            <form className="form" onSubmit={submit}>
              <p className="hint">{t('privacy.revealLead', { field: fieldName })}</p>
              <div className="field">
                <label htmlFor={`reveal-reason-${field}`}>{t('privacy.reasonCode')}</label>
                <select id={`reveal-reason-${field}`} value={reasonCode} onChange={(e) => setReasonCode(e.target.value as AccessReasonCode)}>
                  {UNMASK_REASONS.map((r) => (
                    <option key={r} value={r}>
                      {t(`privacy.reason_${r}`)}
                    </option>
                  ))}
                </select>
              </div>
              <div className="field">
                <label htmlFor={`reveal-text-${field}`}>{t('privacy.reasonText')}</label>
                <input
                  id={`reveal-text-${field}`}
                  value={reasonText}
                  maxLength={200}
                  placeholder={t('privacy.reasonTextHint')}
                  onChange={(e) => setReasonText(e.target.value)}
                  aria-invalid={formError ? true : undefined}
                />
                {formError && <p className="field-error">{formError}</p>}
              </div>
              <ErrorNotice error={reveal.error} />
              <div className="form__actions">
                <button type="submit" className="btn btn--primary" disabled={reveal.isPending}>
                  {t('privacy.confirmReveal')}
                </button>
              </div>
            </form>
          </Dialog>
        </>
      )}
    </span>
  );
}
