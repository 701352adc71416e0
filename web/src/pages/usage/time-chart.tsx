/** A uPlot line chart over time: one line per named series, sized to its container. */
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

/** Distinct, colour-blind-friendly line colours (Okabe–Ito). */
const COLOURS = ['#0072b2', '#e69f00', '#009e73', '#cc79a7', '#56b4e9', '#d55e00', '#f0e442', '#000000'];

/** One line. */
export interface ChartSeries {
  readonly label: string;
  readonly values: readonly number[];
}

/** The chart; `times` are the buckets' starts in seconds, `format` writes a y value. */
export function TimeChart({
  title,
  times,
  series,
  format,
}: {
  title: string;
  times: readonly number[];
  series: readonly ChartSeries[];
  format: (value: number) => string;
}) {
  const container = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = container.current;
    if (!element) return;
    // The canvas cannot read CSS variables: take the page's text and border colours now.
    const style = getComputedStyle(element);
    const axis = { stroke: style.color, grid: { stroke: style.borderTopColor, width: 1 } };
    const plot = new uPlot(
      {
        title,
        width: Math.max(element.clientWidth, 300),
        height: 260,
        // Amounts start at zero, so a flat week does not look like a swing.
        scales: {
          x: { time: true },
          y: { range: (_: uPlot, _min: number, max: number) => [0, max > 0 ? max * 1.1 : 1] },
        },
        series: [
          {},
          ...series.map((line, index) => ({
            label: line.label,
            stroke: COLOURS[index % COLOURS.length],
            width: 2,
            points: { show: times.length <= 31 },
            value: (_: uPlot, value: number | null) => (value === null ? '—' : format(value)),
          })),
        ],
        axes: [
          axis,
          { ...axis, size: 70, values: (_: uPlot, ticks: number[]) => ticks.map((tick) => format(tick)) },
        ],
      },
      [[...times], ...series.map((line) => [...line.values])],
      element,
    );
    const resize = new ResizeObserver(() =>
      plot.setSize({ width: Math.max(element.clientWidth, 300), height: 260 }),
    );
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [title, times, series, format]);
  return <div class="time-chart" ref={container} role="img" aria-label={title} />;
}
