/**
 * Class summary, accumulated reading by reading (no sample history is kept): per athlete, time
 * with heart-rate data, time-weighted average and maximum HR, time in each zone, and a calorie
 * estimate from Keytel et al. (2005), which needs age, weight and sex — without them calories
 * stay empty and the summary says why, never a guess.
 *
 * Each reading's HR holds until the next reading; a gap longer than the HR stale timeout is a
 * dropout and counts as no data (it adds no time, no zone time and no calories).
 */
import { METRICS } from '../metrics';
import { formatCsv } from './csv';
import type { Participant } from './participant';
import { zoneBoundsBpm, zoneOf, ZONE_COUNT, ZONES } from './zones';

/** The calorie formula, as shown in the UI and the README. */
export const CALORIE_FORMULA =
  'Keytel et al. (2005): kcal/min = (−55.0969 + 0.6309·HR + 0.1988·weight kg + 0.2017·age) / 4.184 for men, ' +
  '(−20.4022 + 0.4472·HR − 0.1263·weight kg + 0.074·age) / 4.184 for women; summed over every second with HR, ' +
  'negative minutes counted as 0.';

/** Why calories are empty when body data is missing. */
export const CALORIES_NEED = 'needs age, weight and sex in the roster';

/** Running totals of one athlete. */
export interface AthleteTotals {
  firstMs: number | null;
  lastMs: number | null;
  lastHrBpm: number | null;
  coveredMs: number;
  hrTimesMs: number;
  maxHrBpm: number | null;
  readings: number;
  /** ms in zones 0..5 (index 0 = below zone 1); all zero when zones are unknown. */
  zoneMs: number[];
  kcal: number;
}

/** Fresh totals. */
export function newTotals(): AthleteTotals {
  return {
    firstMs: null,
    lastMs: null,
    lastHrBpm: null,
    coveredMs: 0,
    hrTimesMs: 0,
    maxHrBpm: null,
    readings: 0,
    zoneMs: new Array<number>(ZONE_COUNT + 1).fill(0),
    kcal: 0,
  };
}

/** Longest gap between readings that still counts as continuous data. */
export const SUMMARY_GAP_MS = METRICS.heartRate.staleAfterMs ?? 5000;

/** Keytel et al. (2005) energy expenditure in kcal/min, floored at 0; null without age, weight and sex. */
export function keytelKcalPerMin(hrBpm: number, p: Pick<Participant, 'ageYears' | 'weightKg' | 'sex'>): number | null {
  if (p.ageYears === null || p.weightKg === null || p.sex === null) return null;
  const kj =
    p.sex === 'male'
      ? -55.0969 + 0.6309 * hrBpm + 0.1988 * p.weightKg + 0.2017 * p.ageYears
      : -20.4022 + 0.4472 * hrBpm - 0.1263 * p.weightKg + 0.074 * p.ageYears;
  return Math.max(0, kj / 4.184);
}

/** Add one HR reading (in time order) to an athlete's totals (mutates `t`; no allocation). */
export function addHrReading(t: AthleteTotals, tMs: number, hrBpm: number, p: Participant): void {
  if (t.lastMs !== null && t.lastHrBpm !== null && tMs > t.lastMs) {
    const dt = tMs - t.lastMs;
    if (dt <= SUMMARY_GAP_MS) addSpan(t, dt, t.lastHrBpm, p);
  }
  if (t.lastMs !== null && tMs < t.lastMs) return; // out of order: ignored rather than double counted
  if (t.firstMs === null) t.firstMs = tMs;
  t.lastMs = tMs;
  t.lastHrBpm = hrBpm;
  t.readings++;
  if (t.maxHrBpm === null || hrBpm > t.maxHrBpm) t.maxHrBpm = hrBpm;
}

function addSpan(t: AthleteTotals, dtMs: number, hrBpm: number, p: Participant): void {
  t.coveredMs += dtMs;
  t.hrTimesMs += hrBpm * dtMs;
  const zone = zoneOf(hrBpm, zoneBoundsBpm(p));
  if (zone !== null) t.zoneMs[zone]! += dtMs;
  const kcalPerMin = keytelKcalPerMin(hrBpm, p);
  if (kcalPerMin !== null) t.kcal += (kcalPerMin * dtMs) / 60_000;
}

/** One athlete's line of the class summary. */
export interface AthleteSummary {
  readonly participantId: string;
  readonly name: string;
  /** Time with heart-rate data (s). */
  readonly durationS: number;
  readonly avgHrBpm: number | null;
  readonly maxHrBpm: number | null;
  /** Seconds in zones 0..5 (0 = below zone 1); null when the athlete has neither max HR nor zones. */
  readonly zoneS: number[] | null;
  readonly kcal: number | null;
  /** Why a value is missing (e.g. calories without body data). */
  readonly notes: string[];
}

/** A class summary. */
export interface ClassSummary {
  readonly startedAtMs: number;
  readonly endedAtMs: number;
  readonly athletes: AthleteSummary[];
}

/** Summarise an athlete's totals. */
export function summarise(p: Participant, t: AthleteTotals): AthleteSummary {
  const notes: string[] = [];
  const hasZones = zoneBoundsBpm(p) !== null;
  if (!hasZones) notes.push('zones need max HR or explicit zones');
  const hasBody = keytelKcalPerMin(100, p) !== null;
  if (!hasBody) notes.push(`calories ${CALORIES_NEED}`);
  if (t.readings === 0) notes.push('no heart-rate data during the class');
  const avg = t.coveredMs > 0 ? t.hrTimesMs / t.coveredMs : t.lastHrBpm;
  return {
    participantId: p.id,
    name: p.name,
    durationS: Math.round(t.coveredMs / 1000),
    avgHrBpm: avg === null ? null : Math.round(avg),
    maxHrBpm: t.maxHrBpm,
    zoneS: hasZones ? t.zoneMs.map((ms) => Math.round(ms / 1000)) : null,
    kcal: hasBody && t.readings > 0 ? Math.round(t.kcal) : null,
    notes,
  };
}

/** Seconds as m:ss. */
export function formatDurationS(s: number): string {
  const m = Math.floor(s / 60);
  return `${m}:${String(Math.round(s - m * 60)).padStart(2, '0')}`;
}

/** The class summary as CSV (one row per athlete; zone times in seconds). */
export function summaryToCsv(summary: ClassSummary): string {
  const header = [
    'athlete',
    'id',
    'class_start',
    'class_end',
    'hr_time_s',
    'avg_hr_bpm',
    'max_hr_bpm',
    ...ZONES.map((_, i) => `zone${i}_s`),
    'kcal',
    'notes',
  ];
  const rows = summary.athletes.map((a) => [
    a.name,
    a.participantId,
    new Date(summary.startedAtMs).toISOString(),
    new Date(summary.endedAtMs).toISOString(),
    String(a.durationS),
    a.avgHrBpm === null ? '' : String(a.avgHrBpm),
    a.maxHrBpm === null ? '' : String(a.maxHrBpm),
    ...ZONES.map((_, i) => (a.zoneS ? String(a.zoneS[i]) : '')),
    a.kcal === null ? '' : String(a.kcal),
    a.notes.join('; '),
  ]);
  return formatCsv([header, ...rows]);
}
