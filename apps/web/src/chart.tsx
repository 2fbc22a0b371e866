import { useEffect, useRef } from 'react';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import langVI from 'echarts/lib/i18n/langVI.js';
import { num } from './format';

// Only what the charts use (core imports keep the first load small); SVG prints cleanly; Vietnamese labels.
echarts.use([LineChart, BarChart, GridComponent, LegendComponent, MarkLineComponent, TooltipComponent, SVGRenderer]);
echarts.registerLocale('VI', langVI as never);

export type ChartOption = echarts.EChartsCoreOption;

/** An ECharts chart in a box that follows its width. */
export const Chart = ({ option, height = 320, label, testId }: { option: ChartOption; height?: number; label: string; testId?: string }) => {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  useEffect(() => {
    const c = echarts.init(box.current!, null, { renderer: 'svg', locale: 'VI' });
    chart.current = c;
    const resize = new ResizeObserver(() => c.resize());
    resize.observe(box.current!);
    return () => {
      resize.disconnect();
      c.dispose();
    };
  }, []);
  useEffect(() => {
    chart.current?.setOption({ animation: false, textStyle: { fontFamily: 'inherit' }, tooltip: { valueFormatter: (v: unknown) => (typeof v === 'number' ? num(v) : String(v)) }, ...option }, true);
    box.current?.setAttribute('data-drawn', 'true');
  }, [option]);
  return <div ref={box} className="chart" style={{ height }} role="img" aria-label={label} data-testid={testId} />;
};
