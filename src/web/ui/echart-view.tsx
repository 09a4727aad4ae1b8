/**
 * One ECharts chart (issue 16's heat map, bar and line charts), drawn as SVG so its labels are text a reader's
 * tools (and the browser tests) can read. ECharts is large: pages load this module lazily, in its own
 * chunk, as the entity graph loads cytoscape. The chart is created on mount, updated with the option,
 * resized with its box, disposed on unmount.
 */
import { useEffect, useRef } from 'react';
import { BarChart, HeatmapChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';

echarts.use([
  HeatmapChart,
  BarChart,
  LineChart,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  VisualMapComponent,
  SVGRenderer,
]);

export type ChartOption = echarts.EChartsCoreOption;
/** What a click on a data item gives: its series, index and value. */
export interface ChartClick {
  seriesIndex?: number;
  dataIndex: number;
  value: unknown;
}

export default function EChartView({
  option,
  height,
  onClick,
  testId,
  label,
}: {
  option: ChartOption;
  height: number;
  onClick?: (e: ChartClick) => void;
  testId?: string;
  /** What the chart shows, for screen readers. */
  label: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const clickRef = useRef(onClick);
  clickRef.current = onClick;

  useEffect(() => {
    const c = echarts.init(box.current!, undefined, { renderer: 'svg' });
    c.on('click', (e) => clickRef.current?.(e as unknown as ChartClick));
    chart.current = c;
    const observer = new ResizeObserver(() => c.resize());
    observer.observe(box.current!);
    return () => {
      observer.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true });
  }, [option]);

  return <div ref={box} style={{ width: '100%', height }} data-testid={testId} role="img" aria-label={label} />;
}
