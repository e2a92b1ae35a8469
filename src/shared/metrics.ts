/**
 * The metric catalogue: every kind of reading the app knows, with its unit, its display name,
 * how long it may stay silent before it counts as stale, and the Terra `t` label it is forwarded
 * under (see docs/broker-protocol.md §10). Metrics without a label are not forwarded.
 */

/** Stable metric identifiers; units live in the catalogue entry, values are in those units. */
export const METRIC_IDS = [
  'heartRate',
  'rrInterval',
  'power',
  'cadence',
  'stepCadence',
  'speed',
  'distance',
  'calories',
  'steps',
  'energyExpended',
  'strideLength',
  'resistance',
  'battery',
  'rssi',
  'contact',
] as const;

/** One metric identifier from {@link METRIC_IDS}. */
export type MetricId = (typeof METRIC_IDS)[number];

/** Terra data-type labels this app produces. */
export type TerraLabel =
  | 'HEART_RATE'
  | 'RR_INTERVAL'
  | 'POWER'
  | 'BIKE_CADENCE'
  | 'STEPS_CADENCE'
  | 'SPEED'
  | 'DISTANCE'
  | 'CALORIES'
  | 'STEPS';

/** Catalogue entry of one metric. */
export interface MetricInfo {
  readonly id: MetricId;
  /** Unit of `Sample.value` inside the app. */
  readonly unit: string;
  readonly displayName: string;
  /** Decimal places shown in the UI. */
  readonly decimals: number;
  /** Silence after which the metric is stale; `null`: event-like metric, never stale on its own. */
  readonly staleAfterMs: number | null;
  /** Terra `t` label; `null`: not forwarded to the broker. */
  readonly terra: null | {
    readonly label: TerraLabel;
    /** Unit of `d.val` on the wire (may differ from the app unit, e.g. km/h for speed). */
    readonly unit: string;
    /** Multiply the app value by this to get the wire value. */
    readonly factor: number;
  };
  /** Whether values accumulate (distance, calories, steps) rather than being instantaneous. */
  readonly isCumulative: boolean;
}

function metric(
  id: MetricId,
  unit: string,
  displayName: string,
  decimals: number,
  staleAfterMs: number | null,
  terra: MetricInfo['terra'],
  isCumulative = false,
): MetricInfo {
  return { id, unit, displayName, decimals, staleAfterMs, terra, isCumulative };
}

/** The catalogue, keyed by metric id. */
export const METRICS: { readonly [K in MetricId]: MetricInfo } = {
  heartRate: metric('heartRate', 'bpm', 'Heart rate', 0, 5000, { label: 'HEART_RATE', unit: 'bpm', factor: 1 }),
  rrInterval: metric('rrInterval', 'ms', 'RR interval', 1, null, { label: 'RR_INTERVAL', unit: 'ms', factor: 1 }),
  power: metric('power', 'W', 'Power', 0, 4000, { label: 'POWER', unit: 'W', factor: 1 }),
  cadence: metric('cadence', 'rpm', 'Cadence', 0, 4000, { label: 'BIKE_CADENCE', unit: 'rpm', factor: 1 }),
  stepCadence: metric('stepCadence', 'steps/min', 'Step cadence', 0, 4000, {
    label: 'STEPS_CADENCE',
    unit: 'steps/min',
    factor: 1,
  }),
  speed: metric('speed', 'm/s', 'Speed', 2, 4000, { label: 'SPEED', unit: 'km/h', factor: 3.6 }),
  distance: metric('distance', 'm', 'Distance', 0, 4000, { label: 'DISTANCE', unit: 'm', factor: 1 }, true),
  calories: metric('calories', 'kcal', 'Calories', 0, 10000, { label: 'CALORIES', unit: 'kcal', factor: 1 }, true),
  steps: metric('steps', 'steps', 'Steps', 0, 10000, { label: 'STEPS', unit: 'steps', factor: 1 }, true),
  energyExpended: metric('energyExpended', 'kJ', 'Energy expended', 0, null, null, true),
  strideLength: metric('strideLength', 'm', 'Stride length', 2, 4000, null),
  resistance: metric('resistance', '', 'Resistance', 0, 10000, null),
  battery: metric('battery', '%', 'Battery', 0, null, null),
  rssi: metric('rssi', 'dBm', 'Signal', 0, null, null),
  contact: metric('contact', '', 'Skin contact', 0, null, null),
};

