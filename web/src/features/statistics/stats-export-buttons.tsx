import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../../components/notice';
import { downloadStats } from './stats-api';
import type { StatsFilters, StatsReportName } from './stats-query';

/** 내려받기: the report on screen as CSV or XLSX, with the same filters; a refusal is shown in the server's words. */
export function StatsExportButtons({ report, filters, what, disabled }: { report: StatsReportName; filters: StatsFilters; what: string; disabled?: boolean }) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState<'csv' | 'xlsx' | null>(null);
  const [error, setError] = useState<unknown>(null);
  const run = (format: 'csv' | 'xlsx') => {
    setBusy(format);
    setError(null);
    downloadStats(report, filters, format)
      .catch((err: unknown) => setError(err))
      .finally(() => setBusy(null));
  };
  return (
    <div className="stats-export" role="group" aria-label={t('stats.download')}>
      <span className="stats-export__label">{t('stats.download')}</span>
      {(['xlsx', 'csv'] as const).map((format) => (
        <button
          key={format}
          type="button"
          className="btn btn--small btn--ghost"
          disabled={disabled || busy !== null}
          aria-label={t('stats.downloadLabel', { what, format: format === 'csv' ? t('stats.downloadCsv') : t('stats.downloadXlsx') })}
          onClick={() => run(format)}
        >
          {busy === format ? t('stats.downloading') : format === 'csv' ? t('stats.downloadCsv') : t('stats.downloadXlsx')}
        </button>
      ))}
      <ErrorNotice error={error} />
    </div>
  );
}
