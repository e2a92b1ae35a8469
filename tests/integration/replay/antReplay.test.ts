/**
 * Replay as a transport (issue 13): a session recorded from simulated ANT+ devices of every profile (HR strap,
 * crank-torque power meter interleaving power-only pages, speed & cadence sensor, foot pod, FE-C trainer) on a
 * byte-level simulated stick through the live path (our driver, adapter and page decoders), then replayed from its
 * raw transport log through the replay stick into the same path. Every sample of every metric comes back — values,
 * beat times, event counts, flags and counts — at speed 1 and at speed 10, with times on the replay's clock.
 * Guards against the third decode pipeline the replay used to be: it dropped speed/cadence, stride, FE and strap
 * battery samples (0 of 40 batteries replayed) and the first RR of each strap.
 * Clocks are injected throughout (the simulated stick, the ANT service, the recorder, the replay's pacing).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AntService } from '../../../src/main/ant/antService';
import { SimAntBus } from '../../../src/main/ant/sim/simBus';
import { SimAntStick } from '../../../src/main/ant/sim/simStick';
import { SampleHub } from '../../../src/main/hub';
import { RecordingService } from '../../../src/main/recording/service';
import { createReplay } from '../../../src/main/replay/startReplay';
import type { DeviceInit } from '../../../src/main/devices';
import type { Sample } from '../../../src/shared/sample';
import { runFor, steadyDevice, testClock } from '../ant/harness';
import { antRawFrameTap } from '../../../src/main/recording/antRawFrames';

const BASE_MS = 1_700_000_000_000;
const RECORD_MS = 60_000; // the strap sends battery page 7 every ~48 s

interface Recorded {
  readonly sessionDir: string;
  readonly live: Sample[];
}

async function recordSession(): Promise<Recorded> {
  const clock = testClock(BASE_MS);
  const dataDir = mkdtempSync(join(tmpdir(), 'sr-antrec-'));
  const hub = new SampleHub({ now: clock.now });
  const recording = new RecordingService({ dataDir, hub, now: clock.now });
  const started = await recording.start({ subjectId: '01', sessionId: 'antreplay' });
  expect(started.ok).toBe(true);

  const bus = new SimAntBus();
  const sim = new SimAntStick({ key: 'rec' });
  sim.addDevice(steadyDevice('hr', 4321, { heartRate: 128, batteryPct: 77 }, [[20_000, 23_000]]));
  sim.addDevice(steadyDevice('power', 2001, { power: 240, cadence: 92 }, [], { powerMode: 'crankTorque' }));
  sim.addDevice(steadyDevice('csc', 2002, { speedMps: 9, cadence: 88 }));
  sim.addDevice(steadyDevice('rsc', 2004, { speedMps: 3.2, stepCadence: 168 }));
  sim.addDevice(steadyDevice('bike', 2003, { power: 180, cadence: 85, speedMps: 8.5, heartRate: 131 }));
  bus.plug(sim);
  const live: Sample[] = [];
  const service = new AntService({
    bus,
    now: clock.now,
    sink: {
      push: (s) => {
        live.push({ ...s });
        hub.push(s);
      },
    },
    // as the host records it: every data message with its reception time
    onDataFrame: antRawFrameTap(recording),
  });
  await service.start();
  await runFor(clock, RECORD_MS, (t) => bus.advanceTo(t - BASE_MS));
  await service.stop();
  hub.tick(clock.t + 1000);
  const stopped = recording.stop();
  if (!stopped.ok) throw new Error(stopped.message);
  return { sessionDir: join(dataDir, 'sessions', stopped.value.base), live };
}

async function replay(sessionDir: string, speed: number): Promise<{ samples: Sample[]; devices: DeviceInit[]; startMs: number; antMessages: number }> {
  let t = 5_000_000_000_000;
  const startMs = t;
  const samples: Sample[] = [];
  const devices: DeviceInit[] = [];
  const running = await createReplay({
    sessionDir,
    speed,
    sink: { push: (s) => void samples.push(s) },
    registry: { upsert: (d) => void devices.push(d), setStatus: () => undefined },
    now: () => t,
    wait: async (ms) => {
      t += ms;
      await new Promise((r) => setImmediate(r));
    },
  });
  if (!running.ok) throw new Error(running.message);
  const stats = await running.value.done;
  expect(stats).toMatchObject({ badRecords: 0, antUndelivered: 0, isStopped: false });
  return { samples, devices, startMs, antMessages: stats.ant };
}

/** What a sample says, apart from when it was received. */
function content(s: Sample): string {
  return JSON.stringify([s.deviceId, s.metric, s.value, s.timing ?? null]);
}

describe('replay of a recorded ANT+ session through the replay stick', () => {
  it('reproduces every sample of every metric of HR, power, speed/cadence, stride and FE devices at speed 1 and 10', async () => {
    const { sessionDir, live } = await recordSession();
    const metrics = new Set(live.map((s) => `${s.deviceId} ${s.metric}`));
    for (const m of [
      'ant:120:4321 heartRate',
      'ant:120:4321 rrInterval',
      'ant:120:4321 battery',
      'ant:120:4321 rssi',
      'ant:11:2001 power',
      'ant:11:2001 cadence',
      'ant:121:2002 speed',
      'ant:121:2002 cadence',
      'ant:121:2002 distance',
      'ant:124:2004 speed',
      'ant:124:2004 stepCadence',
      'ant:124:2004 distance',
      'ant:17:2003 power',
      'ant:17:2003 speed',
      'ant:17:2003 distance',
      'ant:17:2003 heartRate',
    ]) {
      expect(metrics, m).toContain(m);
    }
    const firstT = Math.min(...live.map((s) => s.tMs));
    for (const speed of [1, 10]) {
      const r = await replay(sessionDir, speed);
      expect(r.samples.map(content)).toEqual(live.map(content));
      // times follow the recording's clock, moved onto the replay's and scaled by the speed
      const replayFirstT = r.samples[0]!.tMs;
      expect(replayFirstT).toBeGreaterThanOrEqual(r.startMs);
      r.samples.forEach((s, i) => expect((s.tMs - replayFirstT) * speed).toBeCloseTo(live[i]!.tMs - firstT, 6));
      expect(new Set(r.devices.map((d) => d.id))).toEqual(new Set(['ant:120:4321', 'ant:11:2001', 'ant:121:2002', 'ant:124:2004', 'ant:17:2003']));
      expect(r.devices.every((d) => d.isSimulated && d.source === 'ant')).toBe(true);
    }
  }, 60_000);
});
