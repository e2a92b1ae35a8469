import { describe, expect, it } from 'vitest';
import { AntSampleAdapter } from '../../../../src/main/ant/adapter';
import { fromHex, repairChecksum } from '../../../../src/shared/ant/frame';
import type { Sample } from '../../../../src/shared/sample';
import { ADAPTER_VECTORS } from './adapter.vectors';

function make(): { adapter: AntSampleAdapter; samples: Sample[]; seen: string[] } {
  const samples: Sample[] = [];
  const seen: string[] = [];
  const adapter = new AntSampleAdapter({ sink: { push: (s) => void samples.push(s) }, onDeviceSeen: (_t, _n, id) => seen.push(id) });
  return { adapter, samples, seen };
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

describe('AntSampleAdapter: library states → samples', () => {
  it('maps heartRateData, drops the first speed/cadence value and accumulates distance', () => {
    const { adapter, samples } = make();
    adapter.onHeartRate({ DeviceId: 9, ComputedHeartRate: 71, BatteryLevel: 64 }, 1);
    adapter.onHeartRate({ DeviceId: 9, ComputedHeartRate: 72, BatteryLevel: 64 }, 2);
    adapter.onSpeed('speedCadence', { DeviceId: 5, CalculatedSpeed: 999, CalculatedDistance: 9999 }, 3);
    adapter.onSpeed('speedCadence', { DeviceId: 5, CalculatedSpeed: 8, CalculatedDistance: 2.1 }, 4);
    adapter.onSpeed('speedCadence', { DeviceId: 5, CalculatedSpeed: 8.2, CalculatedDistance: 4.2 }, 5);
    adapter.onCadence('cadence', { DeviceId: 6, CalculatedCadence: 4000 }, 6);
    adapter.onCadence('cadence', { DeviceId: 6, CalculatedCadence: 88 }, 7);
    expect(samples.map((s) => `${s.deviceId} ${s.metric} ${s.value}`)).toEqual([
      'ant:120:9 heartRate 71',
      'ant:120:9 battery 64',
      'ant:120:9 heartRate 72',
      'ant:121:5 speed 8',
      'ant:121:5 distance 2.1',
      'ant:121:5 speed 8.2',
      'ant:121:5 distance 6.300000000000001',
      'ant:122:6 cadence 88',
    ]);
  });

  it('combines foot-pod parts (speed, steps/min = 2 × strides/min, distance over the 256 m rollover) and FE fields', () => {
    const { adapter, samples } = make();
    adapter.onStride({ DeviceId: 3, SpeedInteger: 3, SpeedFractional: 128, DistanceInteger: 250, DistanceFractional: 0 }, 1);
    adapter.onStride({ DeviceId: 3, SpeedInteger: 3, SpeedFractional: 128, DistanceInteger: 4, DistanceFractional: 8, CadenceInteger: 85, CadenceFractional: 8 }, 2);
    adapter.onFitness({ DeviceId: 4, InstantaneousPower: 150, Cadence: 80, RealSpeed: 8.5, Distance: 100, HeartRate: 0 }, 3);
    adapter.onFitness({ DeviceId: 4, Distance: 112 }, 4);
    expect(samples.map((s) => `${s.deviceId} ${s.metric} ${s.value}`)).toEqual([
      'ant:124:3 speed 3.5',
      'ant:124:3 speed 3.5',
      'ant:124:3 stepCadence 171',
      'ant:124:3 distance 10.5',
      'ant:17:4 power 150',
      'ant:17:4 cadence 80',
      'ant:17:4 speed 8.5',
      'ant:17:4 distance 0',
      'ant:17:4 distance 12',
    ]);
  });
});
