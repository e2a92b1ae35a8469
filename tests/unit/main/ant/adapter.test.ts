import { describe, expect, it } from 'vitest';
import { AntSampleAdapter } from '../../../../src/main/ant/adapter';
import { encodeExtendedData } from '../../../../src/shared/ant/extended';
import { encodeFrame, fromHex, repairChecksum } from '../../../../src/shared/ant/frame';
import { encodeBscCombined } from '../../../../src/shared/ant/bscPage';
import { encodeFeGeneral, encodeFeTrainer } from '../../../../src/shared/ant/fePage';
import { encodePowerPage } from '../../../../src/shared/ant/powerPage';
import { encodeSdmPage1, encodeSdmPage2 } from '../../../../src/shared/ant/sdmPage';
import type { Sample } from '../../../../src/shared/sample';
import { ADAPTER_VECTORS } from './adapter.vectors';

function make(): { adapter: AntSampleAdapter; samples: Sample[]; seen: string[]; of(metric: string): number[] } {
  const samples: Sample[] = [];
  const seen: string[] = [];
  const adapter = new AntSampleAdapter({ sink: { push: (s) => void samples.push(s) }, onDeviceSeen: (_t, _n, id) => seen.push(id) });
  return { adapter, samples, seen, of: (m) => samples.filter((s) => s.metric === m).map((s) => s.value) };
}

/** A scan-mode data frame (channel ID block only, no RSSI) carrying `page`. */
function frameOf(page: Uint8Array, deviceType: number, deviceNumber: number): Uint8Array {
  const ext = encodeExtendedData(0x80, { deviceNumber, deviceType, transmissionType: 1, rssiDbm: null, rxTimestamp: null });
  return encodeFrame(0x4e, [0, ...page, ...ext]);
}

describe('AntSampleAdapter: raw frames → samples', () => {
  for (const v of ADAPTER_VECTORS) {
    it(`${v.id} (${v.source})`, () => {
      const { adapter, samples, seen } = make();
      v.frames.forEach((hex, i) => adapter.onFrame(repairChecksum(fromHex(`${hex} 00`)), 1000 + i * 250));
      expect(samples.map((s) => ({ deviceId: s.deviceId, metric: s.metric, value: s.value, ...(s.metric === 'rrInterval' ? { flags: s.timing?.flags } : {}) }))).toEqual(v.expected);
      expect(seen).toEqual([v.expected[0]!.deviceId]);
    });
  }
});

describe('AntSampleAdapter: total on short data messages', () => {
  it('rejects and counts a checksum-valid data message shorter than its page (a 2-byte power frame gave 419 W and 485 rpm)', () => {
    const { adapter, samples } = make();
    adapter.channelDevice[0] = (0x0b << 16) | 7;
    for (let payload = 1; payload < 9; payload++) {
      const bytes = [0, 0x10, 0x05, 0xff, 0x5a, 0x10, 0x27, 0xc8, 0x00].slice(0, payload);
      adapter.onFrame(encodeFrame(0x4e, bytes), 1000 + payload);
    }
    expect(samples).toEqual([]);
    expect(adapter.stats.shortPages).toBe(8);
    expect(adapter.stats.lastErrorCode).toBe('ANT_SHORT_PAGE');
  });

  it('rejects a frame cut short on disk (length byte says more than the bytes there)', () => {
    const { adapter, samples } = make();
    const whole = frameOf(encodePowerPage({ page: 0x10, eventCount: 1, pedalPower: 0xff, cadenceRpm: 90, accumulatedPowerW: 200, powerW: 200 }), 0x0b, 7);
    adapter.onFrame(whole.subarray(0, 10), 1000);
    expect(samples).toEqual([]);
    expect(adapter.stats.shortPages).toBe(1);
  });
});

describe('AntSampleAdapter: bicycle power', () => {
  it('uses every crank-torque event when power-only pages are interleaved (22 of 58 revolutions were dropped)', () => {
    const { adapter, samples } = make();
    let events = 0;
    let period = 0;
    let torque = 0;
    let powerOnly = 0;
    let t = 1000;
    for (let i = 0; i < 80; i++) {
      t += 250;
      if (i % 3 === 2) {
        powerOnly++;
        adapter.onFrame(frameOf(encodePowerPage({ page: 0x10, eventCount: powerOnly & 0xff, pedalPower: 0xff, cadenceRpm: 90, accumulatedPowerW: powerOnly * 250, powerW: 250 }), 0x0b, 9), t);
        continue;
      }
      events++;
      period += (60 / 90) * 2048; // 90 rpm
      torque += 26.5 * 32; // 26.5 N·m
      adapter.onFrame(frameOf(encodePowerPage({ page: 0x12, eventCount: events & 0xff, ticks: events & 0xff, cadenceRpm: 90, period2048: Math.round(period) & 0xffff, torque32: Math.round(torque) & 0xffff }), 0x0b, 9), t);
    }
    const derived = samples.filter((s) => s.metric === 'cadence' && (s.timing?.flags ?? 0) !== 0);
    expect(derived).toHaveLength(events - 1); // every torque event after the first yields a value
    for (const s of derived) expect(s.value).toBeCloseTo(90, 0);
    const derivedPower = samples.filter((s) => s.metric === 'power' && (s.timing?.flags ?? 0) !== 0);
    for (const s of derivedPower) expect(s.value).toBeCloseTo(26.5 * ((2 * Math.PI * 90) / 60), -1);
    expect(samples.filter((s) => s.metric === 'power' && (s.timing?.flags ?? 0) === 0)).toHaveLength(powerOnly);
  });

  it('never emits negative CTF power or power beyond a rider (treated as a counter reset and counted)', () => {
    const { adapter, of } = make();
    adapter.channelDevice[0] = (0x0b << 16) | 3;
    // offset above the torque frequency: coasting → 0 W, not negative
    adapter.onFrame(frameOf(encodePowerPage({ page: 0x01, calibrationId: 0x10, ctfId: 0x01, ctfOffsetHz: 5000 }), 0x0b, 3), 1000);
    adapter.onFrame(frameOf(encodePowerPage({ page: 0x20, eventCount: 5, slope: 300, timeStamp2000: 2000, torqueTicks: 1000 }), 0x0b, 3), 1250);
    adapter.onFrame(frameOf(encodePowerPage({ page: 0x20, eventCount: 6, slope: 300, timeStamp2000: 4000, torqueTicks: 2000 }), 0x0b, 3), 1500);
    expect(of('power')).toEqual([0]);
    // a torque page pair 1/2048 s apart with a huge torque step: 10^6 W is not power
    adapter.onFrame(frameOf(encodePowerPage({ page: 0x12, eventCount: 1, ticks: 1, cadenceRpm: 90, period2048: 1000, torque32: 0 }), 0x0b, 3), 2000);
    adapter.onFrame(frameOf(encodePowerPage({ page: 0x12, eventCount: 2, ticks: 2, cadenceRpm: 90, period2048: 2400, torque32: 60000 }), 0x0b, 3), 3000);
    expect(of('power')).toEqual([0]);
    expect(adapter.stats.implausible).toBe(1);
    expect(adapter.stats.lastErrorCode).toBe('ANT_IMPLAUSIBLE_VALUE');
  });
});

describe('AntSampleAdapter: speed & cadence, foot pod, fitness equipment', () => {
  it('derives speed, distance and cadence from the counters; the first page sets the baseline; an impossible rate is a reset', () => {
    const { adapter, of } = make();
    const page = (crankTicks: number, crankRevs: number, wheelTicks: number, wheelRevs: number): Uint8Array =>
      frameOf(encodeBscCombined({ cadenceEventTicks: crankTicks, crankRevs, speedEventTicks: wheelTicks, wheelRevs }), 0x79, 5);
    adapter.onFrame(page(1000, 10, 1000, 100), 1000);
    adapter.onFrame(page(1000 + 1024, 11, 1000 + 1024, 104), 2000); // 60 rpm, 4 wheel revs/s
    expect(of('cadence')).toEqual([60]);
    expect(of('speed')[0]).toBeCloseTo(4 * 2.096, 6);
    expect(of('distance')[0]).toBeCloseTo(4 * 2.096, 6);
    // 12 crank revolutions in one tick, 1 s later: 737,280 rpm is a counter reset, never emitted
    adapter.onFrame(page(1000 + 1025, 23, 1000 + 2048, 108), 3000);
    expect(of('cadence')).toEqual([60]);
    expect(adapter.stats.implausible).toBe(1);
    adapter.onFrame(page(1000 + 1025 + 1024, 24, 1000 + 3072, 112), 4000);
    expect(of('cadence')).toEqual([60, 60]);
  });

  it('maps foot-pod pages 1/2 (speed, steps/min = 2 × strides/min, distance over the 256 m rollover)', () => {
    const { adapter, samples } = make();
    adapter.onFrame(frameOf(encodeSdmPage1({ timeS: 10, distanceM: 250, speedMps: 3.5, strides: 10 }), 0x7c, 3), 1000);
    adapter.onFrame(frameOf(encodeSdmPage2({ strideCadence: 85.5, speedMps: 3.5 }), 0x7c, 3), 1250);
    adapter.onFrame(frameOf(encodeSdmPage1({ timeS: 13, distanceM: 260.5, speedMps: 3.5, strides: 14 }), 0x7c, 3), 4000);
    expect(samples.map((s) => `${s.metric} ${s.value}`)).toEqual(['speed 3.5', 'distance 0', 'speed 3.5', 'stepCadence 171', 'speed 3.5', 'distance 10.5']);
  });

  it('maps fitness-equipment pages 0x10/0x19 (speed, distance since first heard, HR; power, cadence)', () => {
    const { adapter, samples } = make();
    adapter.onFrame(frameOf(encodeFeGeneral({ equipmentType: 25, elapsedS: 10, distanceM: 100, speedMps: 8.5, heartRateBpm: 140 }), 0x11, 4), 1000);
    adapter.onFrame(frameOf(encodeFeTrainer({ eventCount: 1, cadenceRpm: 80, accumulatedPowerW: 150, powerW: 150 }), 0x11, 4), 1250);
    adapter.onFrame(frameOf(encodeFeGeneral({ equipmentType: 25, elapsedS: 12, distanceM: 112, speedMps: 8.5, heartRateBpm: null }), 0x11, 4), 2500);
    expect(samples.map((s) => `${s.metric} ${s.value}`)).toEqual(['speed 8.5', 'distance 0', 'heartRate 140', 'power 150', 'cadence 80', 'speed 8.5', 'distance 12']);
  });
});
