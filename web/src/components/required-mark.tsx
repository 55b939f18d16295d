import { useTranslation } from 'react-i18next';

/** The required marker on a field's label (core/glossary.ts: on the label, not only in the placeholder). */
export function RequiredMark() {
  const { t } = useTranslation();
  return <span className="required-mark">{t('common.required')}</span>;
}
