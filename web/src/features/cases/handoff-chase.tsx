import { useTranslation } from 'react-i18next';
import type { HandOffAddition } from '../../../../core/contracts/handoffs';
import { useFormat } from '../../lib/use-format';
import './one-stop.css';

/** 독촉 n회: how many times the citizen called again about a hand-off (nothing when never). */
export function ChaseMark({ count, lastAt }: { count: number | undefined; lastAt?: string | null }) {
  const { t } = useTranslation();
  const f = useFormat();
  if (!count) return null;
  return (
    <span className="chase-mark" title={t('oneStop.chase.markTitle', { count, at: lastAt ? f.short(lastAt) : '—' })}>
      {t('oneStop.chase.mark', { count })}
    </span>
  );
}

/** 추가 민원: the repeat calls added to a hand-off, oldest first, each with its case number, agent, summary and notes. */
export function HandOffAdditions({ items }: { items: readonly HandOffAddition[] | undefined }) {
  const { t } = useTranslation();
  const f = useFormat();
  if (!items || items.length === 0) return null;
  return (
    <section className="additions" aria-labelledby="additions-heading">
      <h3 id="additions-heading" className="additions__title">
        {t('oneStop.chase.additions', { count: items.length })}
      </h3>
      <p className="additions__lead">{t('oneStop.chase.additionsLead')}</p>
      <ol className="additions__list">
        {items.map((a) => (
          <li key={a.caseId} className="additions__item">
            <div className="additions__meta">
              <time dateTime={a.addedAt}>{f.dateTime(a.addedAt)}</time> · {t('oneStop.chase.addedBy', { number: a.caseNumber, agent: a.agentName ?? t('common.unknown') })}
            </div>
            <div className="additions__summary">{a.summary}</div>
            {a.notes && <p className="additions__notes prewrap">{a.notes}</p>}
          </li>
        ))}
      </ol>
    </section>
  );
}
