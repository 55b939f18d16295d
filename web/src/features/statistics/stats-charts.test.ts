import { describe, expect, it } from 'vitest';
import type { ByDepartmentReport, ByPeriodReport, ByTaskReport } from '../../../../core/contracts/statistics';
import { bucketLabel, departmentChartOption, heatMapOption, seriesChartOption, taskChartOption } from './stats-charts';

const P = { fromDay: '2026-11-01', toDay: '2026-11-30', from: '', to: '' };
const totals = (offered: number, sl: number | null) => ({ offered, answered: offered, handled: offered, serviceLevel: sl, abandonmentRate: 0, asaSeconds: 3, ahtSeconds: 180, directResolutionRate: 0.6 });
const row = (name: string, contacts: number, previousContacts: number) => ({
  id: name,
  parentId: null,
  level: 1,
  code: name,
  name,
  departmentId: null,
  hasChildren: true,
  contacts,
  resolvedRate: null,
  handedOnRate: null,
  ahtSeconds: null,
  previousContacts,
  change: null,
});

describe('statistics charts', () => {
  it('업무별: the busiest rows first (top of the chart), rows of zeros in both periods left out, at most 12', () => {
    const rows = [row('a', 5, 1), row('zero', 0, 0), row('b', 9, 0), row('was', 0, 4), ...Array.from({ length: 15 }, (_, i) => row(`r${i}`, 1, 1))];
    const r: ByTaskReport = { period: P, previous: P, parent: null, rows, unclassified: 0, top: [] };
    const o = taskChartOption(r, { current: '이번', previous: '이전' }) as { yAxis: { data: string[] }; series: Array<{ data: number[] }> };
    expect(o.yAxis.data).toHaveLength(12);
    expect(o.yAxis.data).not.toContain('zero');
    expect(o.yAxis.data.slice(-2)).toEqual(['a', 'b']); // category axes draw bottom-up: the largest last
    expect(o.series[0]!.data.at(-1)).toBe(9);
  });

  it('기간별: hour labels, rates in % with gaps, the heat map scaled to its busiest hour', () => {
    expect(bucketLabel('2026-11-03T09', 'hour', true)).toBe('09:00');
    expect(bucketLabel('2026-11-03T09', 'hour', false)).toBe('11-03 09:00');
    expect(bucketLabel('2026-11-03', 'day', false)).toBe('11-03');
    expect(bucketLabel('2026-11', 'month', false)).toBe('2026-11');
    const heatMap = Array.from({ length: 7 }, () => Array.from({ length: 24 }, () => 0));
    heatMap[1]![9] = 42;
    const r: ByPeriodReport = {
      period: P,
      previous: P,
      lastYear: P,
      granularity: 'day',
      totals: { current: totals(1, 1), previous: totals(1, 1), lastYear: totals(0, null) },
      series: [
        { key: '2026-11-02', from: '', to: '', totals: totals(10, 0.8123) },
        { key: '2026-11-03', from: '', to: '', totals: totals(0, null) },
      ],
      heatMap,
    };
    const s = seriesChartOption(r, { offered: 'o', answered: 'a', serviceLevel: 's', direct: 'd' }) as { xAxis: { data: string[] }; series: Array<{ data: Array<number | null> }> };
    expect(s.xAxis.data).toEqual(['11-02', '11-03']);
    expect(s.series[2]!.data).toEqual([81.2, null]);
    const h = heatMapOption(r, ['월', '화', '수', '목', '금', '토', '일']) as { visualMap: { max: number }; series: Array<{ data: Array<[number, number, number]> }> };
    expect(h.visualMap.max).toBe(42);
    expect(h.series[0]!.data).toHaveLength(7 * 24);
    expect(h.series[0]!.data).toContainEqual([9, 1, 42]);
  });

  it('부서별: only departments with hand-offs due, best first, below 80 % in amber', () => {
    const dept = (name: string, onTimeRate: number | null) => ({
      departmentId: name,
      name,
      received: 1,
      acknowledged: 1,
      answered: 1,
      dueInPeriod: 1,
      answeredOnTime: 1,
      onTimeRate,
      medianHoursToAnswer: null,
      p90HoursToAnswer: null,
      returned: 0,
      returnedRate: null,
      overdueNow: 0,
      transfers: { attempted: 0, connected: 0, fellBack: 0, acceptedRate: null },
    });
    const r: ByDepartmentReport = { period: P, asOf: '', departments: [dept('late', 0.5), dept('none', null), dept('fine', 0.95)] };
    const o = departmentChartOption(r, '준수율') as { yAxis: { data: string[] }; series: Array<{ data: Array<{ value: number; itemStyle: { color: string } }> }> };
    expect(o.yAxis.data).toEqual(['fine', 'late']);
    expect(o.series[0]!.data.map((d) => [d.value, d.itemStyle.color])).toEqual([
      [95, '#14a3a6'],
      [50, '#b26a00'],
    ]);
  });
});
