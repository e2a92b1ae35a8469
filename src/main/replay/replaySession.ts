/**
 * `--replay <session> [--speed N]`: a recorded session's raw transport log replayed as simulated
 * devices, so the same bytes run through the same decoders. BLE notifications go through the
 * shared GATT decoders exactly as the connection manager runs them; ANT+ data messages go through
 * the ANT+ sample adapter (RR intervals, power, battery and RSSI from our page codecs, the heart
 * rate from the HR page) — the library-decoded profiles (speed/cadence, foot pod, trainer) need a
 * stick session and are not replayed yet.
 */
import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import type { DeviceKind } from '../../shared/device';
import { fail, ok, type Result } from '../../shared/errors';
import { decodeNotification, EMPTY_DECODE_ERRORS, findGattCodec, initialGattSampleState, type DecodeErrorCounter, type GattSampleState } from '../../shared/gatt';
import { decodeHrPage } from '../../shared/ant/hrPage';
import { profileByDeviceType } from '../../shared/ant/profiles';
import { AntSampleAdapter } from '../ant/adapter';
import { createReplaySource, type ReplayStats } from '../recording/replay';
import type { Host } from '../host';

/** Device kind of a BLE device from the characteristic it notifies. */
const KIND_BY_CHARACTERISTIC: Record<string, DeviceKind> = {
  heart_rate_measurement: 'hr',
  cycling_power_measurement: 'power',
  csc_measurement: 'csc',
  rsc_measurement: 'rsc',
  indoor_bike_data: 'bike',
  treadmill_data: 'treadmill',
};

/** A running replay. */
export interface RunningReplay {
  readonly messageCount: number;
  readonly done: Promise<ReplayStats>;
  stop(): void;
}

/** Resolve a session argument: a folder path, or a session id under `<dataDir>/sessions`. */
export function resolveSessionDir(session: string, dataDir: string): string | null {
  const candidates = [isAbsolute(session) ? session : resolve(session), join(dataDir, 'sessions', session)];
  return candidates.find((c) => existsSync(join(c, 'manifest.json'))) ?? candidates.find((c) => existsSync(c)) ?? null;
}

/** Start replaying `session` into the host's hub. */
export async function startReplay(host: Host, session: string, speed: number): Promise<Result<RunningReplay>> {
  const dir = resolveSessionDir(session, host.options.dataDir);
  if (!dir) return fail('REC_UNKNOWN_SESSION', `No recorded session "${session}" (neither a folder nor an id under ${join(host.options.dataDir, 'sessions')}).`);
  const gatt = new Map<string, { state: GattSampleState; errors: DecodeErrorCounter }>();
  const seen = new Set<string>();
  const announce = (id: string, name: string, kind: DeviceKind, source: 'ble' | 'ant'): void => {
    if (seen.has(id)) return;
    seen.add(id);
    host.devices.upsert({ id, name: `${name} (replay)`, kind, source, isSimulated: true });
  };
  const adapter = new AntSampleAdapter({
    sink: host.hub,
    onDeviceSeen: (type, number, id) => {
      const profile = profileByDeviceType(type);
      if (profile) announce(id, `${profile.label} ${number}`, profile.kind, 'ant');
    },
  });
  const source = await createReplaySource(dir, {
    speed,
    onBle: (deviceId, characteristic, bytes, tMs) => {
      const codec = findGattCodec(characteristic);
      const kind = codec ? KIND_BY_CHARACTERISTIC[codec.name] : undefined;
      if (kind) announce(deviceId, deviceId.slice(4), kind, 'ble');
      let g = gatt.get(deviceId);
      if (!g) {
        g = { state: initialGattSampleState(), errors: EMPTY_DECODE_ERRORS };
        gatt.set(deviceId, g);
      }
      const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const out = decodeNotification(characteristic, dv, g.state, g.errors, tMs, deviceId);
      g.state = out.state;
      g.errors = out.errors;
      for (const s of out.samples) host.hub.push(s);
    },
    onAnt: (bytes, tMs) => {
      adapter.onFrame(bytes, tMs);
      if ((bytes[15] ?? 0) === 0x78 && bytes.length >= 12) {
        const page = decodeHrPage(bytes, 4);
        adapter.onHeartRate({ DeviceId: (bytes[13] ?? 0) | ((bytes[14] ?? 0) << 8), ComputedHeartRate: page.heartRateBpm, BeatTime: page.beatTimeTicks, BeatCount: page.beatCount }, tMs);
      }
    },
  });
  if (!source.ok) return source;
  const replay = source.value;
  return ok({ messageCount: replay.messageCount, done: replay.start(), stop: () => replay.stop() });
}
