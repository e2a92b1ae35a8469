import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BODY_SENSOR_LOCATIONS } from '../../../../src/shared/gatt/bodySensorLocation';
import { CSC_MEASUREMENT_LAYOUT } from '../../../../src/shared/gatt/cscMeasurement';
import { CSC_FEATURE_BITS } from '../../../../src/shared/gatt/cscFeature';
import { CYCLING_POWER_FEATURE_BITS, DISTRIBUTED_SYSTEM_SUPPORT } from '../../../../src/shared/gatt/cyclingPowerFeature';
import { CYCLING_POWER_MEASUREMENT_LAYOUT } from '../../../../src/shared/gatt/cyclingPowerMeasurement';
import { FIELD_SIZES, type FieldSpec, type Layout } from '../../../../src/shared/gatt/fields';
import { FITNESS_MACHINE_FEATURE_BITS, TARGET_SETTING_FEATURE_BITS } from '../../../../src/shared/gatt/fitnessMachineFeature';
import { INDOOR_BIKE_DATA_LAYOUT } from '../../../../src/shared/gatt/indoorBikeData';
import { GATT_CODECS, type GattCharacteristicName, type GattValues } from '../../../../src/shared/gatt/registry';
import { RSC_FEATURE_BITS } from '../../../../src/shared/gatt/rscFeature';
import { RSC_MEASUREMENT_LAYOUT } from '../../../../src/shared/gatt/rscMeasurement';
import { TREADMILL_DATA_LAYOUT_PACE1, TREADMILL_DATA_LAYOUT_PACE2 } from '../../../../src/shared/gatt/treadmillData';

const SIGNED = new Set(['sint8', 'sint16']);

/** Any decodable value of one field: a raw integer of its wire range (minus its fill value), scaled. */
function fieldArb(f: FieldSpec): fc.Arbitrary<number> {
  const bits = f.bitWidth ?? FIELD_SIZES[f.type] * 8;
  const isSigned = f.bitWidth === undefined && SIGNED.has(f.type);
  const min = isSigned ? -(2 ** (bits - 1)) : 0;
  let max = isSigned ? 2 ** (bits - 1) - 1 : 2 ** bits - 1;
  if (f.fill === max) max -= 1;
  return fc.integer({ min, max }).map((raw) => raw / (f.divisor ?? 1));
}

/** Field values of a layout: each optional group present or absent as a whole (derived from the table itself). */
function layoutArb(layout: Layout): fc.Arbitrary<Record<string, number>> {
  const groups = layout.groups.map((g) => {
    const record = fc.record(Object.fromEntries(g.fields.map((f) => [f.name, fieldArb(f)])));
    return g.bit === null ? record : fc.option(record, { nil: undefined });
  });
  return fc.tuple(...groups).map((parts) => Object.assign({}, ...parts.filter((p) => p !== undefined)) as Record<string, number>);
}

function roundTrip<N extends GattCharacteristicName>(name: N, value: GattValues[N]): unknown {
  const codec = GATT_CODECS[name] as unknown as { encode: (v: GattValues[N]) => Uint8Array; decode: (dv: DataView) => unknown };
  const bytes = codec.encode(value);
  const r = codec.decode(new DataView(bytes.buffer)) as { ok: boolean; value?: unknown };
  return r.ok ? r.value : r;
}

const RUNS = { numRuns: 1000 };

describe('encode → decode round trip for every characteristic (fast-check)', () => {
  it('Cycling Power Measurement: any combination of optional fields and flag bits', () => {
    const arb = fc.tuple(layoutArb(CYCLING_POWER_MEASUREMENT_LAYOUT), fc.boolean(), fc.boolean(), fc.boolean()).map(([values, a, b, c]) => ({
      ...values,
      isBalanceReferenceLeft: a,
      isTorqueSourceCrank: b,
      isOffsetCompensationIndicated: c,
    }));
    fc.assert(
      fc.property(arb, (v) => {
        expect(roundTrip('cycling_power_measurement', v as GattValues['cycling_power_measurement'])).toEqual(v);
      }),
      RUNS,
    );
  });

  it('CSC Measurement', () => {
    fc.assert(fc.property(layoutArb(CSC_MEASUREMENT_LAYOUT), (v) => void expect(roundTrip('csc_measurement', v)).toEqual(v)), RUNS);
  });

  it('RSC Measurement', () => {
    const arb = fc.tuple(layoutArb(RSC_MEASUREMENT_LAYOUT), fc.boolean()).map(([values, isRunning]) => ({ ...values, isRunning }));
    fc.assert(fc.property(arb, (v) => void expect(roundTrip('rsc_measurement', v as GattValues['rsc_measurement'])).toEqual(v)), RUNS);
  });

  it('Indoor Bike Data: More Data follows from whether speed is present', () => {
    const arb = layoutArb(INDOOR_BIKE_DATA_LAYOUT).map((values) => ({ ...values, isMoreData: values.speedKmh === undefined }));
    fc.assert(fc.property(arb, (v) => void expect(roundTrip('indoor_bike_data', v)).toEqual(v)), RUNS);
  });

  it('Treadmill Data with 1-byte and 2-byte pace: the length rule picks the width the encoder used', () => {
    const arb = fc.constantFrom(1 as const, 2 as const).chain((paceBytes) =>
      layoutArb(paceBytes === 1 ? TREADMILL_DATA_LAYOUT_PACE1 : TREADMILL_DATA_LAYOUT_PACE2).map((values) => {
        const hasPace = values.instantaneousPaceRaw !== undefined || values.averagePaceRaw !== undefined;
        return { ...values, isMoreData: values.speedKmh === undefined, paceBytes: hasPace ? paceBytes : null };
      }),
    );
    fc.assert(fc.property(arb, (v) => void expect(roundTrip('treadmill_data', v as GattValues['treadmill_data'])).toEqual(v)), RUNS);
  });

  it('Cycling Power Feature', () => {
    const arb = fc.record({
      features: fc.subarray(CYCLING_POWER_FEATURE_BITS.map((b) => b.name)),
      sensorMeasurementContext: fc.constantFrom('force' as const, 'torque' as const),
      distributedSystem: fc.constantFrom(...DISTRIBUTED_SYSTEM_SUPPORT),
    });
    fc.assert(fc.property(arb, (v) => void expect(roundTrip('cycling_power_feature', v)).toEqual(v)), RUNS);
  });

  it('CSC Feature, RSC Feature and Fitness Machine Feature', () => {
    fc.assert(fc.property(fc.subarray(CSC_FEATURE_BITS.map((b) => b.name)), (features) => void expect(roundTrip('csc_feature', { features })).toEqual({ features })), RUNS);
    fc.assert(fc.property(fc.subarray(RSC_FEATURE_BITS.map((b) => b.name)), (features) => void expect(roundTrip('rsc_feature', { features })).toEqual({ features })), RUNS);
    const fm = fc.record({
      features: fc.subarray(FITNESS_MACHINE_FEATURE_BITS.map((b) => b.name)),
      targets: fc.subarray(TARGET_SETTING_FEATURE_BITS.map((b) => b.name)),
    });
    fc.assert(fc.property(fm, (v) => void expect(roundTrip('fitness_machine_feature', v)).toEqual(v)), RUNS);
  });

  it('Body Sensor Location and Battery Level', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: BODY_SENSOR_LOCATIONS.length - 1 }), (code) => {
        const v = { code, location: BODY_SENSOR_LOCATIONS[code]! };
        expect(roundTrip('body_sensor_location', v)).toEqual(v);
      }),
    );
    fc.assert(fc.property(fc.integer({ min: 0, max: 100 }), (pct) => void expect(roundTrip('battery_level', { levelPct: pct, raw: pct })).toEqual({ levelPct: pct, raw: pct })));
  });

  it('(Heart Rate Measurement has its own round-trip property in heartRateMeasurement.test.ts)', () => {
    expect(GATT_CODECS.heart_rate_measurement.uuid16).toBe(0x2a37);
  });
});
