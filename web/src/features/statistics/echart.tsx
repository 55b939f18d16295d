import { useEffect, useRef } from 'react';
import { BarChart, HeatmapChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, MarkLineComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import { init, use, type ComposeOption, type ECharts } from 'echarts/core';
import type { BarSeriesOption, HeatmapSeriesOption, LineSeriesOption } from 'echarts/charts';
import type { GridComponentOption, LegendComponentOption, MarkLineComponentOption, TooltipComponentOption, VisualMapComponentOption } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';

// Only what the statistics draw (bars, lines, the heat map), rendered as SVG: crisp on screen and on paper.
use([BarChart, LineChart, HeatmapChart, GridComponent, TooltipComponent, LegendComponent, VisualMapComponent, MarkLineComponent, SVGRenderer]);

export type ChartOption = ComposeOption<
  BarSeriesOption | LineSeriesOption | HeatmapSeriesOption | GridComponentOption | TooltipComponentOption | LegendComponentOption | VisualMapComponentOption | MarkLineComponentOption
>;

/** The house palette (styles/app.css): navy, teal, amber, grey. */
export const CHART_COLORS = ['#1f4477', '#14a3a6', '#b26a00', '#8a97a8', '#c62828'];
export const CHART_FONT = "'Pretendard', 'Apple SD Gothic Neo', 'Noto Sans KR', 'Noto Sans CJK KR', 'Malgun Gothic', sans-serif";

/**
 * An Apache ECharts chart. The figures are also in the table beside every chart, so the chart itself is an image
 * to assistive technology (role img with the chart's title). `print`: no animation, drawn at once for paper.
 */
export function EChart({ option, height = 280, label, print = false }: { option: ChartOption; height?: number; label: string; print?: boolean }) {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<ECharts | null>(null);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const c = init(el, null, { renderer: 'svg' });
    chart.current = c;
    const resize = new ResizeObserver(() => c.resize());
    resize.observe(el);
    return () => {
      resize.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption({ color: CHART_COLORS, textStyle: { fontFamily: CHART_FONT }, animation: !print, ...option }, { notMerge: true });
  }, [option, print]);

  return <div ref={ref} className="stats-chart" style={{ height }} role="img" aria-label={label} />;
}
