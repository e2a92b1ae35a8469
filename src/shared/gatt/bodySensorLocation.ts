/**
 * Body Sensor Location 0x2A38 (service Heart Rate 0x180D, read) — docs/gatt.md §2:
 * uint8 enum, 0 Other … 6 Foot; 7–255 reserved, shown as "unknown".
 */
import { fail, ok, type Result } from '../errors';

/** Body sensor locations by code (index = code). */
export const BODY_SENSOR_LOCATIONS = ['other', 'chest', 'wrist', 'finger', 'hand', 'earLobe', 'foot'] as const;

/** A body sensor location, or "unknown" for reserved codes. */
export type BodySensorLocationName = (typeof BODY_SENSOR_LOCATIONS)[number] | 'unknown';

/** A decoded Body Sensor Location. */
export interface BodySensorLocation {
  readonly code: number;
  readonly location: BodySensorLocationName;
}

/** Decode a Body Sensor Location value. */
export function decodeBodySensorLocation(dv: DataView): Result<BodySensorLocation> {
  if (dv.byteLength < 1) return fail('GATT_SHORT_PAYLOAD', 'Body Sensor Location 0x2A38: empty value, need 1 byte');
  const code = dv.getUint8(0);
  return ok({ code, location: BODY_SENSOR_LOCATIONS[code] ?? 'unknown' });
}

/** Encode a Body Sensor Location value (simulated straps). */
export function encodeBodySensorLocation(location: BodySensorLocationName): Uint8Array {
  const code = (BODY_SENSOR_LOCATIONS as readonly string[]).indexOf(location);
  return Uint8Array.of(code < 0 ? 0xff : code);
}
