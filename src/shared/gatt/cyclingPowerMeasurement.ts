/**
 * Cycling Power Measurement 0x2A63 (service Cycling Power 0x1818, notify) — docs/gatt.md §3;
 * Bluetooth SIG `org.bluetooth.characteristic.cycling_power_measurement.xml`.
 * Flags uint16; Instantaneous Power sint16 W always; optional fields in table order. Flag-only bits:
 * 1 pedal power balance reference (left), 3 accumulated torque source (crank), 12 offset compensation indicator.
 * Wheel event time is in 1/2048 s (not 1/1024), crank event time in 1/1024 s.
 */
import { ok, type Result } from '../errors';
import { readLayout, writeLayout, type Layout } from './fields';

/** Ticks per second of the CP Last Wheel Event Time. */
export const CP_WHEEL_TICKS_PER_SECOND = 2048;
/** Ticks per second of the CP Last Crank Event Time. */
export const CP_CRANK_TICKS_PER_SECOND = 1024;

/** A decoded Cycling Power Measurement; optional fields are present only when flagged and fitting. */
export interface CyclingPowerMeasurement {
  readonly powerW: number;
  /** Flags bit 1: balance refers to the left pedal (otherwise unknown). */
  readonly isBalanceReferenceLeft: boolean;
  /** Flags bit 3: accumulated torque measured at the crank (otherwise the wheel). */
  readonly isTorqueSourceCrank: boolean;
  /** Flags bit 12. */
  readonly isOffsetCompensationIndicated: boolean;
  readonly pedalPowerBalancePct?: number;
  readonly accumulatedTorqueNm?: number;
  readonly cumulativeWheelRevs?: number;
  /** Last wheel event time in 1/2048 s, as sent (rolls over every 32 s). */
  readonly lastWheelEventTicks?: number;
  readonly cumulativeCrankRevs?: number;
  /** Last crank event time in 1/1024 s, as sent (rolls over every 64 s). */
  readonly lastCrankEventTicks?: number;
  readonly maxForceN?: number;
  readonly minForceN?: number;
  readonly maxTorqueNm?: number;
  readonly minTorqueNm?: number;
  readonly extremeAngleMaxDeg?: number;
  readonly extremeAngleMinDeg?: number;
  readonly topDeadSpotAngleDeg?: number;
  readonly bottomDeadSpotAngleDeg?: number;
  readonly accumulatedEnergyKj?: number;
  /** Fields the flags announced that did not fit in the value (dropped, never guessed). */
  readonly missingFields?: readonly string[];
}

/** The layout of 0x2A63 as data. */
export const CYCLING_POWER_MEASUREMENT_LAYOUT: Layout = {
  name: 'Cycling Power Measurement 0x2A63',
  flagsType: 'uint16',
  flagValues: [
    { name: 'isBalanceReferenceLeft', shift: 1, width: 1 },
    { name: 'isTorqueSourceCrank', shift: 3, width: 1 },
    { name: 'isOffsetCompensationIndicated', shift: 12, width: 1 },
  ],
  groups: [
    { bit: null, fields: [{ name: 'powerW', type: 'sint16', unit: 'W' }] },
    { bit: 0, fields: [{ name: 'pedalPowerBalancePct', type: 'uint8', unit: '%', divisor: 2 }] },
    { bit: 2, fields: [{ name: 'accumulatedTorqueNm', type: 'uint16', unit: 'N·m', divisor: 32 }] },
    {
      bit: 4,
      fields: [
        { name: 'cumulativeWheelRevs', type: 'uint32', unit: 'revolutions' },
        { name: 'lastWheelEventTicks', type: 'uint16', unit: '1/2048 s' },
      ],
    },
    {
      bit: 5,
      fields: [
        { name: 'cumulativeCrankRevs', type: 'uint16', unit: 'revolutions' },
        { name: 'lastCrankEventTicks', type: 'uint16', unit: '1/1024 s' },
      ],
    },
    {
      bit: 6,
      fields: [
        { name: 'maxForceN', type: 'sint16', unit: 'N' },
        { name: 'minForceN', type: 'sint16', unit: 'N' },
      ],
    },
    {
      bit: 7,
      fields: [
        { name: 'maxTorqueNm', type: 'sint16', unit: 'N·m', divisor: 32 },
        { name: 'minTorqueNm', type: 'sint16', unit: 'N·m', divisor: 32 },
      ],
    },
    {
      bit: 8,
      fields: [
        { name: 'extremeAngleMaxDeg', type: 'uint24', unit: '°', bitShift: 0, bitWidth: 12, sharesBytes: true },
        { name: 'extremeAngleMinDeg', type: 'uint24', unit: '°', bitShift: 12, bitWidth: 12 },
      ],
    },
    { bit: 9, fields: [{ name: 'topDeadSpotAngleDeg', type: 'uint16', unit: '°' }] },
    { bit: 10, fields: [{ name: 'bottomDeadSpotAngleDeg', type: 'uint16', unit: '°' }] },
    { bit: 11, fields: [{ name: 'accumulatedEnergyKj', type: 'uint16', unit: 'kJ' }] },
  ],
};

/** Decode a Cycling Power Measurement value; GATT_SHORT_PAYLOAD when flags or power are missing. */
export function decodeCyclingPowerMeasurement(dv: DataView): Result<CyclingPowerMeasurement> {
  const r = readLayout(dv, CYCLING_POWER_MEASUREMENT_LAYOUT);
  if (!r.ok) return r;
  const { values, missing } = r.value;
  const m = {
    ...values,
    isBalanceReferenceLeft: values.isBalanceReferenceLeft === 1,
    isTorqueSourceCrank: values.isTorqueSourceCrank === 1,
    isOffsetCompensationIndicated: values.isOffsetCompensationIndicated === 1,
  } as unknown as CyclingPowerMeasurement;
  return ok(missing.length > 0 ? { ...m, missingFields: missing } : m);
}

/** Encode a Cycling Power Measurement value (simulated power meters); absent fields clear their flag bits. */
export function encodeCyclingPowerMeasurement(fields: CyclingPowerMeasurement): Uint8Array {
  return writeLayout(CYCLING_POWER_MEASUREMENT_LAYOUT, {
    values: fields as unknown as Record<string, number | undefined>,
    flagValues: {
      isBalanceReferenceLeft: fields.isBalanceReferenceLeft ? 1 : 0,
      isTorqueSourceCrank: fields.isTorqueSourceCrank ? 1 : 0,
      isOffsetCompensationIndicated: fields.isOffsetCompensationIndicated ? 1 : 0,
    },
  });
}
