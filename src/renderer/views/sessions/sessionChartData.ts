/**
 * Chart data of the session view, from the host's `recording.view` answer: one chart per metric
 * with one line per device, on a shared time axis (uPlot's aligned columns: x in epoch seconds,
 * one y column per device). Devices sampled at different times are merged; a device without a
 * reading at a merged time gets `undefined` (skipped, the line continues) while the host's `null`
 * stays a gap. Pure: no DOM, no uPlot, so it is unit-tested in Node.
 */
import { METRICS, type MetricId } from '../../../shared/metrics';
import type { SessionView } from '../../../shared/contract/sessionView';

/** Colours of the device lines, in device order. */
export const DEVICE_COLORS = ['#4cc2ff', '#ff8a65', '#38d39f', '#c792ea', '#ffd54f', '#f06292', '#80cbc4', '#9fa8da'] as const;

/** One chart: x (epoch s) and one y column per device. */
export interface SessionChartData {
  readonly metric: MetricId;
  readonly title: string;
  readonly unit: string;
  readonly deviceIds: readonly string[];
  readonly colors: readonly string[];
  readonly data: [number[], ...(number | null | undefined)[][]];
  /** RR chart: intervals after missed beats, drawn as marks (x epoch s, y ms, beats missed). */
  readonly missed: readonly { readonly x: number; readonly y: number; readonly beats: number; readonly color: string }[];
}

/** Charts in the order the view shows them. */
const CHART_ORDER: readonly MetricId[] = ['heartRate', 'rrInterval', 'power', 'cadence', 'stepCadence', 'speed'];

const TITLES: Partial<Record<MetricId, string>> = { rrInterval: 'RR tachogram' };

/** Merge several (x, y) series into aligned columns on the union of their x values. */
export function alignSeries(series: readonly { readonly x: readonly number[]; readonly y: readonly (number | null)[] }[]): [number[], ...(number | null | undefined)[][]] {
  const xs = new Set<number>();
  for (const s of series) for (const x of s.x) xs.add(x);
  const x = [...xs].sort((a, b) => a - b);
  const position = new Map<number, number>();
  x.forEach((v, i) => position.set(v, i));
  const ys = series.map((s) => {
    const col = new Array<number | null | undefined>(x.length).fill(undefined);
    for (let i = 0; i < s.x.length; i++) col[position.get(s.x[i]!)!] = s.y[i]!;
    return col;
  });
  return [x, ...ys];
}

/** The charts of a view for the shown devices (charts without any reading are left out). */
export function sessionCharts(view: SessionView, deviceColor: (deviceId: string) => string): SessionChartData[] {
  const out: SessionChartData[] = [];
  const toS = (tMs: number): number => (view.startMs + tMs) / 1000;
  for (const metric of CHART_ORDER) {
    const series = view.series.filter((s) => s.metric === metric && s.tMs.length > 0);
    if (series.length === 0) continue;
    const info = METRICS[metric];
    const missed: { x: number; y: number; beats: number; color: string }[] = [];
    if (metric === 'rrInterval') {
      for (const m of view.missedBeats) {
        if (!series.some((s) => s.deviceId === m.deviceId)) continue;
        for (let i = 0; i < m.tMs.length; i++) missed.push({ x: toS(m.tMs[i]!), y: m.rrMs[i]!, beats: m.missedBeats[i]!, color: deviceColor(m.deviceId) });
      }
    }
    out.push({
      metric,
      title: TITLES[metric] ?? info.displayName,
      unit: info.unit,
      deviceIds: series.map((s) => s.deviceId),
      colors: series.map((s) => deviceColor(s.deviceId)),
      data: alignSeries(series.map((s) => ({ x: s.tMs.map(toS), y: s.values }))),
      missed,
    });
  }
  return out;
}

/** Devices shown when a session opens: the first participant's, else the first few. */
export function defaultDevices(view: SessionView, max = 6): string[] {
  const first = view.participants[0];
  const owned = view.devices.filter((d) => first !== undefined && d.participantId === first).map((d) => d.deviceId);
  return (owned.length > 0 ? owned : view.devices.map((d) => d.deviceId)).slice(0, max);
}

/** `h:mm:ss` or `m:ss` of a time from the session start, with tenths when zoomed below a minute. */
export function formatOffset(ms: number, isFine = false): string {
  const sign = ms < 0 ? '-' : '';
  const abs = Math.abs(ms);
  const totalS = Math.floor(abs / 1000);
  const h = Math.floor(totalS / 3600);
  const m = Math.floor((totalS % 3600) / 60);
  const s = totalS % 60;
  const tenths = isFine ? `.${Math.floor((abs % 1000) / 100)}` : '';
  const mm = h > 0 ? String(m).padStart(2, '0') : String(m);
  return `${sign}${h > 0 ? `${h}:` : ''}${mm}:${String(s).padStart(2, '0')}${tenths}`;
}

/** A range zoomed by `factor` around its centre (factor 2: twice as long), kept inside the session. */
export function zoomRange(fromMs: number, toMs: number, factor: number, durationMs: number): [number, number] {
  const mid = (fromMs + toMs) / 2;
  const half = Math.min(durationMs, Math.max(1000, (toMs - fromMs) * factor)) / 2;
  return clampRange(mid - half, mid + half, durationMs);
}

/** A range moved by `fraction` of its length, kept inside the session. */
export function panRange(fromMs: number, toMs: number, fraction: number, durationMs: number): [number, number] {
  const shift = (toMs - fromMs) * fraction;
  return clampRange(fromMs + shift, toMs + shift, durationMs);
}

function clampRange(from: number, to: number, durationMs: number): [number, number] {
  const len = Math.min(to - from, durationMs);
  if (from < 0) return [0, len];
  if (to > durationMs) return [Math.max(0, durationMs - len), durationMs];
  return [from, to];
}
