import { describe, expect, it } from 'vitest';
import { decodeCharacteristic, findGattCodec, fullUuid, GATT_CODECS } from '../../../../src/shared/gatt/registry';
import { decodeIndoorBikeData } from '../../../../src/shared/gatt/indoorBikeData';
import { decodeTreadmillData } from '../../../../src/shared/gatt/treadmillData';
import { CODEC_VECTORS, EXACT_REENCODE_EXCLUDED } from './codecs.vectors';
import { hexBytes, offsetView, toHex } from './hex';

describe('GATT vectors of docs/gatt.md §10.2–§10.10', () => {
  it.each(CODEC_VECTORS)('$id ($characteristic) decodes to the listed fields — $source', (v) => {
    const r = decodeCharacteristic(v.characteristic, offsetView(hexBytes(v.hex)));
    expect(r.ok ? r.value : r).toEqual({ name: v.characteristic, value: v.expected });
  });

  it.each(CODEC_VECTORS.filter((v) => !EXACT_REENCODE_EXCLUDED.has(v.id)))('$id re-encodes to the same bytes (simulators send what devices send)', (v) => {
    const codec = GATT_CODECS[v.characteristic] as { encode: (x: unknown) => Uint8Array };
    expect(toHex(codec.encode(v.expected))).toBe(toHex(hexBytes(v.hex)));
  });

  it('dispatches by full UUID, 16-bit UUID and Web Bluetooth name to the same codec', () => {
    for (const c of Object.values(GATT_CODECS)) {
      expect(findGattCodec(c.uuid)).toBe(c);
      expect(findGattCodec(fullUuid(c.uuid16).toUpperCase())).toBe(c);
      expect(findGattCodec(c.uuid16)).toBe(c);
      expect(findGattCodec(c.name)).toBe(c);
    }
    expect(findGattCodec(0x2a37)?.name).toBe('heart_rate_measurement');
    expect(findGattCodec('0x2AD2')?.name).toBe('indoor_bike_data');
  });

  it('reports an unknown characteristic as GATT_BAD_VALUE instead of throwing', () => {
    const r = decodeCharacteristic('00002a99-0000-1000-8000-00805f9b34fb', new DataView(new ArrayBuffer(2)));
    expect(r).toMatchObject({ ok: false, code: 'GATT_BAD_VALUE' });
  });

  it('rejects empty values of every characteristic with GATT_SHORT_PAYLOAD (never a made-up reading)', () => {
    for (const c of Object.values(GATT_CODECS)) {
      const r = c.decode(new DataView(new ArrayBuffer(0)));
      expect(r.ok, c.name).toBe(false);
      if (!r.ok) expect(r.code).toBe('GATT_SHORT_PAYLOAD');
    }
  });

  it('rejects a CP Measurement whose power is cut short, and an RSC Measurement without cadence', () => {
    expect(decodeCharacteristic('cycling_power_measurement', offsetView(hexBytes('00 00 9C')))).toMatchObject({ ok: false, code: 'GATT_SHORT_PAYLOAD' });
    expect(decodeCharacteristic('rsc_measurement', offsetView(hexBytes('00 00 01')))).toMatchObject({ ok: false, code: 'GATT_SHORT_PAYLOAD' });
  });

  it('CSC Measurement with crank flag but only wheel bytes keeps the wheel and lists the crank as missing', () => {
    const r = decodeCharacteristic('csc_measurement', offsetView(hexBytes('03 DB 00 00 00 18 12 03')));
    expect(r.ok && r.value.value).toEqual({
      cumulativeWheelRevs: 219,
      lastWheelEventTicks: 0x1218,
      missingFields: ['cumulativeCrankRevs', 'lastCrankEventTicks'],
    });
  });

  it('treats 0xFFFF / 0xFF energy per hour / minute as not available (FTMS fill values)', () => {
    const r = decodeIndoorBikeData(offsetView(hexBytes('01 01 64 00 FF FF FF')));
    expect(r.ok && r.value).toEqual({ isMoreData: true, totalEnergyKcal: 100 });
  });

  it('treadmill pace: a length matching neither pace width keeps only the fields before the pace', () => {
    // flags: speed, distance (bit 2), inst pace (bit 5), HR (bit 8); 1-byte form is 9 bytes, 2-byte form 10; 11 sent
    const r = decodeTreadmillData(offsetView(hexBytes('24 01 E8 03 96 00 00 0A 8C 00 00')));
    expect(r.ok && r.value).toEqual({
      isMoreData: false,
      paceBytes: null,
      speedKmh: 10,
      totalDistanceM: 150,
      missingFields: ['instantaneousPaceRaw', 'heartRateBpm'],
    });
  });
});
