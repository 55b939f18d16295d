import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useCategories } from '../../api/queries';
import { useRising } from './stats-api';
import { writeFilters } from './stats-query';

/**
 * 급증 업무 (issue #12 §1): a category well above its usual level for this hour and weekday (snow removal, a water
 * outage) as a banner on the supervisor's screen, linking to today's 업무별 statistics. Nothing when all is usual.
 */
export function RisingBanner() {
  const { t } = useTranslation();
  const rising = useRising(true);
  const categories = useCategories();
  const items = rising.data?.rising ?? [];
  const parentOf = new Map((categories.data ?? []).map((c) => [c.id, c.parentId]));
  // Each rise opens today's 업무별 at its parent's level, where its own row is.
  const linkOf = (categoryId: string) => {
    const parent = parentOf.get(categoryId);
    return `/stats?${writeFilters(parent ? { view: 'task', period: 'day', category: parent } : { view: 'task', period: 'day' }).toString()}`;
  };
  if (items.length === 0) return null;
  return (
    <div className="notice notice--warn stats-rising" role="status" aria-live="polite">
      <div>
        <strong>{t('stats.rising.banner')}</strong>
        <ul className="stats-rising__list">
          {items.slice(0, 5).map((r) => (
            <li key={r.categoryId}>
              <Link to={linkOf(r.categoryId)}>{t('stats.rising.item', { path: r.path, count: r.count, mean: (Math.round(r.baselineMean * 10) / 10).toString() })}</Link>
            </li>
          ))}
        </ul>
      </div>
      <Link className="btn btn--small" to={`/stats?${writeFilters({ view: 'task', period: 'day' }).toString()}`}>
        {t('stats.rising.open')}
      </Link>
    </div>
  );
}
