/**
 * Heart Rate Measurement 0x2A37 (service Heart Rate 0x180D, notify) — docs/gatt.md §1;
 * Bluetooth SIG `org.bluetooth.characteristic.heart_rate_measurement.xml`.
 * Flags uint8: bit 0 value format (uint8/uint16), bits 1–2 sensor contact status, bit 3 Energy Expended
 * (uint16 kJ), bit 4 RR-Intervals (uint16, 1/1024 s, as many as fit, oldest first; a trailing odd byte is ignored).
 */
import { ok, type Result } from '../errors';
import { readLayout, writeLayout, type Layout } from './fields';

/** Sensor contact as the strap reports it (flags bits 1–2: 0/1 unsupported, 2 not detected, 3 detected). */
export type ContactStatus = 'unsupported' | 'notDetected' | 'detected';

/** Ticks per second of RR-Interval values. */
export const RR_TICKS_PER_SECOND = 1024;

/** A decoded Heart Rate Measurement. */
export interface HeartRateMeasurement {
  /** Heart rate in bpm; 0 means "no reading" (a gap), not a physiological value. */
  readonly heartRateBpm: number;
  /** Whether the value was sent as uint16 (flags bit 0). */
  readonly isUint16: boolean;
  readonly contact: ContactStatus;
  /** Energy expended in kJ since the last reset (saturates at 65535). */
  readonly energyExpendedKj?: number;
  /** RR intervals exactly as sent, in 1/1024 s, oldest first. */
  readonly rrRaw: readonly number[];
  /** The same RR intervals in ms with full precision (`raw * 1000 / 1024`, not rounded). */
  readonly rrMs: readonly number[];
  /** Fields the flags announced that did not fit in the value (dropped, never guessed). */
  readonly missingFields?: readonly string[];
}

/** Input of {@link encodeHeartRateMeasurement} (a decoded value is accepted as is). */
export interface HeartRateMeasurementFields {
  readonly heartRateBpm: number;
  /** Force the uint16 format; otherwise uint16 is used only when the value exceeds 255. */
  readonly isUint16?: boolean;
  readonly contact?: ContactStatus;
  readonly energyExpendedKj?: number;
  /** RR intervals in 1/1024 s; flags bit 4 is set only when the list is non-empty. */
  readonly rrRaw?: readonly number[];
}

const CONTACT_BY_BITS: readonly ContactStatus[] = ['unsupported', 'unsupported', 'notDetected', 'detected'];
const BITS_BY_CONTACT: { readonly [K in ContactStatus]: number } = { unsupported: 0, notDetected: 2, detected: 3 };

/** The layout of 0x2A37 as data. */
export const HEART_RATE_MEASUREMENT_LAYOUT: Layout = {
  name: 'Heart Rate Measurement 0x2A37',
  flagsType: 'uint8',
  flagValues: [
    { name: 'isUint16', shift: 0, width: 1 },
    { name: 'contactBits', shift: 1, width: 2 },
  ],
  groups: [
    { bit: 0, isInverted: true, isRequired: true, fields: [{ name: 'heartRateU8', type: 'uint8', unit: 'bpm' }] },
    { bit: 0, isRequired: true, fields: [{ name: 'heartRateU16', type: 'uint16', unit: 'bpm' }] },
    { bit: 3, fields: [{ name: 'energyExpendedKj', type: 'uint16', unit: 'kJ' }] },
    { bit: 4, repeats: true, fields: [{ name: 'rrRaw', type: 'uint16', unit: '1/1024 s' }] },
  ],
};

/** Convert an RR interval from 1/1024 s to ms with full precision. */
export function rrRawToMs(raw: number): number {
  return (raw * 1000) / RR_TICKS_PER_SECOND;
}

/** Convert an RR interval in ms to the nearest 1/1024 s tick (for simulators). */
export function rrMsToRaw(rrMs: number): number {
  return Math.round((rrMs * RR_TICKS_PER_SECOND) / 1000);
}

/** Decode a Heart Rate Measurement value; GATT_SHORT_PAYLOAD when the heart rate itself is missing. */
export function decodeHeartRateMeasurement(dv: DataView): Result<HeartRateMeasurement> {
  const r = readLayout(dv, HEART_RATE_MEASUREMENT_LAYOUT);
  if (!r.ok) return r;
  const { values, lists, missing } = r.value;
  const isUint16 = values.isUint16 === 1;
  const rrRaw = lists.rrRaw ?? [];
  const m: HeartRateMeasurement = {
    heartRateBpm: (isUint16 ? values.heartRateU16 : values.heartRateU8) ?? 0,
    isUint16,
    contact: CONTACT_BY_BITS[values.contactBits ?? 0] ?? 'unsupported',
    rrRaw,
    rrMs: rrRaw.map(rrRawToMs),
  };
  const withEnergy = values.energyExpendedKj === undefined ? m : { ...m, energyExpendedKj: values.energyExpendedKj };
  return ok(missing.length > 0 ? { ...withEnergy, missingFields: missing } : withEnergy);
}

/** Encode a Heart Rate Measurement value (used by the simulated strap). */
export function encodeHeartRateMeasurement(fields: HeartRateMeasurementFields): Uint8Array {
  const isUint16 = fields.isUint16 === true || fields.heartRateBpm > 0xff;
  return writeLayout(HEART_RATE_MEASUREMENT_LAYOUT, {
    values: {
      heartRateU8: isUint16 ? undefined : fields.heartRateBpm,
      heartRateU16: isUint16 ? fields.heartRateBpm : undefined,
      energyExpendedKj: fields.energyExpendedKj,
    },
    lists: { rrRaw: fields.rrRaw !== undefined && fields.rrRaw.length > 0 ? fields.rrRaw : undefined },
    flagValues: { contactBits: BITS_BY_CONTACT[fields.contact ?? 'unsupported'] },
  });
}
