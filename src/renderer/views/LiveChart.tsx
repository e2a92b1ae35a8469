/**
 * A uPlot chart of one device metric over the selected window. Data is read from the ring buffer
 * in the frame loop and passed to uPlot with one `setData` per frame, only when something changed
 * (new samples, or the window moved by at least a quarter second). Gaps are drawn as gaps.
 */
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { DeviceId } from '../../shared/device';
import { METRICS, type MetricId } from '../../shared/metrics';
import { live } from '../app';
import { fillChartData, type ChartArrays } from '../live/chartData';
import { onFrame } from '../live/frameLoop';
import { clockLabel, timeAxisTicks } from '../live/timeAxis';


/** Props of {@link LiveChart}. */
export interface LiveChartProps {
  deviceId: DeviceId;
  metric: MetricId;
  windowS: number;
  color?: string;
  height?: number;
}

/** A live chart. */
export function LiveChart({ deviceId, metric, windowS, color = '#4cc2ff', height = 120 }: LiveChartProps): React.JSX.Element {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const info = METRICS[metric];
    const axis = { stroke: '#8a93a6', grid: { stroke: 'rgba(255,255,255,0.06)', width: 1 }, ticks: { show: false } };
    const plot = new uPlot(
      {
        width: el.clientWidth || 300,
        height,
        legend: { show: false },
        cursor: { show: false },
        scales: { x: { time: true }, y: { auto: true } },
        axes: [
          {
            ...axis,
            size: 24,
            // our own ticks: labels at least 80 px apart at any width, none on an empty chart
            splits: (u: uPlot, _axis: number, min: number, max: number) => timeAxisTicks(min, max, u.bbox.width / uPlot.pxRatio),
            values: (_u: uPlot, ticks: number[]) => ticks.map(clockLabel),
          },
          { ...axis, size: 44, label: '' },
        ],
        series: [{}, { stroke: color, width: 2, spanGaps: false, points: { show: false }, label: info.displayName }],
      },
      [[], []],
      el,
    );
    // an empty chart still shows the current window, not uPlot's default range
    const nowMs = Date.now();
    plot.setScale('x', { min: (nowMs - windowS * 1000) / 1000, max: nowMs / 1000 });
    const arrays: ChartArrays = { xs: [], ys: [] };
    const ring = live.ring(deviceId, metric);
    let drawnVersion = -1;
    let drawnAtMs = 0;
    const gapMs = (info.staleAfterMs ?? 3000) + 250;
    const stopFrames = onFrame((now) => {
      if (ring.version === drawnVersion && now - drawnAtMs < 250) return;
      drawnVersion = ring.version;
      drawnAtMs = now;
      const fromMs = now - windowS * 1000;
      fillChartData(ring, fromMs, gapMs, arrays);
      // a trailing gap when the newest reading is older than the stale timeout
      const last = ring.last();
      if (last && now - last.tMs > gapMs) {
        arrays.xs.push((last.tMs + 1) / 1000);
        arrays.ys.push(null);
      }
      plot.batch(() => {
        plot.setData([arrays.xs, arrays.ys], false);
        plot.setScale('x', { min: fromMs / 1000, max: now / 1000 });
      });
    });
    const resize = new ResizeObserver(() => plot.setSize({ width: el.clientWidth, height }));
    resize.observe(el);
    return () => {
      stopFrames();
      resize.disconnect();
      plot.destroy();
    };
  }, [deviceId, metric, windowS, color, height]);
  return <div className="chart" ref={host} data-testid={`chart-${deviceId}-${metric}`} />;
}
