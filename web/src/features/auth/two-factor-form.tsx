import { useState, type FormEvent } from 'react';
import '../../styles/security.css';
import { useTranslation } from 'react-i18next';
import { TotpCodeSchema, type TotpEnrolment } from '../../../../core/contracts/auth';

/**
 * The 6-digit code input of two-factor sign-in and enrolment: autofocus, numeric keyboard on phones, one-time-code
 * autofill, and (for an enrolment) the QR code with the setup key as text for manual entry.
 */
export function TwoFactorForm({
  enrolment,
  lead,
  submitLabel,
  pending,
  error,
  onSubmit,
  idPrefix = 'totp',
}: {
  enrolment?: TotpEnrolment | undefined;
  lead: string;
  submitLabel: string;
  pending: boolean;
  error: string | null;
  onSubmit: (code: string) => void;
  idPrefix?: string;
}) {
  const { t } = useTranslation();
  const [code, setCode] = useState('');
  const [localError, setLocalError] = useState<string | null>(null);
  const shown = localError ?? error;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const parsed = TotpCodeSchema.safeParse(code);
    if (!parsed.success) {
      setLocalError(t('security.codeInvalid'));
      return;
    }
    setLocalError(null);
    onSubmit(parsed.data);
  };

  return (
    <form onSubmit={submit} noValidate className="form">
      <p className="signin__lead">{lead}</p>
      {enrolment && (
        <div className="totp-enrol">
          <img className="totp-enrol__qr" src={enrolment.qrDataUrl} alt={t('security.qrAlt')} width={220} height={220} />
          <div className="field">
            <label htmlFor={`${idPrefix}-secret`}>{t('security.manualKey')}</label>
            <input id={`${idPrefix}-secret`} className="totp-enrol__secret" readOnly value={enrolment.secret} onFocus={(e) => e.currentTarget.select()} />
          </div>
        </div>
      )}
      <div className="field">
        <label htmlFor={`${idPrefix}-code`}>{t('security.code')}</label>
        <input
          id={`${idPrefix}-code`}
          name="one-time-code"
          inputMode="numeric"
          pattern="[0-9]*"
          autoComplete="one-time-code"
          maxLength={7}
          autoFocus
          placeholder={t('security.codeHint')}
          value={code}
          onChange={(e) => setCode(e.target.value.replace(/[^\d ]/g, ''))}
          aria-invalid={shown ? true : undefined}
          aria-describedby={shown ? `${idPrefix}-error` : undefined}
        />
      </div>
      {shown && (
        <p id={`${idPrefix}-error`} className="notice notice--error" role="alert">
          {shown}
        </p>
      )}
      <button type="submit" className="btn btn--primary btn--block" disabled={pending}>
        {pending ? t('security.verifying') : submitLabel}
      </button>
    </form>
  );
}
