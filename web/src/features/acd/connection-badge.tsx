import { useTranslation } from 'react-i18next';
import { useRealtime } from '../../api/realtime-provider';

/** 실시간 연결 상태: a small dot and word; while reconnecting it offers to try again now. */
export function ConnectionBadge({ large = false }: { large?: boolean }) {
  const { t } = useTranslation();
  const { status, available, retry } = useRealtime();
  if (!available) return null;
  return (
    <span className={`conn conn--${status}${large ? ' conn--large' : ''}`} role="status" aria-live="polite" title={t('acd.connection.title')}>
      <span className="conn__dot" aria-hidden="true" />
      <span>{t(`acd.connection.${status}`)}</span>
      {status === 'reconnecting' && (
        <button type="button" className="conn__retry" onClick={retry}>
          {t('common.retry')}
        </button>
      )}
    </span>
  );
}
