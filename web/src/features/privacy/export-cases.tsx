import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { REQUEST_HEADER } from '../../../../core/contracts/common';
import { EXPORT_REASONS, type AccessReasonCode, type CaseExportBody } from '../../../../core/contracts/privacy';
import { ApiError } from '../../api/client';
import { Dialog } from '../../components/dialog';
import { ErrorNotice } from '../../components/notice';
import { kstToday } from '../../lib/kst-day';

const monthStart = (day: string) => `${day.slice(0, 8)}01`;

/** POSTs the export and saves the file the server answers (a download needs the body as a blob, not JSON). */
async function downloadExport(body: CaseExportBody): Promise<void> {
  const res = await fetch('/api/cases/export', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json', [REQUEST_HEADER]: '1' },
    body: JSON.stringify(body),
  });
  if (!res.ok) {
    const payload = (await res.json().catch(() => null)) as { error?: { code: string; message: string } } | null;
    throw new ApiError(res.status, payload?.error?.code ?? `HTTP_${res.status}`, payload?.error?.message ?? res.statusText);
  }
  const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? `onecall-cases.${body.format}`;
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * 상담이력 내려받기: a button that opens a dialog asking the period, the format and the reason (제8조②: a download
 * states its reason); the server masks citizens' data and records the download.
 */
export function ExportCasesButton() {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [format, setFormat] = useState<'xlsx' | 'csv'>('xlsx');
  const [from, setFrom] = useState(() => monthStart(kstToday()));
  const [to, setTo] = useState(() => kstToday());
  const [reasonCode, setReasonCode] = useState<AccessReasonCode>(EXPORT_REASONS[0]);
  const [reasonText, setReasonText] = useState('');
  const [formError, setFormError] = useState<string | null>(null);
  const run = useMutation({ mutationFn: downloadExport, onSuccess: () => setOpen(false) });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (reasonText.trim().length < 2) {
      setFormError(t('privacy.needReason'));
      return;
    }
    setFormError(null);
    run.mutate({ format, from, to, reasonCode, reasonText: reasonText.trim() });
  };

  return (
    <>
      <button type="button" className="btn btn--ghost btn--small" onClick={() => setOpen(true)}>
        {t('privacy.export')}
      </button>
      <Dialog open={open} title={t('privacy.exportTitle')} onClose={() => setOpen(false)}>
        <form className="form" onSubmit={submit}>
          <p className="hint">{t('privacy.exportLead')}</p>
          <div className="field">
            <label htmlFor="export-format">{t('privacy.exportFormat')}</label>
            <select id="export-format" value={format} onChange={(e) => setFormat(e.target.value as 'xlsx' | 'csv')}>
              <option value="xlsx">Excel (XLSX)</option>
              <option value="csv">CSV</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor="export-from">{t('privacy.exportFrom')}</label>
            <input id="export-from" type="date" value={from} onChange={(e) => setFrom(e.target.value)} required />
          </div>
          <div className="field">
            <label htmlFor="export-to">{t('privacy.exportTo')}</label>
            <input id="export-to" type="date" value={to} onChange={(e) => setTo(e.target.value)} required />
          </div>
          <div className="field">
            <label htmlFor="export-reason">{t('privacy.exportReason')}</label>
            <select id="export-reason" value={reasonCode} onChange={(e) => setReasonCode(e.target.value as AccessReasonCode)}>
              {EXPORT_REASONS.map((r) => (
                <option key={r} value={r}>
                  {t(`privacy.reason_${r}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="export-reason-text">{t('privacy.reasonText')}</label>
            <input id="export-reason-text" value={reasonText} maxLength={200} onChange={(e) => setReasonText(e.target.value)} aria-invalid={formError ? true : undefined} />
            {formError && <p className="field-error">{formError}</p>}
          </div>
          <ErrorNotice error={run.error} />
          <div className="form__actions">
            <button type="submit" className="btn btn--primary" disabled={run.isPending}>
              {run.isPending ? t('privacy.exporting') : t('privacy.exportSubmit')}
            </button>
          </div>
        </form>
      </Dialog>
    </>
  );
}
