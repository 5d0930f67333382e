import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { h } from './dom.js';

export interface SeriesSpec {
  readonly label: string;
  readonly stroke: string;
}

export interface TimeChart {
  readonly element: HTMLElement;
  /** x in seconds since the epoch, one array per series in the order given; `xRange` fixes the x axis (e.g. the days asked for). */
  setData(x: readonly number[], ys: readonly (readonly number[])[], xRange?: readonly [number, number]): void;
  destroy(): void;
}

/**
 * A uPlot time-series chart that follows its container's width. The canvas is described for
 * screen readers by `summary`, since the figures themselves are also on the page as text.
 */
export function timeChart(summary: string, series: readonly SeriesSpec[], options: { height?: number; days?: boolean } = {}): TimeChart {
  const element = h('figure', { class: 'chart', role: 'img', 'aria-label': summary });
  const empty: uPlot.AlignedData = [[], ...series.map(() => [])];
  const width = () => Math.max(240, element.clientWidth || 600);
  let fixedX: readonly [number, number] | undefined;
  const plot = new uPlot(
    {
      width: width(),
      height: options.height ?? 220,
      legend: { live: false },
      cursor: { drag: { x: false, y: false } },
      scales: {
        x: { time: true, range: (_u, min, max) => (fixedX ? [fixedX[0], fixedX[1]] : [min, max]) },
        // Counts start at zero: a burn-down or a day's total read against an axis that starts elsewhere misleads.
        y: { range: (_u, _min, max) => [0, Math.max(1, max * 1.05)] },
      },
      axes: [{ ...(options.days ? { values: (_u, splits) => splits.map((s) => new Date(s * 1000).toISOString().slice(5, 10)) } : {}) }, {}],
      series: [{}, ...series.map((s) => ({ label: s.label, stroke: s.stroke, width: 2, points: { show: options.days === true } }))],
    },
    empty,
    element,
  );
  const observer = new ResizeObserver(() => plot.setSize({ width: width(), height: options.height ?? 220 }));
  observer.observe(element);
  return {
    element,
    setData: (x, ys, xRange) => {
      fixedX = xRange;
      plot.setData([x.slice(), ...ys.map((y) => y.slice())]);
    },
    destroy: () => {
      observer.disconnect();
      plot.destroy();
    },
  };
}
