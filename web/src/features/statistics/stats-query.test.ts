import { describe, expect, it } from 'vitest';
import { filterProblem, isDay, readFilters, reportQuery, viewsFor, withPeriod, writeFilters, type StatsFilters } from './stats-query';

const CAT = '01890a5d-ac96-774b-bcce-b302099a8057';
const DEPT = '01890a5d-ac96-774b-bcce-b302099a8058';

describe('statistics filters in the URL', () => {
  it('round-trips every filter through the search params (a shared link shows the same view)', () => {
    const f: StatsFilters = { view: 'task', period: 'month', date: '2026-11-15', department: DEPT, category: CAT };
    const url = writeFilters(f).toString();
    expect(url).toBe(`view=task&period=month&date=2026-11-15&department=${DEPT}&category=${CAT}`);
    expect(readFilters(new URLSearchParams(url), viewsFor('supervisor'))).toEqual(f);
    const custom: StatsFilters = { view: 'period', period: 'custom', from: '2026-11-01', to: '2026-11-30', granularity: 'week' };
    expect(readFilters(writeFilters(custom), viewsFor('admin'))).toEqual(custom);
  });

  it('falls back to defaults on malformed or foreign values instead of failing', () => {
    const f = readFilters(new URLSearchParams('view=agent&period=fortnight&date=2026-02-30&category=abc&granularity=minute&from=2026-01-01'), viewsFor('official'));
    expect(f).toEqual({ view: 'task', period: 'day' });
    expect(readFilters(new URLSearchParams('view=task'), viewsFor('agent')).view).toBe('agent');
  });

  it('asks each report only for the parameters its schema accepts', () => {
    const f: StatsFilters = { view: 'task', period: 'custom', from: '2026-11-01', to: '2026-11-30', date: '2026-11-02', department: DEPT, category: CAT, granularity: 'day' };
    expect(reportQuery('by-task', f)).toBe(`period=custom&from=2026-11-01&to=2026-11-30&department=${DEPT}&category=${CAT}`);
    expect(reportQuery('by-period', f)).toBe('period=custom&from=2026-11-01&to=2026-11-30&granularity=day');
    expect(reportQuery('by-department', { ...f, period: 'week' })).toBe(`period=week&date=2026-11-02&department=${DEPT}`);
    expect(reportQuery('service', { view: 'service', period: 'day' })).toBe('period=day');
    expect(reportQuery('headline', f)).toBe('period=custom&from=2026-11-01&to=2026-11-30');
  });

  it('finds a reversed, future or incomplete range before the server does', () => {
    const today = '2026-12-05';
    expect(filterProblem({ view: 'task', period: 'custom', from: '2026-12-02', to: '2026-12-01' }, today)).toBe('reversed');
    expect(filterProblem({ view: 'task', period: 'custom', from: '2026-12-01', to: '2026-12-06' }, today)).toBe('future');
    expect(filterProblem({ view: 'task', period: 'custom', from: '2026-12-01' }, today)).toBe('missing');
    expect(filterProblem({ view: 'task', period: 'day', date: '2026-12-06' }, today)).toBe('future');
    expect(filterProblem({ view: 'task', period: 'month', date: today }, today)).toBeNull();
  });

  it('changing the period keeps the anchor day; a custom range starts at the first of its month', () => {
    const today = '2026-12-05';
    expect(withPeriod({ view: 'task', period: 'day', date: '2026-11-20', category: CAT }, 'custom', today)).toEqual({ view: 'task', period: 'custom', from: '2026-11-01', to: '2026-11-20', category: CAT });
    expect(withPeriod({ view: 'period', period: 'custom', from: '2026-11-01', to: '2026-11-20', granularity: 'hour' }, 'month', today)).toEqual({ view: 'period', period: 'month', date: '2026-11-20' });
    expect(withPeriod({ view: 'task', period: 'day' }, 'week', today)).toEqual({ view: 'task', period: 'week' });
  });

  it('knows real calendar days', () => {
    expect(isDay('2026-02-28')).toBe(true);
    expect(isDay('2026-02-30')).toBe(false);
    expect(isDay('20261201')).toBe(false);
    expect(viewsFor('official')).toEqual(['task', 'department']);
  });
});
