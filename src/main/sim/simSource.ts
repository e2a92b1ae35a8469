/**
 * Sample-level simulated devices: turns a scenario into samples through the hub. Each device's
 * curves are evaluated on scenario time; live overrides (the Simulator panel, the test-control
 * surface) replace a curve with a steady value; dropouts silence the device so the hub marks it
 * stale, exactly as a real sensor going out of range. Heart-rate devices also produce RR
 * intervals from a beat generator that follows the HR curve, so RR is consistent with HR.
 * (BLE and ANT+ devices of a scenario are rendered as bytes by their own simulators.)
 */
import type { DeviceId } from '../../shared/device';
import { METRICS, type MetricId } from '../../shared/metrics';
import { nowMs, type SampleSink } from '../../shared/sample';
import {
  batteryAt,
  curveValue,
  DEFAULT_METRICS,
  isDroppedOut,
  nextBeat,
  rrTicksToMs,
  scenarioDeviceSchema,
  type BeatState,
  type Curve,
  type Scenario,
  type ScenarioDevice,
} from '../../shared/scenario';
import type { DeviceRegistry } from '../devices';

/** State of one simulated device as the Simulator panel shows it. */
export interface SimDeviceView {
  readonly deviceId: DeviceId;
  readonly scenarioId: string;
  readonly name: string;
  readonly kind: ScenarioDevice['kind'];
  readonly isDroppedOut: boolean;
  readonly values: Partial<Record<MetricId, number>>;
}

/** Kinds whose sensors report a total distance (their tiles show it). */
const DISTANCE_KINDS: ReadonlySet<ScenarioDevice['kind']> = new Set(['rsc', 'csc', 'speed', 'treadmill']);

interface SimDevice {
  readonly deviceId: DeviceId;
  readonly def: ScenarioDevice;
  readonly key: number;
  readonly startMs: number;
  readonly overrides: Map<MetricId, number>;
  /** Manual dropout: until this time (ms), Infinity = until reconnect, null = none. */
  manualDropoutUntilMs: number | null;
  /** Manual reconnect overrides a scenario dropout from this time. */
  reconnectedAtS: number | null;
  nextDueMs: number;
  lastBatteryMs: number;
  /** Total distance the sensor counts (m), from its speed, for kinds that report one and have no distance curve. */
  distanceM: number;
  /** Time (ms) the distance was last advanced to; null before the first reading. */
  distanceAtMs: number | null;
  beats: BeatState;
  lastValues: Partial<Record<MetricId, number>>;
}

/** Options of the simulated source. */
export interface SimSourceOptions {
  readonly sink: SampleSink;
  readonly registry: DeviceRegistry;
  readonly now?: () => number;
  readonly tickMs?: number;
}

const BATTERY_EVERY_MS = 10_000;

/** The sample-level simulator. */
export class SimSource {
  private readonly devices = new Map<DeviceId, SimDevice>();
  private readonly now: () => number;
  private timer: ReturnType<typeof setInterval> | null = null;
  private seed = 1;
  private keyCounter = 0;
  private scenarioName: string | null = null;

  constructor(private readonly options: SimSourceOptions) {
    this.now = options.now ?? nowMs;
  }

  /** Name of the loaded scenario, if any. */
  get scenario(): string | null {
    return this.scenarioName;
  }

  /** Replace every simulated device with the sample-level devices of a scenario. */
  load(scenario: Scenario): void {
    for (const id of [...this.devices.keys()]) this.remove(id);
    this.seed = scenario.seed;
    this.scenarioName = scenario.name;
    for (const def of scenario.devices) if (def.transport === 'sample') this.addDevice(def);
  }

  /** Add one device from its scenario definition; returns its device id. */
  addDevice(def: ScenarioDevice): DeviceId {
    const deviceId = `sim:${def.id}`;
    if (this.devices.has(deviceId)) this.remove(deviceId);
    const t = this.now();
    this.devices.set(deviceId, {
      deviceId,
      def,
      key: ++this.keyCounter,
      startMs: t,
      overrides: new Map(),
      manualDropoutUntilMs: null,
      reconnectedAtS: null,
      nextDueMs: t,
      lastBatteryMs: -Infinity,
      distanceM: 0,
      distanceAtMs: null,
      beats: { lastBeatTicks: 0, beatCount: 0 },
      lastValues: {},
    });
    this.options.registry.upsert({ id: deviceId, name: def.name, kind: def.kind, source: 'sim', isSimulated: true });
    return deviceId;
  }

  /** Add a device of a kind with steady values (Simulator panel, test control). */
  addSimple(kind: ScenarioDevice['kind'], name?: string, values?: Partial<Record<MetricId, number>>): DeviceId {
    const merged = { ...DEFAULT_METRICS[kind], ...values };
    const metrics: Partial<Record<MetricId, Curve>> = {};
    for (const [m, v] of Object.entries(merged) as [MetricId, number][]) metrics[m] = { type: 'steady', value: v };
    let n = this.devices.size + 1;
    while (this.devices.has(`sim:${kind}${n}`)) n++;
    const def = scenarioDeviceSchema.parse({
      id: `${kind}${n}`,
      name: name ?? `Simulated ${kind.toUpperCase()} ${n}`,
      kind,
      metrics,
      battery: { startPct: 90, drainPctPerHour: 3 },
    });
    return this.addDevice(def);
  }

  /** Remove a device. */
  remove(deviceId: DeviceId): boolean {
    if (!this.devices.delete(deviceId)) return false;
    this.options.registry.remove(deviceId);
    return true;
  }

  /** Override a metric with a steady value from now on. */
  setValue(deviceId: DeviceId, metric: MetricId, value: number): boolean {
    const d = this.devices.get(deviceId);
    if (!d) return false;
    d.overrides.set(metric, value);
    return true;
  }

  /** Silence a device for `durationMs` (or until {@link reconnect}). */
  dropout(deviceId: DeviceId, durationMs?: number): boolean {
    const d = this.devices.get(deviceId);
    if (!d) return false;
    d.manualDropoutUntilMs = durationMs === undefined ? Infinity : this.now() + durationMs;
    return true;
  }

  /** End a dropout (manual or scenario). */
  reconnect(deviceId: DeviceId): boolean {
    const d = this.devices.get(deviceId);
    if (!d) return false;
    d.manualDropoutUntilMs = null;
    d.reconnectedAtS = (this.now() - d.startMs) / 1000;
    return true;
  }

  /** Whether the device exists here. */
  has(deviceId: DeviceId): boolean {
    return this.devices.has(deviceId);
  }

  /** The devices as the Simulator panel shows them. */
  list(): SimDeviceView[] {
    const t = this.now();
    return [...this.devices.values()].map((d) => ({
      deviceId: d.deviceId,
      scenarioId: d.def.id,
      name: d.def.name,
      kind: d.def.kind,
      isDroppedOut: this.isSilent(d, t),
      values: { ...d.lastValues },
    }));
  }

  /** Start ticking. */
  start(tickMs = this.options.tickMs ?? 50): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.tick(), tickMs);
    this.timer.unref?.();
  }

  /** Stop ticking. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Emit every reading that is due; called by the timer and by tests. */
  tick(t: number = this.now()): void {
    for (const d of this.devices.values()) {
      if (t < d.nextDueMs) continue;
      d.nextDueMs = Math.max(d.nextDueMs + 1000 / d.def.rateHz, t - 1000);
      if (this.isSilent(d, t)) {
        // Beats still happen while out of range; they are simply never received.
        this.advanceBeats(d, t, false);
        continue;
      }
      this.emitReadings(d, t);
    }
  }

  private isSilent(d: SimDevice, t: number): boolean {
    if (d.manualDropoutUntilMs !== null) {
      if (t < d.manualDropoutUntilMs) return true;
      d.manualDropoutUntilMs = null;
    }
    const tS = (t - d.startMs) / 1000;
    if (d.reconnectedAtS !== null) {
      const later = d.def.events.filter((e) => e.atS > d.reconnectedAtS!);
      return isDroppedOut(later, tS);
    }
    return isDroppedOut(d.def.events, tS);
  }

  private valueOf(d: SimDevice, metric: MetricId, tS: number): number | null {
    const o = d.overrides.get(metric);
    if (o !== undefined) return o;
    const curve = d.def.metrics[metric];
    if (!curve) return null;
    return curveValue(curve, tS, this.seed, d.key * 64 + METRIC_INDEX[metric]);
  }

  private emitReadings(d: SimDevice, t: number): void {
    const tS = (t - d.startMs) / 1000;
    const sink = this.options.sink;
    for (const metric of Object.keys(d.def.metrics) as MetricId[]) {
      const raw = this.valueOf(d, metric, tS);
      if (raw === null) continue;
      const value = roundTo(Math.max(0, raw), METRICS[metric].decimals);
      d.lastValues[metric] = value;
      if (metric === 'heartRate' && value <= 0) continue; // 0 bpm is no reading
      sink.push({ tMs: t, deviceId: d.deviceId, metric, value });
    }
    for (const [metric, value] of d.overrides) {
      if (d.def.metrics[metric]) continue;
      d.lastValues[metric] = value;
      sink.push({ tMs: t, deviceId: d.deviceId, metric, value });
    }
    if (d.def.kind === 'hr') this.advanceBeats(d, t, true);
    this.emitDistance(d, t);
    if (t - d.lastBatteryMs >= BATTERY_EVERY_MS) {
      const pct = batteryAt(d.def, tS);
      if (pct !== null) sink.push({ tMs: t, deviceId: d.deviceId, metric: 'battery', value: pct });
      d.lastBatteryMs = t;
    }
  }

  /**
   * Foot pods, speed sensors and machines count total distance: integrate the speed over time (the
   * sensor keeps counting through a dropout; the reading after it shows the whole distance).
   */
  private emitDistance(d: SimDevice, t: number): void {
    if (!DISTANCE_KINDS.has(d.def.kind) || d.def.metrics.distance || d.overrides.has('distance')) return;
    const speedMps = d.lastValues.speed;
    if (speedMps === undefined) return;
    if (d.distanceAtMs !== null) d.distanceM += (speedMps * Math.max(0, t - d.distanceAtMs)) / 1000;
    d.distanceAtMs = t;
    const value = roundTo(d.distanceM, METRICS.distance.decimals);
    d.lastValues.distance = value;
    this.options.sink.push({ tMs: t, deviceId: d.deviceId, metric: 'distance', value });
  }

  /**
   * Generate beats up to `t`; when received, each becomes one RR sample with the beat's timing.
   * Beats during a dropout are generated (the heart keeps beating) but never delivered.
   */
  private advanceBeats(d: SimDevice, t: number, isReceived: boolean): void {
    const elapsedTicks = ((t - d.startMs) * 1024) / 1000;
    for (;;) {
      const hr = this.valueOf(d, 'heartRate', (d.beats.lastBeatTicks * 1000) / 1024 / 1000) ?? 60;
      const candidate = nextBeat(d.beats, hr);
      if (candidate.state.lastBeatTicks > elapsedTicks) break;
      d.beats = candidate.state;
      if (!isReceived) continue;
      this.options.sink.push({
        tMs: t,
        deviceId: d.deviceId,
        metric: 'rrInterval',
        value: rrTicksToMs(candidate.rrTicks),
        timing: {
          eventTicks: d.beats.lastBeatTicks % 65536,
          ticksPerSecond: 1024,
          eventCount: d.beats.beatCount % 256,
        },
      });
    }
  }
}

const METRIC_INDEX = Object.fromEntries(Object.keys(METRICS).map((m, i) => [m, i])) as Record<MetricId, number>;

function roundTo(value: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}
