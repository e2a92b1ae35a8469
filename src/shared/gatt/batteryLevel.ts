/**
 * Battery Level 0x2A19 (service Battery 0x180F, read, optionally notify) — docs/gatt.md §9:
 * uint8 percent, valid 0–100; values above 100 are invalid and shown as "unknown".
 */
import { fail, ok, type Result } from '../errors';

/** A decoded Battery Level. */
export interface BatteryLevel {
  /** Percent 0–100, or null when the device sent an invalid value (> 100). */
  readonly levelPct: number | null;
  /** The byte as sent. */
  readonly raw: number;
}

/** Decode a Battery Level value. */
export function decodeBatteryLevel(dv: DataView): Result<BatteryLevel> {
  if (dv.byteLength < 1) return fail('GATT_SHORT_PAYLOAD', 'Battery Level 0x2A19: empty value, need 1 byte');
  const raw = dv.getUint8(0);
  return ok({ levelPct: raw <= 100 ? raw : null, raw });
}

/** Encode a Battery Level value (clamped to 0–100, rounded). */
export function encodeBatteryLevel(levelPct: number): Uint8Array {
  return Uint8Array.of(Number.isFinite(levelPct) ? Math.min(100, Math.max(0, Math.round(levelPct))) : 0);
}
