import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../api/client';

/*
 * Pieces the admin's editors share (부서·분류 관리, 상담 자료 관리): the refusal of a save in Korean, the line that says
 * what was done, and a dialog's 취소 / 저장.
 */

/** The server's refusal (its Korean message), or nothing. */
export function SaveError({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (!error) return null;
  return (
    <p className="notice notice--error" role="alert">
      {errorMessage(error, { network: t('common.networkError'), generic: t('common.loadFailed') })}
    </p>
  );
}

/** What the last action did ("도로관리과: 저장했습니다."), read out by screen readers. */
export function DoneLine({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <p className="notice" role="status">
      {message}
    </p>
  );
}

/** A dialog form's 취소 and 저장 (submit). */
export function CancelSave({ onClose, pending }: { onClose: () => void; pending: boolean }) {
  const { t } = useTranslation();
  return (
    <div className="dialog__actions">
      <button type="button" className="btn" onClick={onClose}>
        {t('editors.cancel')}
      </button>
      <button type="submit" className="btn btn--primary" disabled={pending}>
        {t('editors.save')}
      </button>
    </div>
  );
}
