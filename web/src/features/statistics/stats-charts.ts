import type { ByAgentReport, ByDepartmentReport, ByPeriodReport, ByTaskReport, ServiceReport } from '../../../../core/contracts/statistics';
import type { ChartOption } from './echart';

/**
 * The ECharts options of the statistics charts, pure (no DOM, no React): each takes the report and the translated
 * labels. Rates are drawn as percentages with one decimal on a 0–100 % axis.
 */

/** At most this many rows in the 업무별 bar chart (the table has them all). */
export const CHART_ROWS = 12;
/** A rate as a percentage with one decimal, null kept (a gap in a line). */
const r1 = (v: number | null) => (v === null ? null : Math.round(v * 1000) / 10);

/** The horizontal bars of the rows with the most contacts, this period against the previous one. */
export function taskChartOption(r: ByTaskReport, labels: { current: string; previous: string }): ChartOption {
  const rows = r.rows.filter((x) => x.contacts > 0 || x.previousContacts > 0).sort((a, b) => b.contacts - a.contacts).slice(0, CHART_ROWS).reverse();
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { top: 0, data: [labels.current, labels.previous] },
    grid: { left: 8, right: 24, top: 30, bottom: 8, containLabel: true },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', data: rows.map((x) => x.name), axisLabel: { width: 120, overflow: 'truncate' } },
    series: [
      { name: labels.current, type: 'bar', data: rows.map((x) => x.contacts), barMaxWidth: 16 },
      { name: labels.previous, type: 'bar', data: rows.map((x) => x.previousContacts), barMaxWidth: 16, itemStyle: { color: '#c4ccd6' } },
    ],
  };
}

/** A series bucket's label: "09:00" for the hours of one day ("11-05 09:00" over days), "11-05" for days, the key otherwise. */
export function bucketLabel(key: string, granularity: ByPeriodReport['granularity'], isOneDay: boolean): string {
  if (granularity === 'hour') return `${isOneDay ? '' : `${key.slice(5, 10)} `}${key.slice(11)}:00`;
  if (granularity === 'day' || granularity === 'week') return key.slice(5);
  return key;
}

/** Offered and answered as bars, service level and 직접처리율 as lines on a 0–100 % axis. */
export function seriesChartOption(r: ByPeriodReport, l: { offered: string; answered: string; serviceLevel: string; direct: string }): ChartOption {
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 8, right: 8, top: 34, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: r.series.map((s) => bucketLabel(s.key, r.granularity, r.period.fromDay === r.period.toDay)) },
    yAxis: [
      { type: 'value', minInterval: 1 },
      { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' }, splitLine: { show: false } },
    ],
    series: [
      { name: l.offered, type: 'bar', data: r.series.map((s) => s.totals.offered), barMaxWidth: 18 },
      { name: l.answered, type: 'bar', data: r.series.map((s) => s.totals.answered), barMaxWidth: 18 },
      { name: l.serviceLevel, type: 'line', yAxisIndex: 1, data: r.series.map((s) => r1(s.totals.serviceLevel)), connectNulls: true, symbolSize: 5 },
      { name: l.direct, type: 'line', yAxisIndex: 1, data: r.series.map((s) => r1(s.totals.directResolutionRate)), connectNulls: true, symbolSize: 5 },
    ],
  };
}

/** The weekday × hour heat map of offered calls (rows Monday … Sunday, columns 0–23 h KST). */
export function heatMapOption(r: ByPeriodReport, weekdays: readonly string[]): ChartOption {
  const data: Array<[number, number, number]> = [];
  let max = 1;
  r.heatMap.forEach((row, d) =>
    row.forEach((v, h) => {
      data.push([h, d, v]);
      max = Math.max(max, v);
    }),
  );
  return {
    tooltip: { position: 'top' },
    grid: { left: 8, right: 8, top: 8, bottom: 44, containLabel: true },
    xAxis: { type: 'category', data: Array.from({ length: 24 }, (_, h) => String(h)), splitArea: { show: true } },
    yAxis: { type: 'category', data: [...weekdays], inverse: true, splitArea: { show: true } },
    visualMap: { min: 0, max, calculable: false, orient: 'horizontal', left: 'center', bottom: 0, itemHeight: 120, inRange: { color: ['#f2f5fa', '#14a3a6', '#0c1f3d'] } },
    series: [{ type: 'heatmap', data, label: { show: false }, emphasis: { itemStyle: { borderColor: '#1b2431', borderWidth: 1 } } }],
  };
}

/** On-time rate per department (departments with hand-offs due), worst first, with the 80 % line. */
export function departmentChartOption(r: ByDepartmentReport, label: string): ChartOption {
  const rows = r.departments.filter((d) => d.onTimeRate !== null).sort((a, b) => (b.onTimeRate ?? 0) - (a.onTimeRate ?? 0));
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v) => `${String(v)}%` },
    grid: { left: 8, right: 32, top: 12, bottom: 8, containLabel: true },
    xAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
    yAxis: { type: 'category', data: rows.map((d) => d.name), axisLabel: { width: 110, overflow: 'truncate' } },
    series: [
      {
        name: label,
        type: 'bar',
        barMaxWidth: 16,
        data: rows.map((d) => ({ value: r1(d.onTimeRate ?? 0), itemStyle: { color: (d.onTimeRate ?? 0) < 0.8 ? '#b26a00' : '#14a3a6' } })),
        markLine: { silent: true, symbol: 'none', lineStyle: { color: '#c62828', type: 'dashed' }, data: [{ xAxis: 80 }], label: { formatter: '80%', position: 'insideEndTop' } },
      },
    ],
  };
}

/** Contacts per agent (bars) and their 직접처리율 (a line on 0–100 %). */
export function agentChartOption(r: ByAgentReport, l: { contacts: string; resolved: string }): ChartOption {
  const rows = [...r.agents].sort((a, b) => b.contacts - a.contacts).slice(0, 30);
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 8, right: 8, top: 34, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: rows.map((a) => a.name), axisLabel: { interval: 0, rotate: rows.length > 10 ? 40 : 0 } },
    yAxis: [
      { type: 'value', minInterval: 1 },
      { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' }, splitLine: { show: false } },
    ],
    series: [
      { name: l.contacts, type: 'bar', data: rows.map((a) => a.contacts), barMaxWidth: 22 },
      { name: l.resolved, type: 'line', yAxisIndex: 1, data: rows.map((a) => r1(a.resolvedRate)), symbolSize: 6 },
    ],
  };
}

/** Service level, answer rate and abandonment: the standard figure beside the one that counts every call. */
export function serviceChartOption(r: ServiceReport, l: { standard: string; allCalls: string; names: [string, string, string] }): ChartOption {
  return {
    tooltip: { trigger: 'axis', valueFormatter: (v) => (v === null || v === undefined ? '–' : `${String(v)}%`) },
    legend: { top: 0 },
    grid: { left: 8, right: 8, top: 34, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: l.names },
    yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
    series: [
      { name: l.standard, type: 'bar', barMaxWidth: 28, data: [r1(r.serviceLevel), r1(r.answerRate), r1(r.abandonmentRate)], markLine: { silent: true, symbol: 'none', lineStyle: { color: '#c62828', type: 'dashed' }, data: [{ yAxis: 80 }], label: { formatter: '80%', position: 'insideEndTop' } } },
      { name: l.allCalls, type: 'bar', barMaxWidth: 28, data: [r1(r.allCalls.serviceLevel), r1(r.allCalls.answerRate), r1(r.allCalls.abandonmentRate)] },
    ],
  };
}
