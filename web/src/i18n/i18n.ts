import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en';
import { registerParticles } from './josa';
import { ko, type Resources } from './ko';

export type Language = 'ko' | 'en';

const STORAGE_KEY = 'onecall.lang';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: Resources };
  }
}

function storedLanguage(): Language {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'ko';
  } catch {
    return 'ko';
  }
}

/** Korean first; English when the user chose it (remembered in localStorage). */
export function initI18n(): typeof i18next {
  const lng = storedLanguage();
  void i18next.use(initReactI18next).init({
    resources: { ko: { translation: ko }, en: { translation: en } },
    lng,
    fallbackLng: 'ko',
    interpolation: { escapeValue: false },
    returnNull: false,
    initAsync: false,
  });
  registerParticles(i18next);
  document.documentElement.lang = lng;
  return i18next;
}

export function setLanguage(lng: Language): void {
  try {
    localStorage.setItem(STORAGE_KEY, lng);
  } catch {
    // Private mode: the choice lasts for this page only.
  }
  document.documentElement.lang = lng;
  void i18next.changeLanguage(lng);
}

export function currentLanguage(): Language {
  return i18next.language === 'en' ? 'en' : 'ko';
}
