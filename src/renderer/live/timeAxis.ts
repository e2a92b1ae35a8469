/**
 * Time-axis ticks for the live charts: a round step (1 s … 1 h) chosen so that neighbouring
 * "HH:MM:SS" labels are at least {@link MIN_LABEL_SPACING_PX} apart at the chart's width, so labels
 * never run into each other (`11:40:1011:40:20…`), on a wide 1920 view or on an empty chart.
 */

/** Least distance between two tick labels, in CSS pixels (an "HH:MM:SS" label is about 55 px at 12 px). */
export const MIN_LABEL_SPACING_PX = 80;

/** Steps the axis may use, in seconds. */
const TIME_STEPS_S = [1, 2, 5, 10, 15, 20, 30, 60, 120, 300, 600, 900, 1800, 3600] as const;

/** Tick times (s) for the range [minS, maxS] drawn `widthPx` wide; empty when there is nothing to label. */
export function timeAxisTicks(minS: number, maxS: number, widthPx: number): number[] {
  const range = maxS - minS;
  if (!Number.isFinite(range) || range <= 0 || !(widthPx > 0)) return [];
  const maxTicks = Math.max(1, Math.floor(widthPx / MIN_LABEL_SPACING_PX));
  const step = TIME_STEPS_S.find((s) => range / s <= maxTicks) ?? Math.ceil(range / maxTicks / 3600) * 3600;
  const ticks: number[] = [];
  for (let t = Math.ceil(minS / step) * step; t <= maxS; t += step) ticks.push(t);
  return ticks;
}

/** "H:MM:SS" in local time for a tick (s). */
export function clockLabel(tS: number): string {
  const d = new Date(tS * 1000);
  return `${d.getHours()}:${String(d.getMinutes()).padStart(2, '0')}:${String(d.getSeconds()).padStart(2, '0')}`;
}
