/**
 * One chart of the session view: a uPlot line per device on the session's time axis, markers as
 * labelled vertical lines, device link events as ticks along the bottom, RR intervals after
 * missed beats as red rings. Drag across the chart to zoom (the view fetches the range again from
 * the host, exact when short enough); the cursor is synchronised across the view's charts.
 */
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { SessionChartData } from './sessionChartData';

/** A marker or link event on the time axis (x in epoch seconds). */
export interface TimeMark {
  readonly x: number;
  readonly label: string;
  readonly color: string;
  /** Device of a link event (drawn only on charts of that device). */
  readonly deviceId?: string;
}

/** Props of {@link SessionChart}. */
export interface SessionChartProps {
  readonly chart: SessionChartData;
  /** Visible range, epoch seconds. */
  readonly xMin: number;
  readonly xMax: number;
  readonly markers: readonly TimeMark[];
  readonly links: readonly TimeMark[];
  /** Draw marker labels (on the first chart only, to keep the others readable). */
  readonly isLabelled: boolean;
  readonly deviceNames: Readonly<Record<string, string>>;
  readonly onZoom: (fromS: number, toS: number) => void;
  readonly height?: number;
}

const AXIS = { stroke: '#8a93a6', grid: { stroke: 'rgba(255,255,255,0.06)', width: 1 }, ticks: { show: false } };

function drawOverlays(u: uPlot, props: SessionChartProps): void {
  const ctx = u.ctx;
  const { left, top, width, height } = u.bbox;
  const dpr = devicePixelRatio || 1;
  ctx.save();
  ctx.beginPath();
  ctx.rect(left, top, width, height);
  ctx.clip();
  ctx.font = `${12 * dpr}px system-ui, sans-serif`;
  ctx.textBaseline = 'top';
  ctx.textAlign = 'left'; // uPlot leaves the axes' alignment on the context
  for (const m of props.markers) {
    const x = Math.round(u.valToPos(m.x, 'x', true));
    ctx.strokeStyle = m.color;
    ctx.lineWidth = 1.5 * dpr;
    ctx.setLineDash([5 * dpr, 4 * dpr]);
    ctx.beginPath();
    ctx.moveTo(x, top);
    ctx.lineTo(x, top + height);
    ctx.stroke();
    if (props.isLabelled) {
      ctx.setLineDash([]);
      const text = m.label;
      const w = ctx.measureText(text).width + 8 * dpr;
      ctx.fillStyle = 'rgba(14,17,23,0.85)';
      ctx.fillRect(x + 3 * dpr, top + 2 * dpr, w, 16 * dpr);
      ctx.fillStyle = m.color;
      ctx.fillText(text, x + 7 * dpr, top + 4 * dpr);
    }
  }
  ctx.setLineDash([]);
  for (const l of props.links) {
    if (l.deviceId !== undefined && !props.chart.deviceIds.includes(l.deviceId)) continue;
    const x = u.valToPos(l.x, 'x', true);
    ctx.fillStyle = l.color;
    ctx.beginPath();
    ctx.moveTo(x, top + height - 10 * dpr);
    ctx.lineTo(x - 5 * dpr, top + height);
    ctx.lineTo(x + 5 * dpr, top + height);
    ctx.closePath();
    ctx.fill();
  }
  for (const m of props.chart.missed) {
    const x = u.valToPos(m.x, 'x', true);
    const y = u.valToPos(m.y, 'y', true);
    ctx.strokeStyle = '#ff5d6c';
    ctx.lineWidth = 2 * dpr;
    ctx.beginPath();
    ctx.arc(x, y, 5 * dpr, 0, 2 * Math.PI);
    ctx.stroke();
  }
  ctx.restore();
}

/** A session chart. */
export function SessionChart(props: SessionChartProps): React.JSX.Element {
  const host = useRef<HTMLDivElement>(null);
  const plotRef = useRef<uPlot | null>(null);
  const propsRef = useRef(props);
  propsRef.current = props;
  const { chart, height = 170 } = props;
  const seriesKey = chart.deviceIds.join('|');

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const p = propsRef.current;
    const plot = new uPlot(
      {
        width: el.clientWidth || 600,
        height,
        legend: { show: true, live: true },
        cursor: { sync: { key: 'session-view' }, drag: { x: true, y: false, setScale: false }, points: { show: false } },
        scales: { x: { time: true }, y: { auto: true } },
        axes: [{ ...AXIS }, { ...AXIS, size: 52 }],
        series: [
          {},
          ...p.chart.deviceIds.map((id, i) => ({
            label: p.deviceNames[id] ?? id,
            stroke: p.chart.colors[i],
            width: 1.5,
            spanGaps: false,
            points: { show: false },
            value: (_u: uPlot, v: number | null) => (v === null || v === undefined ? '--' : `${Math.round(v * 10) / 10} ${p.chart.unit}`),
          })),
        ],
        hooks: {
          draw: [(u) => drawOverlays(u, propsRef.current)],
          setSelect: [
            (u) => {
              if (u.select.width > 3) {
                const from = u.posToVal(u.select.left, 'x');
                const to = u.posToVal(u.select.left + u.select.width, 'x');
                propsRef.current.onZoom(from, to);
              }
              u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
            },
          ],
        },
      },
      p.chart.data as uPlot.AlignedData,
      el,
    );
    plot.setScale('x', { min: p.xMin, max: p.xMax });
    plotRef.current = plot;
    const resize = new ResizeObserver(() => plot.setSize({ width: el.clientWidth, height }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
      plotRef.current = null;
    };
  }, [seriesKey, height]);

  useEffect(() => {
    const plot = plotRef.current;
    if (!plot) return;
    plot.batch(() => {
      plot.setData(chart.data as uPlot.AlignedData, false);
      plot.setScale('x', { min: props.xMin, max: props.xMax });
    });
  }, [chart, props.xMin, props.xMax, props.markers, props.links]);

  const missedCount = chart.missed.reduce((n, m) => n + m.beats, 0);
  let gaps = 0;
  for (let c = 1; c < chart.data.length; c++) for (const v of chart.data[c]!) if (v === null) gaps++;
  return (
    <figure className="session-chart" data-testid={`session-chart-${chart.metric}`} data-points={chart.data[0].length} data-gaps={gaps}>
      <figcaption>
        {chart.title} <span className="muted">({chart.unit})</span>
        {chart.metric === 'rrInterval' && chart.missed.length > 0 && (
          <span className="missed-legend" data-testid="missed-beats-legend">
            ○ {missedCount} missed beat{missedCount === 1 ? '' : 's'} in view
          </span>
        )}
      </figcaption>
      <div
        className="chart"
        ref={host}
        role="img"
        aria-label={`${chart.title} of ${chart.deviceIds.length} device${chart.deviceIds.length === 1 ? '' : 's'}${gaps > 0 ? `, ${gaps} gap${gaps === 1 ? '' : 's'}` : ''}${missedCount > 0 ? `, ${missedCount} missed beats` : ''}`}
      />
    </figure>
  );
}
