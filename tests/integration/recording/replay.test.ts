/**
 * Replay equivalence: a session's raw transport log, replayed through the same decoders into a
 * second session, gives the same samples (values and device timing). Guards against replays that
 * drift from the bytes (re-encoded values, lost messages, reordered beats).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRecords } from '../../../src/main/recording/reader';
import { readManifestIn } from '../../../src/main/recording/recovery';
import { createReplaySource } from '../../../src/main/recording/replay';
import { RecordingService } from '../../../src/main/recording/service';
import type { SampleRecord } from '../../../src/shared/recording/records';
import type { Sample } from '../../../src/shared/sample';
import { curveBaseValue, nextBeat, type BeatState } from '../../../src/shared/scenario';
import { encodeFrame } from '../../../src/shared/ant/frame';
import { AntSampleAdapter } from '../../../src/main/ant/adapter';
import { encodeHeartRateMeasurement } from '../../../src/shared/gatt/heartRateMeasurement';
import {
  decodeNotification,
  EMPTY_DECODE_ERRORS,
  initialGattSampleState,
  type DecodeErrorCounter,
  type GattSampleState,
} from '../../../src/shared/gatt/samples';
import { FakeHub, fakeClock, tempDataDir } from '../../unit/main/recording/fakes';

const HRM_UUID = '00002a37-0000-1000-8000-00805f9b34fb';

/** Per-device GATT state for the real decoder (src/shared/gatt). */
const gattStates = new Map<string, { state: GattSampleState; errors: DecodeErrorCounter }>();

/** The BLE path of the app: the real GATT decoder (Heart Rate Measurement 0x2A37) to samples. */
function decodeBle(deviceId: string, characteristic: string, bytes: Uint8Array, tMs: number): Sample[] {
  const prev = gattStates.get(deviceId) ?? { state: initialGattSampleState(), errors: EMPTY_DECODE_ERRORS };
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const r = decodeNotification(characteristic, dv, prev.state, prev.errors, tMs, deviceId);
  gattStates.set(deviceId, { state: r.state, errors: r.errors });
  expect(r.errors.count).toBe(0);
  return r.samples;
}

/** The ANT+ path of the app: the sample adapter and its page decoders (a paired channel 0 carrying strap 4711). */
const antOut: Sample[] = [];
const antAdapter = new AntSampleAdapter({ sink: { push: (s) => void antOut.push(s) }, onDeviceSeen: () => undefined });
antAdapter.channelDevice[0] = (0x78 << 16) | 4711;
function decodeAntHr(bytes: Uint8Array, tMs: number): Sample[] {
  antOut.length = 0;
  antAdapter.onFrame(bytes, tMs);
  return [...antOut];
}

function encodeAntHr(beatTicks: number, beatCount: number, hr: number): Uint8Array {
  return encodeFrame(0x4e, [0, 0x00, 0xff, 0xff, 0xff, beatTicks & 0xff, (beatTicks >> 8) & 0xff, beatCount & 0xff, hr]);
}

async function sampleRecords(svc: RecordingService, sessionId: string): Promise<SampleRecord[]> {
  const dir = svc.sessionDir(sessionId);
  if (!dir.ok) throw new Error(dir.message);
  const out: SampleRecord[] = [];
  const m = readManifestIn(dir.value);
  if (!m.ok) throw new Error(m.message);
  await readRecords(join(dir.value, m.value.files.records), (r) => {
    if (r.k === 's') out.push(r);
  });
  return out;
}

describe('replay of the raw transport log', () => {
  it('replayed bytes through the same decoders give the same samples (values and device timing)', async () => {
    const clock = fakeClock();
    const hub = new FakeHub();
    const svc = new RecordingService({ dataDir: tempDataDir('replay'), hub, now: clock.now, writer: { flushEveryMs: 60_000 } });
    const ingest = (samples: Sample[]): void => hub.release(samples);
    const onBle = (deviceId: string, characteristic: string, bytes: Uint8Array, tMs: number): void => {
      svc.recordRaw({ tMs, deviceId, transport: 'ble', characteristic, bytes });
      ingest(decodeBle(deviceId, characteristic, bytes, tMs));
    };
    const onAnt = (bytes: Uint8Array, tMs: number, deviceId: string, channel: number | undefined): void => {
      svc.recordRaw({ tMs, deviceId, transport: 'ant', channel, bytes });
      ingest(decodeAntHr(bytes, tMs));
    };

    // Session 1: live devices — a BLE strap and an ANT+ strap on the same heart.
    const first = await svc.start({ subjectId: 'rep', sessionId: 'live' });
    if (!first.ok) throw new Error(first.message);
    const t0 = clock.now();
    let beats: BeatState = { lastBeatTicks: 0, beatCount: 0 };
    while (beats.lastBeatTicks < 90 * 1024) {
      const hr = curveBaseValue({ type: 'sine', mean: 120, amplitude: 40, periodS: 30 }, beats.lastBeatTicks / 1024);
      const next = nextBeat(beats, hr);
      beats = next.state;
      const tMs = t0 + (beats.lastBeatTicks * 1000) / 1024 + 12.5;
      clock.advance(tMs - clock.now());
      onBle('ble:strap', HRM_UUID, encodeHeartRateMeasurement({ heartRateBpm: Math.round(hr), contact: 'detected', rrRaw: [next.rrTicks] }), tMs);
      onAnt(encodeAntHr(beats.lastBeatTicks % 65536, beats.beatCount, Math.round(hr)), tMs + 3.25, 'ant:120:4711', 0);
    }
    svc.stop();

    // Session 2: the raw log of session 1 replayed as simulated devices.
    const dir = svc.sessionDir(first.value.sessionId!);
    if (!dir.ok) throw new Error(dir.message);
    clock.advance(10_000);
    const second = await svc.start({ subjectId: 'rep', sessionId: 'replay' });
    if (!second.ok) throw new Error(second.message);
    const replay = await createReplaySource(dir.value, { speed: Infinity, onBle, onAnt, now: clock.now });
    if (!replay.ok) throw new Error(replay.message);
    expect(replay.value.deviceIds).toEqual(['ble:strap', 'ant:120:4711']);
    const stats = await replay.value.start();
    expect(stats).toEqual({ ble: beats.beatCount, ant: beats.beatCount, badRecords: 0, isStopped: false });
    svc.stop();

    const a = await sampleRecords(svc, first.value.sessionId!);
    const b = await sampleRecords(svc, second.value.sessionId!);
    // the BLE strap sends every RR; the ANT+ strap (page 0) yields one per beat after its first page
    expect(a.filter((r) => r.m === 'rrInterval')).toHaveLength(2 * beats.beatCount - 1);
    expect(a.filter((r) => r.m === 'heartRate')).toHaveLength(2 * beats.beatCount);
    expect(a.find((r) => r.m === 'rrInterval')?.ti).toMatchObject({ ticksPerSecond: 1024 });
    const strip = (rs: SampleRecord[]): unknown[] => rs.map((r) => ({ d: r.d, m: r.m, v: r.v, ti: r.ti }));
    expect(strip(b)).toEqual(strip(a));
    // Original relative timing is kept (speed Infinity keeps the recorded spacing in the stamps).
    const rel = (rs: SampleRecord[]): number[] => rs.map((r) => Math.round((r.t - rs[0]!.t) * 1000) / 1000);
    expect(rel(b)).toEqual(rel(a));
  });

  it('paces by the recorded spacing divided by speed, refuses a non-positive speed, and stops on request', async () => {
    const clock = fakeClock();
    const svc = new RecordingService({ dataDir: tempDataDir('pace'), hub: new FakeHub(), now: clock.now });
    const started = await svc.start({ subjectId: 'p', sessionId: '1' });
    if (!started.ok) throw new Error(started.message);
    for (let i = 0; i < 20; i++) {
      svc.recordRaw({ tMs: clock.now() + i * 100, deviceId: 'ble:x', transport: 'ble', characteristic: '2a37', bytes: new Uint8Array([0, 60 + i]) });
    }
    svc.stop();
    const dir = svc.sessionDir(started.value.sessionId!);
    if (!dir.ok) throw new Error(dir.message);
    expect(await createReplaySource(dir.value, { speed: 0 })).toMatchObject({ ok: false, code: 'REC_REPLAY_FAILED' });
    const stamps: number[] = [];
    const values: number[] = [];
    let replayRef: { stop(): void } | null = null;
    const replay = await createReplaySource(dir.value, {
      speed: 100,
      onBle: (_d, _c, bytes, tMs) => {
        stamps.push(tMs);
        values.push(bytes[1]!);
        if (values.length === 10) replayRef?.stop();
      },
    });
    if (!replay.ok) throw new Error(replay.message);
    replayRef = replay.value;
    const stats = await replay.value.start();
    expect(stats).toMatchObject({ ble: 10, isStopped: true });
    expect(values).toEqual([60, 61, 62, 63, 64, 65, 66, 67, 68, 69]);
    expect(stamps.map((t) => Math.round((t - stamps[0]!) * 1000) / 1000)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('refuses an unknown session with a code', async () => {
    expect(await createReplaySource(tempDataDir('none'))).toMatchObject({ ok: false, code: 'REC_UNKNOWN_SESSION' });
  });
});
