import { useTranslation } from 'react-i18next';
import { setLanguage, type Language } from '../i18n/i18n';

const OPTIONS: { lng: Language; label: string; name: string }[] = [
  { lng: 'ko', label: '한', name: '한국어' },
  { lng: 'en', label: 'EN', name: 'English' },
];

/** 한/EN: the choice is remembered in this browser. */
export function LanguageToggle() {
  const { t, i18n } = useTranslation();
  const current = i18n.language === 'en' ? 'en' : 'ko';
  return (
    <div className="segmented segmented--small" role="group" aria-label={t('app.language')}>
      {OPTIONS.map((o) => (
        <button
          key={o.lng}
          type="button"
          lang={o.lng}
          aria-label={o.name}
          aria-pressed={current === o.lng}
          className="segmented__btn"
          onClick={() => setLanguage(o.lng)}
        >
          {o.label}
        </button>
      ))}
    </div>
  );
}
