import { useTranslation } from 'react-i18next';
import type { HeadlineReport, StatsTotals } from '../../../../core/contracts/statistics';
import { clock, count, pct } from './stats-format';

/** 핵심 지표: 직접처리율 against the city's target and first-contact resolution (provisional until N days passed). */
export function HeadlineTiles({ headline, totals }: { headline: HeadlineReport | undefined; totals?: StatsTotals | undefined }) {
  const { t } = useTranslation();
  const h = headline;
  const meets = h?.meetsTarget;
  return (
    <div className="tiles stats-tiles" role="group" aria-label={t('stats.headline.heading')}>
      <div className={`tile${meets === false ? ' tile--warn' : ''}`} role="group" aria-label={t('stats.headline.directResolution')}>
        <span className="tile__label">{t('stats.headline.directResolution')}</span>
        <span className="tile__value">{pct(h?.directResolutionRate)}</span>
        <span className="tile__hint">
          {h ? t('stats.headline.target', { rate: pct(h.directResolutionTarget, 0) }) : ''}
          {meets !== null && meets !== undefined && ` · ${meets ? t('stats.headline.meets') : t('stats.headline.misses')}`}
          {h ? ` · ${t('stats.headline.handled', { n: count(h.handled) })}` : ''}
        </span>
      </div>
      <div className="tile" role="group" aria-label={t('stats.headline.fcr')}>
        <span className="tile__label">{t('stats.headline.fcr')}</span>
        <span className="tile__value">{pct(h?.fcr.rate)}</span>
        <span className="tile__hint">
          {h ? (h.fcr.isFinal ? t('stats.headline.fcrHint', { days: h.fcr.windowDays }) : t('stats.headline.fcrProvisional', { days: h.fcr.windowDays })) : ''}
        </span>
      </div>
      {totals && (
        <>
          <div className="tile" role="group" aria-label={t('stats.figure.serviceLevel')}>
            <span className="tile__label">{t('stats.figure.serviceLevel')}</span>
            <span className="tile__value">{pct(totals.serviceLevel)}</span>
            <span className="tile__hint">
              {t('stats.figure.offered')} {count(totals.offered)} · {t('stats.figure.abandonmentRate')} {pct(totals.abandonmentRate)}
            </span>
          </div>
          <div className="tile" role="group" aria-label={t('stats.figure.aht')}>
            <span className="tile__label">{t('stats.figure.aht')}</span>
            <span className="tile__value">{clock(totals.ahtSeconds)}</span>
            <span className="tile__hint">
              {t('stats.figure.asa')} {clock(totals.asaSeconds)} · {t('stats.figure.handled')} {count(totals.handled)}
            </span>
          </div>
        </>
      )}
    </div>
  );
}
