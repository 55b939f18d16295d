import { useTranslation } from 'react-i18next';

const SHORTCUTS = [
  { keys: ['Alt', 'N'], label: 'shortcuts.call' },
  { keys: ['Alt', 'K'], alt: '/', label: 'shortcuts.search' },
  { keys: ['Alt', 'C'], label: 'shortcuts.category' },
  { keys: ['Alt', 'S'], label: 'shortcuts.summary' },
  { keys: ['Ctrl', 'Enter'], label: 'shortcuts.resolve' },
  { keys: ['Ctrl', 'Shift', 'Enter'], label: 'shortcuts.handOff' },
  { keys: ['Alt', 'A'], label: 'shortcuts.answer' },
  { keys: ['Alt', 'H'], label: 'shortcuts.hold' },
  { keys: ['Alt', 'X'], label: 'shortcuts.endCall' },
  { keys: ['Alt', 'T'], label: 'shortcuts.transfer' },
  { keys: ['Alt', 'P'], label: 'protection.link' },
  { keys: ['Alt', 'B'], label: 'protection.mine.heading' },
  { keys: ['Alt', 'R'], label: 'shortcuts.ready' },
  { keys: ['Esc'], label: 'shortcuts.close' },
] as const;

/** The desk's keyboard shortcuts, always in view at the bottom of the screen. */
export function ShortcutLegend() {
  const { t } = useTranslation();
  return (
    <footer className="legend" aria-labelledby="legend-heading">
      <h2 id="legend-heading" className="legend__title">
        {t('shortcuts.heading')}
      </h2>
      <ul className="legend__list">
        {SHORTCUTS.map((s) => (
          <li key={s.label} className="legend__item">
            <span className="legend__keys">
              {s.keys.map((k, i) => (
                <span key={k}>
                  {i > 0 && <span className="legend__plus">+</span>}
                  <kbd>{k}</kbd>
                </span>
              ))}
              {'alt' in s && (
                <>
                  <span className="legend__or">/</span>
                  <kbd>{s.alt}</kbd>
                </>
              )}
            </span>
            <span className="legend__label">{t(s.label)}</span>
          </li>
        ))}
      </ul>
    </footer>
  );
}
