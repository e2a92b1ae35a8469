/** Which metrics a tile shows for each device kind: the primary one big, the others smaller. */
import type { DeviceKind } from '../../shared/device';
import type { MetricId } from '../../shared/metrics';

/** Metrics shown on a tile, primary first. */
export const TILE_METRICS: { readonly [K in DeviceKind]: readonly MetricId[] } = {
  hr: ['heartRate', 'rrInterval'],
  power: ['power', 'cadence'],
  csc: ['speed', 'cadence', 'distance'],
  speed: ['speed', 'distance'],
  cadence: ['cadence'],
  rsc: ['speed', 'stepCadence', 'distance'],
  bike: ['power', 'cadence', 'speed'],
  treadmill: ['speed', 'distance'],
};
