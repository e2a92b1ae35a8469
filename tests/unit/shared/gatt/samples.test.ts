import { describe, expect, it } from 'vitest';
import { encodeHeartRateMeasurement } from '../../../../src/shared/gatt/heartRateMeasurement';
import { decodeCharacteristic } from '../../../../src/shared/gatt/registry';
import {
  countDecodeResult,
  decodeNotification,
  EMPTY_DECODE_ERRORS,
  initialGattSampleState,
  toSamples,
} from '../../../../src/shared/gatt/samples';
import { METRICS } from '../../../../src/shared/metrics';
import type { Sample } from '../../../../src/shared/sample';
import { hexBytes, offsetView } from './hex';

const DEV = 'ble:strap';
const T = 1_700_000_000_123.25;

function samplesOf(key: string, hex: string): Sample[] {
  const r = decodeNotification(key, offsetView(hexBytes(hex)), initialGattSampleState(), EMPTY_DECODE_ERRORS, T, DEV);
  expect(r.errors.count).toBe(0);
  return r.samples;
}
const brief = (s: Sample[]) => s.map((x) => [x.metric, x.value]);

describe('decoded GATT values → Samples', () => {
  it('HR-04: one heartRate sample and one rrInterval sample per RR, in order, in ms with raw ticks kept', () => {
    const s = samplesOf('heart_rate_measurement', '10 67 72 03 8A 03 95 04');
    expect(brief(s)).toEqual([
      ['heartRate', 103],
      ['rrInterval', (882 * 1000) / 1024],
      ['rrInterval', (906 * 1000) / 1024],
      ['rrInterval', (1173 * 1000) / 1024],
    ]);
    expect(s.filter((x) => x.metric === 'rrInterval').map((x) => x.timing)).toEqual([
      { eventTicks: 882, ticksPerSecond: 1024 },
      { eventTicks: 906, ticksPerSecond: 1024 },
      { eventTicks: 1173, ticksPerSecond: 1024 },
    ]);
    expect(s.every((x) => x.tMs === T && x.deviceId === DEV)).toBe(true);
  });

  it('0 bpm is a gap, not a reading: no heartRate sample, RR intervals still delivered', () => {
    const s = samplesOf('heart_rate_measurement', '10 00 00 04');
    expect(brief(s)).toEqual([['rrInterval', 1000]]);
  });

  it('contact status becomes a contact sample (1 detected, 0 not detected), none when unsupported', () => {
    expect(brief(samplesOf('heart_rate_measurement', '06 43'))).toEqual([['heartRate', 67], ['contact', 1]]);
    expect(brief(samplesOf('heart_rate_measurement', '04 43'))).toEqual([['heartRate', 67], ['contact', 0]]);
    expect(brief(samplesOf('heart_rate_measurement', '02 48'))).toEqual([['heartRate', 72]]);
  });

  it('HR-05: energy expended is delivered in kJ', () => {
    expect(brief(samplesOf('heart_rate_measurement', '18 43 D0 07 72 03'))).toContainEqual(['energyExpended', 2000]);
    expect(METRICS.energyExpended.unit).toBe('kJ');
  });

  it('FTMS-B02: Indoor Bike Data speed km/h is converted to m/s; cadence, distance, power and HR pass through', () => {
    expect(brief(samplesOf('indoor_bike_data', '54 02 CA 0C A0 00 D3 A4 00 2C 01 8F'))).toEqual([
      ['speed', 32.74 / 3.6],
      ['distance', 42195],
      ['heartRate', 143],
      ['cadence', 80],
      ['power', 300],
    ]);
  });

  it('FTMS-B04: resistance is delivered; an FTMS heart rate of 0 (no strap paired to the bike) is a gap', () => {
    const s = brief(samplesOf('indoor_bike_data', '64 02 00 00 00 00 14 00 00 00 00'));
    expect(s).toContainEqual(['resistance', 20]);
    expect(s.find(([m]) => m === 'heartRate')).toBeUndefined();
  });

  it('FTMS-T07 and FTMS-T02: treadmill power, speed, distance and kcal', () => {
    expect(brief(samplesOf('treadmill_data', '00 10 E8 03 F6 FF 96 00'))).toEqual([['speed', 10 / 3.6], ['power', 150]]);
    expect(brief(samplesOf('treadmill_data', '84 04 2C 01 96 00 00 0C 00 00 00 00 78 00'))).toEqual([
      ['speed', 3 / 3.6],
      ['distance', 150],
      ['calories', 12],
    ]);
  });

  it('RSC-02: speed m/s, step cadence, stride length and total distance', () => {
    expect(brief(samplesOf('rsc_measurement', '07 80 02 50 20 03 00 10 00 00'))).toEqual([
      ['speed', 2.5],
      ['stepCadence', 80],
      ['strideLength', 8],
      ['distance', 409.6],
    ]);
  });

  it('CPM-03: negative power is delivered as is; CPM-02 accumulated energy as kJ', () => {
    expect(brief(samplesOf('cycling_power_measurement', '00 00 9C FF'))).toEqual([['power', -100]]);
    expect(brief(samplesOf('cycling_power_measurement', '00 08 64 00 07 00'))).toEqual([['power', 100], ['energyExpended', 7]]);
  });

  it('battery: 85 % becomes a battery sample; 101 (invalid) yields none rather than a made-up level', () => {
    expect(brief(samplesOf('battery_level', '55'))).toEqual([['battery', 85]]);
    expect(brief(samplesOf('battery_level', '65'))).toEqual([]);
  });

  it('feature and location characteristics carry no readings', () => {
    expect(samplesOf('cycling_power_feature', '0C 00 00 00')).toEqual([]);
    expect(samplesOf('body_sensor_location', '01')).toEqual([]);
  });

  it('every sample metric is in the catalogue', () => {
    const r = decodeCharacteristic('heart_rate_measurement', new DataView(encodeHeartRateMeasurement({ heartRateBpm: 70, contact: 'detected', energyExpendedKj: 5, rrRaw: [800] }).buffer));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    for (const s of toSamples(r.value, initialGattSampleState(), T, DEV).samples) expect(METRICS[s.metric]).toBeDefined();
  });
});

describe('per-device decode-error counter', () => {
  it('counts a truncated notification, keeps the code and an actionable message, and yields no samples', () => {
    const r = decodeNotification('heart_rate_measurement', offsetView(hexBytes('01 2C')), initialGattSampleState(), EMPTY_DECODE_ERRORS, T, DEV);
    expect(r.samples).toEqual([]);
    expect(r.errors.count).toBe(1);
    expect(r.errors.lastError?.code).toBe('GATT_SHORT_PAYLOAD');
    expect(r.errors.lastError?.message).toMatch(/Heart Rate Measurement 0x2A37: 2 byte\(s\), need 3/);
    expect(r.errors.lastErrorMs).toBe(T);
  });

  it('FTMS-B09: a partial notification delivers what fit and is counted as partial, naming the dropped field', () => {
    const r = decodeNotification('indoor_bike_data', offsetView(hexBytes('74 0B 00 00 00 00 00 00 00 64 00 00 00 00 00 00 00 00 48 00')),
      initialGattSampleState(), EMPTY_DECODE_ERRORS, T, DEV);
    expect(brief(r.samples)).toContainEqual(['heartRate', 72]);
    expect(brief(r.samples)).toContainEqual(['resistance', 100]);
    expect(r.errors).toMatchObject({ count: 0, partialCount: 1 });
    expect(r.errors.lastError?.message).toContain('elapsedTimeS');
  });

  it('a clean notification returns the same counter object (no allocation on the hot path)', () => {
    const r = decodeCharacteristic('battery_level', offsetView(hexBytes('55')));
    expect(countDecodeResult(EMPTY_DECODE_ERRORS, r, T)).toBe(EMPTY_DECODE_ERRORS);
  });
});
