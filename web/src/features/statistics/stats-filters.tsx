import { useTranslation } from 'react-i18next';
import type { StatsBucket, StatsPeriodKind } from '../../../../core/contracts/statistics';
import { useDepartments } from '../../api/queries';
import { isDay, withPeriod, type FilterProblem, type StatsFilters } from './stats-query';

const KINDS: StatsPeriodKind[] = ['day', 'week', 'month', 'year', 'custom'];
const BUCKETS: StatsBucket[] = ['hour', 'day', 'week', 'month', 'year'];

/**
 * 조회 조건: the period (day / week / month / year around a day, or a custom range), the department (supervisors) and
 * the trend's bucket (by period). Every change goes to the URL through `onChange`.
 */
export function StatsFiltersBar({
  filters,
  today,
  problem,
  showDepartment,
  showGranularity,
  onChange,
}: {
  filters: StatsFilters;
  today: string;
  problem: FilterProblem;
  showDepartment: boolean;
  showGranularity: boolean;
  onChange: (f: StatsFilters) => void;
}) {
  const { t } = useTranslation();
  const departments = useDepartments();
  const setDay = (key: 'date' | 'from' | 'to', value: string) => {
    if (value === '' && key === 'date') {
      const { date: _d, ...rest } = filters;
      onChange(rest);
    } else if (isDay(value)) onChange({ ...filters, [key]: value });
  };

  return (
    <form className="stats-filters" aria-label={t('stats.filters')} onSubmit={(e) => e.preventDefault()}>
      <div className="stats-filters__group" role="group" aria-label={t('stats.periodKind')}>
        <div className="segmented">
          {KINDS.map((k) => (
            <button key={k} type="button" className="segmented__btn" aria-pressed={filters.period === k} onClick={() => onChange(withPeriod(filters, k, today))}>
              {t(`stats.period.${k}`)}
            </button>
          ))}
        </div>
      </div>
      {filters.period === 'custom' ? (
        <>
          <label className="stats-filters__field">
            <span>{t('stats.from')}</span>
            <input type="date" className="input input--small" max={today} value={filters.from ?? ''} onChange={(e) => setDay('from', e.target.value)} />
          </label>
          <label className="stats-filters__field">
            <span>{t('stats.to')}</span>
            <input type="date" className="input input--small" max={today} value={filters.to ?? ''} onChange={(e) => setDay('to', e.target.value)} />
          </label>
        </>
      ) : (
        <label className="stats-filters__field">
          <span>{t('stats.date')}</span>
          <input type="date" className="input input--small" max={today} value={filters.date ?? today} onChange={(e) => setDay('date', e.target.value)} />
        </label>
      )}
      {showDepartment && (
        <label className="stats-filters__field">
          <span>{t('stats.department')}</span>
          <select
            className="input input--small"
            value={filters.department ?? ''}
            onChange={(e) => {
              const { department: _d, category: _c, ...rest } = filters;
              onChange(e.target.value ? { ...rest, department: e.target.value } : rest);
            }}
          >
            <option value="">{t('stats.allDepartments')}</option>
            {(departments.data ?? []).map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </select>
        </label>
      )}
      {showGranularity && (
        <label className="stats-filters__field">
          <span>{t('stats.granularity')}</span>
          <select
            className="input input--small"
            value={filters.granularity ?? ''}
            onChange={(e) => {
              const { granularity: _g, ...rest } = filters;
              const g = BUCKETS.find((b) => b === e.target.value);
              onChange(g ? { ...rest, granularity: g } : rest);
            }}
          >
            <option value="">{t('stats.granularityAuto')}</option>
            {BUCKETS.map((b) => (
              <option key={b} value={b}>
                {t(`stats.bucket.${b}`)}
              </option>
            ))}
          </select>
        </label>
      )}
      {problem && (
        <p className="field-error stats-filters__problem" role="alert">
          {t(`stats.problem.${problem}`)}
        </p>
      )}
    </form>
  );
}
