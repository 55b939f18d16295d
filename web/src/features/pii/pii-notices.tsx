import { josa } from 'es-hangul';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { findFreeTextKinds } from '../../../../core/domain/name-detection';
import type { PiiKind } from '../../../../core/domain/pii';
import { useDebounced } from '../../lib/use-debounced';

/** How long typing must pause before the text is scanned: one scan per pause, not per key. */
const SCAN_DELAY_MS = 400;

/**
 * The kinds of personal data in a text being typed, scanned once typing pauses; [] at once when it is emptied.
 * `callerName`: the caller's name as the screen shows it (김*희): the real name typed out (김영희) is a person_name,
 * like a name after 민원인/성명/이름/본인 (core/domain/name-detection.ts).
 */
export function usePersonalDataWhileTyping(text: string, callerName: string | null = null): PiiKind[] {
  const settled = useDebounced(text, SCAN_DELAY_MS);
  const source = text ? settled : '';
  return useMemo(() => findFreeTextKinds(source, [callerName]), [source, callerName]);
}

function useKindList() {
  const { t } = useTranslation();
  return (kinds: readonly PiiKind[]) => kinds.map((k) => t(`pii.kind.${k}`)).join(', ');
}

/**
 * The live warning under a free-text field: what personal data it holds and that saving will mask it. The region is
 * always rendered so screen readers announce the warning when it appears.
 */
export function PersonalDataWarning({ id, kinds }: { id: string; kinds: readonly PiiKind[] }) {
  const { t } = useTranslation();
  const kindList = useKindList();
  return (
    <div aria-live="polite">
      {kinds.length > 0 && (
        <p id={id} className="notice notice--warn pii-warning">
          {t('pii.typing', { kinds: kindList(kinds) })}
        </p>
      )}
    </div>
  );
}

/** After a save: the personal data the server masked before storing the text ("주민등록번호, 전화번호를 가려서 …"). */
export function MaskedNotice({ kinds, onClose }: { kinds: readonly PiiKind[] | undefined; onClose?: () => void }) {
  const { t } = useTranslation();
  const kindList = useKindList();
  if (!kinds || kinds.length === 0) return null;
  return (
    <div className="notice notice--warn pii-masked" role="status">
      <span>{t('pii.masked', { kinds: kindList(kinds), kindsObject: josa(kindList(kinds), '을/를') })}</span>
      {onClose && (
        <button type="button" className="btn btn--ghost btn--icon btn--tiny" aria-label={t('common.close')} onClick={onClose}>
          <span aria-hidden="true">✕</span>
        </button>
      )}
    </div>
  );
}
