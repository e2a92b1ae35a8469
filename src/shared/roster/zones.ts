/**
 * Heart-rate zones: five zones, by default as % of the participant's max HR (50/60/70/80/90 %
 * lower bounds), or explicit bpm bounds from the roster. Zone 0 means below zone 1.
 */
import { DEFAULT_ZONE_PCT, type Participant } from './participant';

/** Number of zones. */
export const ZONE_COUNT = 5;

/** Display names and colours of zones 0..5 (0 = below zone 1), readable on a dark screen. */
export const ZONES = [
  { name: 'Rest', colour: '#2a3140' },
  { name: 'Z1 Warm-up', colour: '#5b6b82' },
  { name: 'Z2 Easy', colour: '#1f7ae0' },
  { name: 'Z3 Aerobic', colour: '#1f9d55' },
  { name: 'Z4 Threshold', colour: '#e08a00' },
  { name: 'Z5 Max', colour: '#d92d3f' },
] as const;

/** Lower bounds (bpm) of zones 1..5 for a participant, or null when neither max HR nor zones are known. */
export function zoneBoundsBpm(p: Pick<Participant, 'maxHrBpm' | 'zonesBpm'>): readonly number[] | null {
  if (p.zonesBpm) return p.zonesBpm;
  if (p.maxHrBpm === null) return null;
  return DEFAULT_ZONE_PCT.map((pct) => Math.round((p.maxHrBpm! * pct) / 100));
}

/** Zone (0..5) of a heart rate given zone lower bounds; null bounds → null. */
export function zoneOf(hrBpm: number, bounds: readonly number[] | null): number | null {
  if (!bounds) return null;
  let zone = 0;
  for (let i = 0; i < bounds.length; i++) if (hrBpm >= bounds[i]!) zone = i + 1;
  return zone;
}

/** How far (bpm) below a zone's lower bound the heart rate must fall before the zone drops: noise of a few bpm at a bound must not flap the colour. */
export const ZONE_HYSTERESIS_BPM = 3;

/**
 * Zone with hysteresis: going up happens at the bound, as {@link zoneOf}; going down only once the
 * heart rate is {@link ZONE_HYSTERESIS_BPM} below the bound of the zone shown. `previous` is the zone
 * shown now (null: none yet).
 */
export function zoneWithHysteresis(hrBpm: number, bounds: readonly number[] | null, previous: number | null, marginBpm = ZONE_HYSTERESIS_BPM): number | null {
  const raw = zoneOf(hrBpm, bounds);
  if (raw === null || previous === null || raw >= previous || !bounds) return raw;
  // falling: stay in `previous` while within the margin below its bound, else the zone hrBpm + margin is in
  return Math.min(previous, zoneOf(hrBpm + marginBpm, bounds) ?? raw);
}

/** Heart rate as % of max HR (rounded), or null when max HR is unknown. */
export function percentOfMax(hrBpm: number, maxHrBpm: number | null): number | null {
  return maxHrBpm ? Math.round((hrBpm / maxHrBpm) * 100) : null;
}
