/**
 * Rates from cumulative counters (CSC Measurement 0x2A5B, Cycling Power Measurement 0x2A63, and the ANT+ speed &
 * cadence pages, which carry the same counter pairs) — docs/gatt.md §3, §5 and "Rates from counters": `ΔRev = (rev − prev) & 0xFFFF` (uint16 crank) or `>>> 0` (uint32 wheel), `ΔT = (t − prevT) & 0xFFFF`;
 * rate = ΔRev × ticksPerSecond / ΔT. ΔT = 0 means no new event: the previous rate is kept and decays to 0 after
 * {@link DEFAULT_DECAY_AFTER_MS} without events. The first sample after (re)connect only sets the baseline.
 * A jump no rider could make in the elapsed time (a counter going backwards by a large amount), or a rate above the
 * device class's physical ceiling ({@link CounterSpec.maxRevsPerSecond}), is a counter reset: the baseline is taken
 * again and nothing is emitted (two notifications 1 s apart with 12 crank revolutions in 1 tick are not 737,280 rpm).
 * State goes in and out explicitly; nothing here keeps hidden state.
 */

/** Default wheel circumference (700×25C road tyre), metres. */
export const DEFAULT_WHEEL_CIRCUMFERENCE_M = 2.105;
/** Silence after which a kept rate decays to 0. */
export const DEFAULT_DECAY_AFTER_MS = 3000;

/** How one counter pair (revolutions + event time) is read. */
export interface CounterSpec {
  /** Width of the revolution counter: 16 (crank) or 32 (wheel). */
  readonly countBits: 16 | 32;
  /** Event-time ticks per second: 1024 (CSC, CP crank) or 2048 (CP wheel). */
  readonly ticksPerSecond: number;
  /** Most revolutions per second that can be real; more is a counter reset. */
  readonly maxRevsPerSecond: number;
}

/** CSC wheel: uint32 revolutions, 1/1024 s. */
export const CSC_WHEEL: CounterSpec = { countBits: 32, ticksPerSecond: 1024, maxRevsPerSecond: 50 };
/** CSC crank and CP crank: uint16 revolutions, 1/1024 s. */
export const CRANK: CounterSpec = { countBits: 16, ticksPerSecond: 1024, maxRevsPerSecond: 8 };
/** CP wheel: uint32 revolutions, 1/2048 s. */
export const CP_WHEEL: CounterSpec = { countBits: 32, ticksPerSecond: 2048, maxRevsPerSecond: 50 };
/** ANT+ speed sensor wheel (pages of device types 0x79 and 0x7B): uint16 revolutions, 1/1024 s. */
export const ANT_WHEEL: CounterSpec = { countBits: 16, ticksPerSecond: 1024, maxRevsPerSecond: 50 };

/** State of one counter pair between notifications. */
export interface CounterState {
  /** Last cumulative revolutions as sent. */
  readonly revs: number;
  /** Last event time in ticks as sent. */
  readonly eventTicks: number;
  /** Reception time of the last update, epoch ms. */
  readonly tMs: number;
  /** Reception time of the last new event (event time changed), epoch ms. */
  readonly lastEventMs: number;
  /** Last computed rate, revolutions per second (0 until the second event). */
  readonly revsPerSecond: number;
  /** Revolutions counted since the first sample, continuous across rollovers and resets. */
  readonly totalRevs: number;
  /** Whether the previous update was the first after a (re)connect (no rate yet). */
  readonly hasRate: boolean;
}

/** Result of {@link updateCounter}. */
export interface CounterUpdate {
  readonly state: CounterState;
  /** Revolutions per second to report; null: nothing to report (first sample after connect, or a reset). */
  readonly revsPerSecond: number | null;
  /** Whether the event time changed. */
  readonly isNewEvent: boolean;
  /** Whether the counters were treated as reset (baseline taken again). */
  readonly isReset: boolean;
}

/** Revolutions since the previous value, modulo the counter width. */
export function deltaRevs(revs: number, prevRevs: number, countBits: 16 | 32): number {
  return countBits === 16 ? (revs - prevRevs) & 0xffff : (revs - prevRevs) >>> 0;
}

/** Event-time ticks since the previous event time, modulo 16 bits. */
export function deltaTicks(ticks: number, prevTicks: number): number {
  return (ticks - prevTicks) & 0xffff;
}

function baseline(revs: number, eventTicks: number, tMs: number, totalRevs: number): CounterState {
  return { revs, eventTicks, tMs, lastEventMs: tMs, revsPerSecond: 0, totalRevs, hasRate: false };
}

/**
 * Advance a counter with a new notification. `prev` null: first sample after (re)connect — the baseline is
 * taken and nothing is reported. Pass `totalRevs` of an earlier state to keep distance continuous over a reconnect.
 */
export function updateCounter(
  prev: CounterState | null,
  revs: number,
  eventTicks: number,
  tMs: number,
  spec: CounterSpec,
  decayAfterMs = DEFAULT_DECAY_AFTER_MS,
  totalRevsBefore = 0,
): CounterUpdate {
  if (prev === null) {
    return { state: baseline(revs, eventTicks, tMs, totalRevsBefore), revsPerSecond: null, isNewEvent: false, isReset: false };
  }
  const dRevs = deltaRevs(revs, prev.revs, spec.countBits);
  const dTicks = deltaTicks(eventTicks, prev.eventTicks);
  // The event clock wraps every 64 s (32 s for CP wheel); reception time bounds what could really have happened.
  const elapsedS = Math.max(dTicks / spec.ticksPerSecond, (tMs - prev.tMs) / 1000, 0);
  if (dRevs > spec.maxRevsPerSecond * elapsedS + 4) {
    return { state: baseline(revs, eventTicks, tMs, prev.totalRevs), revsPerSecond: null, isNewEvent: false, isReset: true };
  }
  if (dTicks === 0) {
    const isDecayed = tMs - prev.lastEventMs >= decayAfterMs;
    const kept = isDecayed ? 0 : prev.revsPerSecond;
    const state = { ...prev, tMs, revsPerSecond: kept };
    return { state, revsPerSecond: prev.hasRate || isDecayed ? kept : null, isNewEvent: false, isReset: false };
  }
  const rate = (dRevs * spec.ticksPerSecond) / dTicks;
  if (rate > spec.maxRevsPerSecond) {
    return { state: baseline(revs, eventTicks, tMs, prev.totalRevs), revsPerSecond: null, isNewEvent: false, isReset: true };
  }
  const state: CounterState = {
    revs,
    eventTicks,
    tMs,
    lastEventMs: tMs,
    revsPerSecond: rate,
    totalRevs: prev.totalRevs + dRevs,
    hasRate: true,
  };
  return { state, revsPerSecond: rate, isNewEvent: true, isReset: false };
}

/** Derived-metric configuration of one device. */
export interface DeriveConfig {
  readonly wheelCircumferenceM: number;
  readonly decayAfterMs: number;
}

/** Default derive configuration (2.105 m wheel, 3 s decay). */
export const DEFAULT_DERIVE_CONFIG: DeriveConfig = {
  wheelCircumferenceM: DEFAULT_WHEEL_CIRCUMFERENCE_M,
  decayAfterMs: DEFAULT_DECAY_AFTER_MS,
};

/** Counter state of one device: wheel and crank, plus revolutions carried over from before a reconnect. */
export interface DeriveState {
  readonly wheel: CounterState | null;
  readonly crank: CounterState | null;
  /** Wheel revolutions counted before the last reconnect (distance stays continuous). */
  readonly wheelRevsCarried: number;
}

/** State of a device that has not sent anything yet. */
export const INITIAL_DERIVE_STATE: DeriveState = { wheel: null, crank: null, wheelRevsCarried: 0 };

/** State after a (re)connect: the next sample only sets the baseline; distance counted so far is kept. */
export function resetForReconnect(state: DeriveState): DeriveState {
  return { wheel: null, crank: null, wheelRevsCarried: state.wheel?.totalRevs ?? state.wheelRevsCarried };
}

/** Speed and distance from a wheel counter update. */
export interface WheelDerived {
  readonly speedMps: number | null;
  /** Distance since the first sample of this device, m; null when nothing new. */
  readonly distanceM: number | null;
  readonly state: CounterState;
  /** The counters were treated as reset (implausible jump or rate): nothing was reported. */
  readonly isReset: boolean;
}

/** Update the wheel counter and derive speed (m/s) and distance (m). */
export function deriveWheel(
  prev: CounterState | null,
  revs: number,
  eventTicks: number,
  tMs: number,
  spec: CounterSpec,
  config: DeriveConfig,
  carriedRevs = 0,
): WheelDerived {
  const u = updateCounter(prev, revs, eventTicks, tMs, spec, config.decayAfterMs, carriedRevs);
  const c = config.wheelCircumferenceM;
  return {
    speedMps: u.revsPerSecond === null ? null : u.revsPerSecond * c,
    distanceM: u.isNewEvent ? u.state.totalRevs * c : null,
    state: u.state,
    isReset: u.isReset,
  };
}

/** Update the crank counter and derive cadence (rpm). */
export function deriveCrank(
  prev: CounterState | null,
  revs: number,
  eventTicks: number,
  tMs: number,
  config: Pick<DeriveConfig, 'decayAfterMs'>,
): { readonly cadenceRpm: number | null; readonly state: CounterState; readonly isReset: boolean } {
  const u = updateCounter(prev, revs, eventTicks, tMs, CRANK, config.decayAfterMs);
  return { cadenceRpm: u.revsPerSecond === null ? null : u.revsPerSecond * 60, state: u.state, isReset: u.isReset };
}
