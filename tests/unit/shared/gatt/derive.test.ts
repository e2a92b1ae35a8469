import { describe, expect, it } from 'vitest';
import { CRANK, CSC_WHEEL, CP_WHEEL, updateCounter, type CounterState } from '../../../../src/shared/gatt/derive';
import { encodeCscMeasurement, type CscMeasurement } from '../../../../src/shared/gatt/cscMeasurement';
import { encodeCyclingPowerMeasurement } from '../../../../src/shared/gatt/cyclingPowerMeasurement';
import {
  decodeNotification,
  EMPTY_DECODE_ERRORS,
  gattStateAfterReconnect,
  initialGattSampleState,
  type GattSampleState,
} from '../../../../src/shared/gatt/samples';
import type { Sample } from '../../../../src/shared/sample';
import { hexBytes } from './hex';

const DEV = 'ble:test';

/** Feed notifications through decode → samples, like the manager does. */
function feed(key: string, packets: { bytes: Uint8Array; tMs: number }[], start = initialGattSampleState({ wheelCircumferenceM: 2.105 })) {
  let state: GattSampleState = start;
  const samples: Sample[] = [];
  for (const p of packets) {
    const r = decodeNotification(key, new DataView(p.bytes.buffer, p.bytes.byteOffset, p.bytes.byteLength), state, EMPTY_DECODE_ERRORS, p.tMs, DEV);
    expect(r.errors.count).toBe(0);
    state = r.state;
    samples.push(...r.samples);
  }
  return { state, samples };
}

function csc(m: CscMeasurement, tMs: number) {
  return { bytes: encodeCscMeasurement(m), tMs };
}
const values = (samples: Sample[], metric: string) => samples.filter((s) => s.metric === metric).map((s) => s.value);

describe('CSC/CP rates from cumulative counters', () => {
  it('CSC-02: 2 wheel revs in 1441/1024 s with a 2.1 m wheel → 2.985 m/s', () => {
    const { samples } = feed(
      'csc_measurement',
      [
        { bytes: hexBytes('03 D9 00 00 00 77 0C 01 00 00 98'), tMs: 1000 },
        { bytes: hexBytes('01 DB 00 00 00 18 12'), tMs: 2400 },
      ],
      initialGattSampleState({ wheelCircumferenceM: 2.1 }),
    );
    const speed = values(samples, 'speed');
    expect(speed).toHaveLength(1); // the first notification after connect only sets the baseline
    expect(speed[0]).toBeCloseTo((2 * 2.1 * 1024) / 1441, 9);
    expect(speed[0]).toBeCloseTo(2.985, 3);
    expect(values(samples, 'distance')).toEqual([2 * 2.1]);
  });

  it('CSC-03: crank 1 @ 0x9800 → 3 @ 0x9F4E is 65.7 rpm', () => {
    const { samples } = feed('csc_measurement', [
      { bytes: hexBytes('03 D9 00 00 00 77 0C 01 00 00 98'), tMs: 1000 },
      { bytes: hexBytes('03 DC 00 00 00 91 14 03 00 4E 9F'), tMs: 2900 },
    ]);
    const cadence = values(samples, 'cadence');
    expect(cadence).toHaveLength(1);
    expect(cadence[0]).toBeCloseTo((2 * 60 * 1024) / 1870, 9);
    expect(cadence[0]).toBeCloseTo(65.7, 1);
  });

  it('CSC-06: crank revs 65535 → 1 and time 65000 → 500 wrap together: 2 revs in 1036 ticks = 118.6 rpm', () => {
    const { samples } = feed('csc_measurement', [
      csc({ cumulativeCrankRevs: 65535, lastCrankEventTicks: 65000 }, 0),
      csc({ cumulativeCrankRevs: 1, lastCrankEventTicks: 500 }, 1000),
    ]);
    const [cadence] = values(samples, 'cadence');
    expect(cadence).toBeCloseTo((2 * 60 * 1024) / 1036, 9);
    expect(cadence).toBeCloseTo(118.6, 1);
    expect(samples.find((s) => s.metric === 'cadence')?.timing).toEqual({ eventTicks: 500, ticksPerSecond: 1024, eventCount: 1, flags: 2 });
  });

  it('CSC-07: wheel revs 0xFFFFFFFF → 1 (uint32) and time 64000 → 1000 (uint16): ΔRev 2, ΔT 2536', () => {
    const { samples } = feed('csc_measurement', [
      csc({ cumulativeWheelRevs: 0xffffffff, lastWheelEventTicks: 64000 }, 0),
      csc({ cumulativeWheelRevs: 1, lastWheelEventTicks: 1000 }, 2500),
    ]);
    expect(values(samples, 'speed')).toEqual([(2 * 2.105 * 1024) / 2536]);
    expect(values(samples, 'distance')).toEqual([2 * 2.105]);
  });

  it('CSC-08: the same event time twice is no new event — the previous cadence is kept, not zeroed or recomputed', () => {
    const { samples } = feed('csc_measurement', [
      csc({ cumulativeCrankRevs: 4, lastCrankEventTicks: 0 }, 0),
      csc({ cumulativeCrankRevs: 5, lastCrankEventTicks: 1000 }, 1000),
      csc({ cumulativeCrankRevs: 5, lastCrankEventTicks: 1000 }, 2000),
    ]);
    const rpm = (60 * 1024) / 1000;
    expect(values(samples, 'cadence')).toEqual([rpm, rpm]);
  });

  it('a kept value decays to 0 after ~3 s without a new event (rider stopped, sensor keeps notifying)', () => {
    const packets = [csc({ cumulativeWheelRevs: 10, lastWheelEventTicks: 0 }, 0), csc({ cumulativeWheelRevs: 12, lastWheelEventTicks: 1024 }, 1000)];
    for (let t = 2000; t <= 5000; t += 1000) packets.push(csc({ cumulativeWheelRevs: 12, lastWheelEventTicks: 1024 }, t));
    const speed = values(feed('csc_measurement', packets).samples, 'speed');
    const v = 2 * 2.105;
    expect(speed).toEqual([v, v, v, 0, 0]); // events at 1000 ms; kept at 2000 and 3000, 0 from 4000 (3 s)
  });

  it('drops the first counter sample after a reconnect (a rate across the gap would be made up) but keeps distance continuous', () => {
    const first = feed('csc_measurement', [
      csc({ cumulativeWheelRevs: 100, lastWheelEventTicks: 0 }, 0),
      csc({ cumulativeWheelRevs: 104, lastWheelEventTicks: 2048 }, 2000),
    ]);
    const after = feed(
      'csc_measurement',
      [
        csc({ cumulativeWheelRevs: 130, lastWheelEventTicks: 30000 }, 20000),
        csc({ cumulativeWheelRevs: 132, lastWheelEventTicks: 31024 }, 21000),
      ],
      gattStateAfterReconnect(first.state),
    );
    expect(values(after.samples, 'speed')).toEqual([2 * 2.105]);
    expect(values(after.samples, 'distance')).toEqual([(4 + 2) * 2.105]);
  });

  it('a wheel count that jumps backwards by a large amount is a reset, not a 4-billion-revolution rollover', () => {
    const { samples, state } = feed('csc_measurement', [
      csc({ cumulativeWheelRevs: 5000, lastWheelEventTicks: 0 }, 0),
      csc({ cumulativeWheelRevs: 5002, lastWheelEventTicks: 1024 }, 1000),
      csc({ cumulativeWheelRevs: 3, lastWheelEventTicks: 2048 }, 2000), // sensor reset via SC control point
      csc({ cumulativeWheelRevs: 5, lastWheelEventTicks: 3072 }, 3000),
    ]);
    expect(values(samples, 'speed')).toEqual([2 * 2.105, 2 * 2.105]);
    expect(values(samples, 'distance')).toEqual([2 * 2.105, 4 * 2.105]);
    expect(state.derive.wheel?.totalRevs).toBe(4);
  });

  it('a rate above the physical ceiling is a counter reset, never emitted (two notifications 1 s apart gave 737,280 rpm)', () => {
    const { samples } = feed('csc_measurement', [
      csc({ cumulativeCrankRevs: 100, lastCrankEventTicks: 5000 }, 0),
      csc({ cumulativeCrankRevs: 112, lastCrankEventTicks: 5001 }, 1000), // 12 revolutions in 1/1024 s
      csc({ cumulativeCrankRevs: 113, lastCrankEventTicks: 6025 }, 2000),
    ]);
    expect(values(samples, 'cadence')).toEqual([60]);
    const cp = (revs: number, ticks: number, tMs: number) => ({
      bytes: encodeCyclingPowerMeasurement({
        powerW: 200, isBalanceReferenceLeft: false, isTorqueSourceCrank: false, isOffsetCompensationIndicated: false,
        cumulativeWheelRevs: revs, lastWheelEventTicks: ticks,
      }),
      tMs,
    });
    // CP wheel: 54 revolutions in one 1/2048 s tick, 1 s apart, gave 232,796 m/s
    const wheel = feed('cycling_power_measurement', [cp(0, 0, 0), cp(54, 1, 1000), cp(56, 2049, 2000)]);
    expect(values(wheel.samples, 'speed')).toEqual([2 * 2.105]);
    const u = updateCounter({ revs: 0, eventTicks: 0, tMs: 0, lastEventMs: 0, revsPerSecond: 0, totalRevs: 0, hasRate: false }, 12, 1, 1000, CRANK);
    expect(u).toMatchObject({ revsPerSecond: null, isReset: true });
  });

  it('CP wheel event time is 1/2048 s: 2 revs in 2048 ticks is 1 s, not 2 s', () => {
    const p = (revs: number, ticks: number, tMs: number) => ({
      bytes: encodeCyclingPowerMeasurement({
        powerW: 200, isBalanceReferenceLeft: false, isTorqueSourceCrank: false, isOffsetCompensationIndicated: false,
        cumulativeWheelRevs: revs, lastWheelEventTicks: ticks,
      }),
      tMs,
    });
    const { samples } = feed('cycling_power_measurement', [p(0, 0, 0), p(2, 2048, 1000)]);
    expect(values(samples, 'speed')).toEqual([2 * 2.105]);
    expect(values(samples, 'power')).toEqual([200, 200]);
  });

  it('updateCounter never reports a rate on the first sample and reports ΔT-based rates after', () => {
    const a = updateCounter(null, 10, 100, 0, CRANK);
    expect(a.revsPerSecond).toBeNull();
    const b = updateCounter(a.state, 11, 1124, 1000, CRANK);
    expect(b.revsPerSecond).toBe(1);
    expect(b.isNewEvent).toBe(true);
  });
});

describe('long simulated ride across many counter and event-time wraps', () => {
  /**
   * Ground truth: a wheel and a crank turning at piecewise-constant rates for 2 h, sampled at 1/1024 s
   * (1/2048 s for the CP wheel). Counters start just below their wrap points; event times wrap every 64 s (32 s).
   */
  function ride(
    segments: { speedMps: number; cadenceRpm: number }[],
    segmentS: number,
    c: number,
    wheelTicksPerSecond: number,
  ) {
    const packets: { wheelRevs: number; wheelTicks: number; crankRevs: number; crankTicks: number; tMs: number }[] = [];
    let wheelPos = 0;
    let crankPos = 0;
    let wheelRevs = 0xfffff000;
    let crankRevs = 65000;
    let wheelTicks = 0;
    let crankTicks = 0;
    const tickS = 1 / wheelTicksPerSecond;
    let tick = 0;
    segments.forEach((seg, i) => {
      const endTick = (i + 1) * segmentS * wheelTicksPerSecond;
      for (; tick < endTick; tick++) {
        wheelPos += (seg.speedMps * tickS) / c;
        crankPos += (seg.cadenceRpm / 60) * tickS;
        if (wheelPos >= 1) {
          wheelPos -= 1;
          wheelRevs = (wheelRevs + 1) >>> 0;
          wheelTicks = tick & 0xffff;
        }
        if (crankPos >= 1) {
          crankPos -= 1;
          crankRevs = (crankRevs + 1) & 0xffff;
          crankTicks = Math.floor((tick * 1024) / wheelTicksPerSecond) & 0xffff;
        }
        if (tick % wheelTicksPerSecond === 0) packets.push({ wheelRevs, wheelTicks, crankRevs, crankTicks, tMs: (tick / wheelTicksPerSecond) * 1000 });
      }
    });
    return packets;
  }

  const segments = Array.from({ length: 120 }, (_, i) => ({ speedMps: 5 + (i % 7) * 2, cadenceRpm: 60 + (i % 5) * 15 }));
  const C = 2.105;

  it.each([
    ['csc_measurement', CSC_WHEEL.ticksPerSecond],
    ['cycling_power_measurement', CP_WHEEL.ticksPerSecond],
  ] as const)('%s: speed, cadence and distance stay continuous through every wrap', (key, ticksPerSecond) => {
    const packets = ride(segments, 60, C, ticksPerSecond);
    const bytes = packets.map((p) => ({
      tMs: p.tMs,
      bytes:
        key === 'csc_measurement'
          ? encodeCscMeasurement({ cumulativeWheelRevs: p.wheelRevs, lastWheelEventTicks: p.wheelTicks, cumulativeCrankRevs: p.crankRevs, lastCrankEventTicks: p.crankTicks })
          : encodeCyclingPowerMeasurement({
              powerW: 150, isBalanceReferenceLeft: false, isTorqueSourceCrank: false, isOffsetCompensationIndicated: false,
              cumulativeWheelRevs: p.wheelRevs, lastWheelEventTicks: p.wheelTicks, cumulativeCrankRevs: p.crankRevs, lastCrankEventTicks: p.crankTicks,
            }),
    }));
    const { samples, state } = feed(key, bytes, initialGattSampleState({ wheelCircumferenceM: C }));
    const last = packets[packets.length - 1]!;
    const first = packets[0]!;
    // The wheel counter wrapped past 2^32 and the crank counter past 2^16 during the ride.
    expect(last.wheelRevs).toBeLessThan(first.wheelRevs);
    expect(last.crankRevs).toBeLessThan(first.crankRevs);
    const trueRevs = (last.wheelRevs - first.wheelRevs) >>> 0;
    expect(state.derive.wheel?.totalRevs).toBe(trueRevs);
    const distance = values(samples, 'distance');
    expect(distance[distance.length - 1]).toBeCloseTo(trueRevs * C, 6);
    for (let i = 1; i < distance.length; i++) expect(distance[i]! - distance[i - 1]!).toBeLessThan(20 * 2); // no jumps
    // Away from segment boundaries the derived rates match the ground truth within event-time quantization.
    for (const s of samples) {
      const seg = segments[Math.min(segments.length - 1, Math.floor(s.tMs / 60000))]!;
      const isSteady = s.tMs % 60000 >= 3000;
      if (!isSteady) continue;
      if (s.metric === 'speed') expect(Math.abs(s.value - seg.speedMps) / seg.speedMps).toBeLessThan(0.02);
      if (s.metric === 'cadence') expect(Math.abs(s.value - seg.cadenceRpm) / seg.cadenceRpm).toBeLessThan(0.02);
    }
    const speeds = samples.filter((s) => s.metric === 'speed' && s.tMs % 60000 >= 3000);
    const meanErr = speeds.reduce((a, s) => a + Math.abs(s.value - segments[Math.floor(s.tMs / 60000)]!.speedMps), 0) / speeds.length;
    expect(meanErr).toBeLessThan(0.02);
    const cads = samples.filter((s) => s.metric === 'cadence' && s.tMs % 60000 >= 3000);
    const meanCadErr = cads.reduce((a, s) => a + Math.abs(s.value - segments[Math.floor(s.tMs / 60000)]!.cadenceRpm), 0) / cads.length;
    expect(meanCadErr).toBeLessThan(0.2);
    expect(samples.every((s) => Number.isFinite(s.value) && s.value >= 0)).toBe(true);
  });
});

describe('CounterState is plain data', () => {
  it('round-trips through JSON (state can be stored and passed between modules)', () => {
    const s: CounterState = updateCounter(null, 1, 2, 3, CSC_WHEEL).state;
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
  });
});
