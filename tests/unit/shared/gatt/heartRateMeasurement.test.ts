import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeHeartRateMeasurement,
  encodeHeartRateMeasurement,
  rrMsToRaw,
  rrRawToMs,
  type HeartRateMeasurementFields,
} from '../../../../src/shared/gatt/heartRateMeasurement';
import { hexBytes, offsetView } from './hex';
import { HR_VECTORS } from './heartRateMeasurement.vectors';

describe('Heart Rate Measurement 0x2A37', () => {
  it.each(HR_VECTORS)('$id decodes to the listed fields ($source)', (v) => {
    const r = decodeHeartRateMeasurement(offsetView(hexBytes(v.hex)));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const { rrMs, ...rest } = r.value;
    expect(rest).toEqual(v.expected);
    expect(rrMs).toEqual(v.expected.rrRaw.map((raw) => (raw * 1000) / 1024));
  });

  it('converts RR with full precision: HR-03 882/1024 s = 861.328125 ms, not rounded to 861', () => {
    const r = decodeHeartRateMeasurement(offsetView(hexBytes('10 43 72 03')));
    expect(r.ok && r.value.rrMs).toEqual([861.328125]);
  });

  it('rejects an empty value and a uint16 heart rate cut short with GATT_SHORT_PAYLOAD instead of inventing a rate', () => {
    for (const hex of ['', '00', '01 2C']) {
      const r = decodeHeartRateMeasurement(offsetView(hexBytes(hex)));
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.code).toBe('GATT_SHORT_PAYLOAD');
    }
  });

  it('drops an energy field that does not fit instead of reading past the value, and names it', () => {
    const r = decodeHeartRateMeasurement(offsetView(hexBytes('08 48 FF')));
    expect(r.ok && r.value).toEqual({
      heartRateBpm: 72,
      isUint16: false,
      contact: 'unsupported',
      rrRaw: [],
      rrMs: [],
      missingFields: ['energyExpendedKj'],
    });
  });

  it('re-encodes every vector to the same bytes (the simulator emits what straps send)', () => {
    for (const v of HR_VECTORS) {
      // bit 1 alone, an empty RR list under bit 4 and a trailing byte are device quirks the encoder does not reproduce
      if (v.id === 'HR-11' || v.id === 'HR-12' || v.id === 'HR-13') continue;
      const bytes = encodeHeartRateMeasurement(v.expected);
      expect(Array.from(bytes), v.id).toEqual(Array.from(hexBytes(v.hex)));
    }
  });

  it('round-trips encode → decode for any field combination (property)', () => {
    const fields = fc.record(
      {
        heartRateBpm: fc.integer({ min: 0, max: 0xffff }),
        isUint16: fc.boolean(),
        contact: fc.constantFrom('unsupported' as const, 'notDetected' as const, 'detected' as const),
        energyExpendedKj: fc.integer({ min: 0, max: 0xffff }),
        rrRaw: fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 9 }),
      },
      { requiredKeys: ['heartRateBpm', 'contact'] },
    );
    fc.assert(
      fc.property(fields, (f: HeartRateMeasurementFields) => {
        const r = decodeHeartRateMeasurement(new DataView(encodeHeartRateMeasurement(f).buffer));
        if (!r.ok) return false;
        const isUint16 = f.isUint16 === true || f.heartRateBpm > 255;
        expect(r.value).toEqual({
          heartRateBpm: f.heartRateBpm,
          isUint16,
          contact: f.contact,
          ...(f.energyExpendedKj === undefined ? {} : { energyExpendedKj: f.energyExpendedKj }),
          rrRaw: f.rrRaw ?? [],
          rrMs: (f.rrRaw ?? []).map(rrRawToMs),
        });
        return true;
      }),
      { numRuns: 2000 },
    );
  });

  it('rrMsToRaw inverts rrRawToMs for every 16-bit tick value', () => {
    for (let raw = 0; raw <= 0xffff; raw += 7) expect(rrMsToRaw(rrRawToMs(raw))).toBe(raw);
  });
});
