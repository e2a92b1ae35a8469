/**
 * `--replay <session> [--speed N]`: a recorded session's raw transport log replayed as transports, so the same bytes
 * run through the same decoders as live — one path per radio, no replay decoder of its own.
 *
 * - ANT+: every recorded data message is delivered by a replay stick on a {@link ReplayAntBus} to an ordinary
 *   {@link AntService} (our driver, the sample adapter and its page decoders).
 * - Bluetooth: every recorded notification goes through the renderer-independent mapping the live connection
 *   manager uses (src/shared/ble/sampleMapping.ts), one mapper per device and characteristic.
 *
 * Decoding runs on the recording's clock (each message carries its original reception time), so rate limits
 * (RSSI every 5 s), RR gap rules and rate decay behave exactly as they did live at any speed; each sample's time is
 * then moved onto the replay's clock (`start + (t − first) / speed`) before it enters the hub.
 * Limits: ANT+ messages recorded without the extended channel-ID block (paired channels on sticks without
 * extended messages) carry no device identity in the log and are not replayed; Bluetooth reconnects are not in
 * the raw log, so a reconnect's baseline reset is not replayed either.
 */
import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { BLE_PROFILES, type BleProfile } from '../../shared/ble/profiles';
import { createMeasurementMapper, guardedMap, mapBatteryLevel, type MeasurementMapper } from '../../shared/ble/sampleMapping';
import { fail, ok, type Result } from '../../shared/errors';
import { findGattCodec } from '../../shared/gatt/registry';
import type { Sample, SampleSink } from '../../shared/sample';
import { AntService, type AntDeviceRegistry } from '../ant/antService';
import { createReplaySource, type ReplayStats } from '../recording/replay';
import type { Host } from '../host';
import { ReplayAntBus } from './replayAntBus';

/** Counters of a finished replay. */
export interface ReplayResult extends ReplayStats {
  /** ANT+ messages the replay stick could not deliver (it was not open). */
  readonly antUndelivered: number;
  /** Bluetooth notifications that did not decode (their error codes went to the per-device counters). */
  readonly bleUndecoded: number;
}

/** A running replay. */
export interface RunningReplay {
  readonly messageCount: number;
  readonly done: Promise<ReplayResult>;
  stop(): void;
}

/** What a replay needs. */
export interface ReplayOptions {
  readonly sessionDir: string;
  /** 1 = real time, N = N times faster, Infinity = as fast as possible. */
  readonly speed: number;
  readonly sink: SampleSink;
  readonly registry: AntDeviceRegistry;
  /** The replay's clock (default wall time) and how it waits; tests inject a fake pair. */
  readonly now?: () => number;
  readonly wait?: (ms: number) => Promise<void>;
}

/** Resolve a session argument: a folder path, or a session id under `<dataDir>/sessions`. */
function resolveSessionDir(session: string, dataDir: string): string | null {
  const candidates = [isAbsolute(session) ? session : resolve(session), join(dataDir, 'sessions', session)];
  return candidates.find((c) => existsSync(join(c, 'manifest.json'))) ?? candidates.find((c) => existsSync(c)) ?? null;
}

/** Profile of the Bluetooth kind whose measurement characteristic is `name`. */
function profileOfMeasurement(name: string): BleProfile | undefined {
  return Object.values(BLE_PROFILES).find((p) => p.measurement === name);
}

/** Load a session's raw log and start replaying it into `sink`. */
export async function createReplay(opts: ReplayOptions): Promise<Result<RunningReplay>> {
  let decodeTMs = 0;
  let replayTime: (t: number) => number = (t) => t;
  const out: SampleSink = {
    push(s: Sample) {
      (s as { tMs: number }).tMs = replayTime(s.tMs);
      opts.sink.push(s);
    },
  };
  const bus = new ReplayAntBus(`Replay of ${opts.sessionDir}`);
  const ant = new AntService({ bus, sink: out, registry: opts.registry, now: () => decodeTMs });
  const mappers = new Map<string, MeasurementMapper | null>();
  let antUndelivered = 0;
  let bleUndecoded = 0;
  const onBle = (deviceId: string, uuid: string, bytes: Uint8Array, tMs: number): void => {
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const codec = findGattCodec(uuid);
    if (codec?.name === 'battery_level') {
      const r = mapBatteryLevel(dv, deviceId, tMs);
      if (!r.ok) bleUndecoded++;
      else if (r.value.sample) out.push(r.value.sample);
      return;
    }
    const key = `${deviceId}\n${uuid}`;
    let mapper = mappers.get(key);
    if (mapper === undefined) {
      const profile = codec ? profileOfMeasurement(codec.name) : undefined;
      mapper = profile ? createMeasurementMapper(profile.measurement, deviceId) : null;
      mappers.set(key, mapper);
      if (profile) opts.registry.upsert({ id: deviceId, name: `Bluetooth ${profile.kind} ${deviceId.slice(4)} (replay)`, kind: profile.kind, source: 'ble', isSimulated: true });
    }
    if (!mapper) return;
    const r = guardedMap(mapper, dv, tMs);
    if (!r.ok) bleUndecoded++;
    else for (const s of r.value.samples) out.push(s);
  };
  const source = await createReplaySource(opts.sessionDir, {
    speed: opts.speed,
    now: opts.now,
    wait: opts.wait,
    onBle: (deviceId, uuid, bytes, _tMs, originalTMs) => onBle(deviceId, uuid, bytes, originalTMs),
    onAnt: (bytes, _tMs, _deviceId, _channel, originalTMs) => {
      decodeTMs = originalTMs;
      if (!bus.stick.inject(bytes).ok) antUndelivered++;
    },
  });
  if (!source.ok) return source;
  const replay = source.value;
  replayTime = (t) => replay.replayTime(t);
  decodeTMs = replay.firstTMs;
  await ant.start();
  const done = replay.start().then(async (stats) => {
    await ant.stop();
    return { ...stats, antUndelivered, bleUndecoded };
  });
  return ok({ messageCount: replay.messageCount, done, stop: () => replay.stop() });
}

/** Start replaying `session` (a folder or a session id) into the host's hub and device list. */
export async function startReplay(host: Host, session: string, speed: number): Promise<Result<RunningReplay>> {
  const dir = resolveSessionDir(session, host.options.dataDir);
  if (!dir) return fail('REC_UNKNOWN_SESSION', `No recorded session "${session}" (neither a folder nor an id under ${join(host.options.dataDir, 'sessions')}).`);
  return createReplay({ sessionDir: dir, speed, sink: host.hub, registry: host.devices });
}
