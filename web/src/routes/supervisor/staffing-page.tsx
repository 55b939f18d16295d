import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import type { WhatIfIntervalDto } from '../../../../core/contracts/staffing';
import { Empty, ErrorNotice, Loading } from '../../components/notice';
import { STAFFING_PARAM_DEFAULTS, apiQuery, invalidFields, paramsFromSearch, useStaffing, type StaffingParams } from '../../features/staffing/staffing-api';
import { StaffingChart } from '../../features/staffing/staffing-chart';
import '../../features/staffing/staffing.css';

const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;
type Weekday = (typeof WEEKDAYS)[number];
/** ISO weekday (1 = Monday) → its i18n key. */
const DAY_KEY = { 1: 'mon', 2: 'tue', 3: 'wed', 4: 'thu', 5: 'fri', 6: 'sat', 7: 'sun' } as const;
const dayKey = (weekday: number) => DAY_KEY[(WEEKDAYS as readonly number[]).includes(weekday) ? (weekday as Weekday) : 1];

/** The half hours of one weekday worth showing: from the first with calls (or agents needed) to the last. */
function visibleRows(rows: readonly WhatIfIntervalDto[], weekday: number): WhatIfIntervalDto[] {
  const day = rows.filter((r) => r.weekday === weekday);
  const busy = (r: WhatIfIntervalDto) => r.offered > 0 || r.required.scheduledAgents > 0;
  const first = day.findIndex(busy);
  if (first < 0) return [];
  let last = day.length - 1;
  while (last > first && !busy(day[last]!)) last--;
  return day.slice(first, last + 1);
}

const one = (v: number) => (Math.round(v * 10) / 10).toLocaleString(undefined, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const pct = (v: number | null) => (v === null ? '—' : `${one(v * 100)}%`);

/**
 * 인력 산정: how many agents each half hour of the week needs for the service-level target (Erlang C from the last N
 * weeks of calls, shrinkage on top), and what a given number of agents would achieve. Inputs live in the URL so a view
 * can be shared; the chart and the table show one weekday.
 */
export function StaffingPage() {
  const { t } = useTranslation();
  const [search, setSearch] = useSearchParams();
  const params = useMemo(() => paramsFromSearch(search), [search]);
  const [draft, setDraft] = useState<StaffingParams>(params);
  useEffect(() => setDraft(params), [params]);
  const staffing = useStaffing(params);
  const data = staffing.data;
  const invalid = invalidFields(staffing.error);

  const dayParam = Number(search.get('day'));
  const weekday: Weekday = (WEEKDAYS as readonly number[]).includes(dayParam) ? (dayParam as Weekday) : ((data?.summary.peakAt?.weekday as Weekday | undefined) ?? 1);
  const rows = useMemo(() => (data ? visibleRows(data.intervals, weekday) : []), [data, weekday]);
  const dayName = t(`staffing.weekdayLong.${dayKey(weekday)}`);
  const targetSlPercent = data ? Math.round(data.targets.targetServiceLevel * 1000) / 10 : Number(params.targetSl);
  const chartLabels = useMemo(
    () => ({
      label: t('staffing.chart.label', { day: dayName }),
      required: t('staffing.chart.required'),
      whatIf: t('staffing.chart.whatIf'),
      sl: t('staffing.chart.sl'),
      target: t('staffing.chart.target'),
      agents: t('staffing.chart.agents'),
    }),
    [t, dayName],
  );

  const update = (next: Partial<Record<keyof StaffingParams | 'day', string>>) => {
    const q = new URLSearchParams(search);
    for (const [k, v] of Object.entries(next)) {
      const isDefault = k !== 'day' && STAFFING_PARAM_DEFAULTS[k as keyof StaffingParams] === v;
      if (v === '' || isDefault) q.delete(k);
      else q.set(k, v);
    }
    setSearch(q, { replace: false });
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    update(draft);
  };
  const field = (name: keyof StaffingParams, extra: { min?: number; max?: number; step?: string; hint?: string; type?: string }) => (
    <div className="field staffing-form__field">
      <label htmlFor={`staffing-${name}`}>{t(`staffing.form.${name}`)}</label>
      <input
        id={`staffing-${name}`}
        name={name}
       
        type={extra.type ?? 'number'}
        inputMode={extra.type ? undefined : 'decimal'}
        min={extra.min}
        max={extra.max}
        step={extra.step}
        value={draft[name]}
        onChange={(e) => setDraft((d) => ({ ...d, [name]: e.target.value }))}
        aria-invalid={invalid.has(name) || undefined}
        aria-describedby={[extra.hint && `staffing-${name}-hint`, invalid.has(name) && `staffing-${name}-error`].filter(Boolean).join(' ') || undefined}
      />
      {extra.hint && (
        <span id={`staffing-${name}-hint`} className="field-hint">
          {extra.hint}
        </span>
      )}
      {invalid.has(name) && (
        <span id={`staffing-${name}-error`} className="field-error">
          {extra.min === undefined || extra.max === undefined ? t('staffing.form.dateRange') : t('staffing.form.range', { min: extra.min, max: extra.max })}
        </span>
      )}
    </div>
  );

  return (
    <main id="main" className="page staffing" aria-labelledby="staffing-title">
      <h1 id="staffing-title" className="page__title">
        {t('staffing.title')}
        {data && <span className="page__note">{t('staffing.lead', { weeks: data.window.weeks, from: data.window.fromDay, to: data.window.toDay })}</span>}
      </h1>

      <form className="staffing-form panel" onSubmit={submit} aria-label={t('staffing.form.legend')}>
        {field('date', { type: 'date', hint: t('staffing.form.dateHint') })}
        {field('weeks', { min: 1, max: 52, step: '1' })}
        {field('targetSl', { min: 1, max: 99, step: 'any' })}
        {field('targetSeconds', { min: 1, max: 600, step: '1' })}
        {field('shrinkage', { min: 0, max: 90, step: 'any', hint: t('staffing.form.shrinkageHint') })}
        {field('agents', { min: 0, max: 5000, step: '1', hint: t('staffing.form.agentsHint') })}
        <button type="submit" className="btn btn--primary staffing-form__apply">
          {t('staffing.form.apply')}
        </button>
      </form>

      <ErrorNotice error={staffing.error} onRetry={() => void staffing.refetch()} />
      {staffing.isPending && <Loading />}

      {data && (
        <>
          {data.window.excludedDays.length > 0 && (
            <p className="staffing__excluded">{t('staffing.excluded', { count: data.window.excludedDays.length, days: data.window.excludedDays.join(', ') })}</p>
          )}
          <div className="tiles" aria-live="polite">
            <div className="tile">
              <span className="tile__label">{t('staffing.tiles.peak')}</span>
              <span className="tile__value">{data.summary.peakScheduled}</span>
              {data.summary.peakAt && (
                <span className="tile__hint">
                  {t('staffing.tiles.peakAt', { day: t(`staffing.weekdayLong.${dayKey(data.summary.peakAt.weekday)}`), time: data.intervals[(data.summary.peakAt.weekday - 1) * 48 + data.summary.peakAt.slot]?.start ?? '' })}
                </span>
              )}
            </div>
            <div className="tile">
              <span className="tile__label">{t('staffing.tiles.agentHours')}</span>
              <span className="tile__value">{t('staffing.tiles.agentHoursValue', { hours: data.summary.scheduledAgentHours.toLocaleString() })}</span>
            </div>
            <div className="tile">
              <span className="tile__label">{t('staffing.tiles.offered')}</span>
              <span className="tile__value">{t('staffing.tiles.offeredValue', { value: Math.round(data.summary.weeklyOffered).toLocaleString() })}</span>
            </div>
            <div className={`tile${data.whatIf.intervalsWithTraffic > data.whatIf.intervalsMeetingTarget ? ' tile--warn' : ''}`}>
              <span className="tile__label">{t('staffing.tiles.whatIfSl', { agents: data.agents })}</span>
              <span className="tile__value" data-testid="staffing-week-sl">
                {pct(data.whatIf.serviceLevel)}
              </span>
              <span className="tile__hint">
                {t('staffing.tiles.meeting')} {t('staffing.tiles.meetingValue', { meeting: data.whatIf.intervalsMeetingTarget, total: data.whatIf.intervalsWithTraffic })}
                {data.whatIf.intervalsOverloaded > 0 && ` · ${t('staffing.tiles.overloaded', { count: data.whatIf.intervalsOverloaded })}`}
              </span>
            </div>
          </div>

          <div className="staffing__days" role="group" aria-label={t('staffing.weekdays')}>
            {WEEKDAYS.map((d) => (
              <button key={d} type="button" className={`btn btn--small staffing__day${d === weekday ? ' is-on' : ''}`} aria-pressed={d === weekday} onClick={() => update({ day: String(d) })}>
                {t(`staffing.weekday.${dayKey(d)}`)}
              </button>
            ))}
          </div>

          <div className="staffing__grid">
            <section className="panel" aria-labelledby="staffing-chart-title">
              <header className="panel__header">
                <h2 id="staffing-chart-title" className="panel__title">
                  {t('staffing.chart.title')} · {dayName}
                </h2>
              </header>
              {rows.length > 0 ? <StaffingChart rows={rows} targetSl={targetSlPercent} labels={chartLabels} /> : <Empty>{t('staffing.table.empty')}</Empty>}
            </section>
            <section className="panel" aria-labelledby="staffing-table-title">
              <header className="panel__header">
                <h2 id="staffing-table-title" className="panel__title">
                  {t('staffing.table.title', { day: dayName })}
                </h2>
                <span className="staffing__downloads">
                  {(['xlsx', 'csv'] as const).map((format) => (
                    <a
                      key={format}
                      className="btn btn--small btn--ghost"
                      href={`/api/staffing/what-if/export?${apiQuery(params)}&format=${format}`}
                      download
                      aria-label={t('staffing.download.label', { format: t(`staffing.download.${format}`) })}
                    >
                      {t(`staffing.download.${format}`)}
                    </a>
                  ))}
                </span>
              </header>
              <div className="panel__scroll">
                {rows.length === 0 ? (
                  <Empty>{t('staffing.table.empty')}</Empty>
                ) : (
                  <table className="table staffing-table">
                    <caption className="visually-hidden">{t('staffing.table.caption', { day: dayName })}</caption>
                    <thead>
                      <tr>
                        <th scope="col">{t('staffing.table.time')}</th>
                        <th scope="col">{t('staffing.table.offered')}</th>
                        <th scope="col">{t('staffing.table.aht')}</th>
                        <th scope="col">{t('staffing.table.erlangs')}</th>
                        <th scope="col">{t('staffing.table.onPhones')}</th>
                        <th scope="col">{t('staffing.table.scheduled')}</th>
                        <th scope="col">{t('staffing.table.whatIfSl')}</th>
                        <th scope="col">{t('staffing.table.whatIfAsa')}</th>
                        <th scope="col">{t('staffing.table.occupancy')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {rows.map((r) => (
                        <tr key={r.slot} className={r.offered > 0 && !r.whatIf.meetsTarget ? 'staffing-row--short' : undefined}>
                          <th scope="row">
                            {r.start}–{r.end}
                          </th>
                          <td>{one(r.offered)}</td>
                          <td title={r.ahtSource === 'window' ? t('staffing.table.windowAht') : undefined}>
                            {r.ahtSeconds === null ? '—' : t('staffing.table.seconds', { value: Math.round(r.ahtSeconds) })}
                            {r.ahtSource === 'window' && '*'}
                          </td>
                          <td>{r.trafficErlangs.toFixed(2)}</td>
                          <td>{r.required.agentsOnPhones}</td>
                          <td className="staffing-table__key">{r.required.scheduledAgents}</td>
                          <td className="staffing-table__sl">{r.offered > 0 ? pct(r.whatIf.serviceLevel) : '—'}</td>
                          <td>{r.offered <= 0 ? '—' : r.whatIf.asaSeconds === null ? t('staffing.table.unbounded') : t('staffing.table.seconds', { value: one(r.whatIf.asaSeconds) })}</td>
                          <td>{r.offered > 0 ? pct(r.whatIf.occupancy) : '—'}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                )}
              </div>
            </section>
          </div>
          <p className="staffing__note">{t('staffing.note')}</p>
        </>
      )}
    </main>
  );
}
