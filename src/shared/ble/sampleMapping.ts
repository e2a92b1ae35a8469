/**
 * Per-device measurement → `Sample` mapping, renderer-independent: the connection manager (live Bluetooth) and the
 * replay of a recorded raw log (src/main/replay) both map notifications here, so a replayed session yields the
 * samples the live path did. One notification is
 * decoded with the shared GATT codecs and mapped by `toSamples` (src/shared/gatt/samples.ts), with
 * the per-device counter state for CSC/CP rates kept here and reset on reconnect. A notification that
 * does not decode is an error value; a partly decoded one yields the fields that fit plus a warning.
 */
import { fail, ok, type AppError, type Result } from '../errors';
import type { ContactStatus } from '../gatt/heartRateMeasurement';
import { GATT_CODECS, type GattCharacteristicName } from '../gatt/registry';
import {
  EMPTY_DECODE_ERRORS,
  decodeNotification,
  gattStateAfterReconnect,
  initialGattSampleState,
  type GattSampleState,
} from '../gatt/samples';
import type { DeriveConfig } from '../gatt/derive';
import type { Sample } from '../sample';

/** What one notification produced. */
export interface MappedNotification {
  readonly samples: Sample[];
  /** Skin contact reported by a strap in this notification. */
  readonly contact?: ContactStatus;
  /** Set when announced fields did not fit and were dropped (the rest was delivered). */
  readonly warning?: AppError;
}

/** The stateful mapper of one device's measurement characteristic. */
export interface MeasurementMapper {
  /** Decode a notification received at `tMs`. */
  map(dv: DataView, tMs: number): Result<MappedNotification>;
  /** Forget rate baselines (after a reconnect the first counter sample only sets the baseline). */
  reset(): void;
}

/** Create the mapper of one device's measurement characteristic. */
export function createMeasurementMapper(
  characteristic: GattCharacteristicName,
  deviceId: string,
  config: Partial<DeriveConfig> = {},
): MeasurementMapper {
  const uuid = GATT_CODECS[characteristic].uuid;
  let state: GattSampleState = initialGattSampleState(config);
  return {
    map(dv, tMs) {
      const r = decodeNotification(uuid, dv, state, EMPTY_DECODE_ERRORS, tMs, deviceId);
      state = r.state;
      if (r.decoded === null) {
        const e = r.errors.lastError;
        return fail(e?.code ?? 'GATT_BAD_VALUE', e?.message ?? `${GATT_CODECS[characteristic].title}: undecodable value`);
      }
      const contact = r.decoded.name === 'heart_rate_measurement' ? r.decoded.value.contact : undefined;
      const warning = r.errors.partialCount > 0 ? (r.errors.lastError ?? undefined) : undefined;
      return ok({ samples: r.samples, contact, warning });
    },
    reset() {
      state = gattStateAfterReconnect(state);
    },
  };
}

/** Run a mapper so an unexpected throw becomes an error value (never leaves the pipeline). */
export function guardedMap(mapper: MeasurementMapper, dv: DataView, tMs: number): Result<MappedNotification> {
  try {
    return mapper.map(dv, tMs);
  } catch (err) {
    return fail('GATT_BAD_VALUE', `Decoder failed: ${(err as Error).message}`);
  }
}

/** What one Battery Level value produced: the level (null = unknown) and its sample, if any. */
export interface MappedBattery {
  readonly pct: number | null;
  readonly sample: Sample | null;
}

/** Map a Battery Level (0x2A19) read or notification received at `tMs` to a battery sample. */
export function mapBatteryLevel(dv: DataView, deviceId: string, tMs: number): Result<MappedBattery> {
  const r = GATT_CODECS.battery_level.decode(dv);
  if (!r.ok) return r;
  const pct = r.value.levelPct;
  return ok({ pct, sample: pct === null ? null : { tMs, deviceId, metric: 'battery', value: pct } });
}
