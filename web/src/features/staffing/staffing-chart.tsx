import { useMemo } from 'react';
import type { WhatIfIntervalDto } from '../../../../core/contracts/staffing';
import { CHART_COLORS, EChart, type ChartOption } from '../statistics/echart';

export type StaffingChartLabels = {
  label: string;
  required: string;
  whatIf: string;
  sl: string;
  target: string;
  agents: string;
};

const [NAVY, TEAL, AMBER] = CHART_COLORS;
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * Agents to schedule per half hour (bars) against the what-if agents (a line) and the what-if's expected service
 * level (a line on the right axis, with the target), drawn by the statistics' ECharts chart. The table beside it
 * carries the same figures for screen readers and keyboard users. The tooltip is text without inline styles (CSP).
 */
export function StaffingChart({ rows, targetSl, labels }: { rows: readonly WhatIfIntervalDto[]; targetSl: number; labels: StaffingChartLabels }) {
  const option = useMemo((): ChartOption => {
    const percent = (v: number) => Math.round(v * 1000) / 10;
    return {
      animation: false,
      grid: { left: 44, right: 76, top: 40, bottom: 36 },
      legend: { top: 4, data: [labels.required, labels.whatIf, labels.sl] },
      tooltip: {
        trigger: 'axis',
        formatter: (items: unknown) => {
          const list = (Array.isArray(items) ? items : [items]) as { axisValueLabel: string; seriesName: string; value: number }[];
          const lines = list.map((i) => `${escapeHtml(i.seriesName)}: ${i.value}${i.seriesName === labels.sl ? '%' : ` ${escapeHtml(labels.agents)}`}`);
          return [escapeHtml(list[0]?.axisValueLabel ?? ''), ...lines].join('<br>');
        },
      },
      xAxis: { type: 'category', data: rows.map((r) => r.start) },
      yAxis: [
        { type: 'value', name: labels.agents, minInterval: 1 },
        { type: 'value', name: '%', min: 0, max: 100, splitLine: { show: false } },
      ],
      series: [
        { name: labels.required, type: 'bar', data: rows.map((r) => r.required.scheduledAgents), itemStyle: { color: NAVY }, barMaxWidth: 18 },
        { name: labels.whatIf, type: 'line', step: 'middle', symbol: 'none', data: rows.map((r) => r.whatIf.scheduledAgents), lineStyle: { color: TEAL, width: 2 }, itemStyle: { color: TEAL } },
        {
          name: labels.sl,
          type: 'line',
          yAxisIndex: 1,
          data: rows.map((r) => percent(r.whatIf.serviceLevel)),
          lineStyle: { color: AMBER, width: 2 },
          itemStyle: { color: AMBER },
          symbolSize: 5,
          markLine: { silent: true, symbol: 'none', label: { formatter: `${labels.target} ${targetSl}%` }, lineStyle: { color: AMBER, type: 'dashed' }, data: [{ yAxis: targetSl }] },
        },
      ],
    };
  }, [rows, targetSl, labels]);

  return <EChart option={option} height={340} label={labels.label} />;
}
