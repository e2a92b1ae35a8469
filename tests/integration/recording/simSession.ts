/**
 * Records a simulated session through the real parts — scenario simulator, sample hub, device
 * registry and RecordingService — on a fake clock, and keeps the simulator's output as ground truth.
 */
import { DeviceRegistry } from '../../../src/main/devices';
import { SampleHub } from '../../../src/main/hub';
import { RecordingService } from '../../../src/main/recording/service';
import type { SessionManifest } from '../../../src/shared/recording/manifest';
import type { SessionParticipant } from '../../../src/shared/recording/records';
import type { Sample } from '../../../src/shared/sample';
import { parseScenario, type ScenarioInput } from '../../../src/shared/scenario';
import { SimSource } from '../../../src/main/sim/simSource';
import { fakeClock, tempDataDir } from '../../unit/main/recording/fakes';

/** Start of the fake clock (epoch ms). */
const FAKE_EPOCH_MS = Date.UTC(2026, 10, 25, 9, 30, 0, 250);

/** A recorded simulated session. */
export interface SimSession {
  readonly svc: RecordingService;
  readonly sessionId: string;
  readonly sessionDir: string;
  readonly manifest: SessionManifest;
  /** Every sample the simulated devices produced (what the sensors "sent"). */
  readonly truth: readonly Sample[];
  readonly startMs: number;
  /** When the simulator was loaded (its devices' time zero: simulated beat ticks count from here). */
  readonly simStartMs: number;
}

/** Run `scenario` for `durationS` seconds of fake time while recording. */
export async function recordSimulated(
  input: ScenarioInput,
  durationS: number,
  participants?: SessionParticipant[],
  /** Called after every 50 ms step with the elapsed fake time (markers, clock offsets, samples of other sources, …). */
  onStep?: (step: { elapsedMs: number; nowMs: number; svc: RecordingService; hub: SampleHub }) => void,
): Promise<SimSession> {
  const parsed = parseScenario(input);
  if (!parsed.ok) throw new Error(parsed.message);
  const clock = fakeClock(FAKE_EPOCH_MS);
  const hub = new SampleHub({ now: clock.now });
  const registry = new DeviceRegistry(clock.now);
  const truth: Sample[] = [];
  const sim = new SimSource({ sink: { push: (s) => (truth.push(s), hub.push(s)) }, registry, now: clock.now });
  // The host's wiring of hub → registry (last seen, live/stale), as in src/main/host.ts.
  hub.subscribe((batch) => registry.noteSamples(batch));
  hub.onDeviceEvent((e) => {
    if (e.type === 'stale' && hub.isDeviceStale(e.deviceId)) registry.setStatus(e.deviceId, 'stale', `no data for ${e.metric}`);
  });
  const svc = new RecordingService({
    dataDir: tempDataDir('sim'),
    hub,
    devices: registry,
    now: clock.now,
    // A monotonic clock in step with the fake clock (as process.hrtime is with the host's real clock).
    hrtimeNs: () => 5_000_000_000_000n + BigInt(Math.round((clock.now() - FAKE_EPOCH_MS) * 1e6)),
    writer: { flushEveryMs: 60_000 },
  });
  sim.load(parsed.value);
  const started = await svc.start({ subjectId: 'sim', sessionId: '1', participants });
  if (!started.ok) throw new Error(started.message);
  const startMs = clock.now();
  sim.tick();
  for (let t = 0; t < durationS * 1000; t += 50) {
    clock.advance(50);
    sim.tick();
    hub.tick();
    onStep?.({ elapsedMs: t + 50, nowMs: clock.now(), svc, hub });
  }
  hub.stop();
  const stopped = svc.stop();
  if (!stopped.ok) throw new Error(stopped.message);
  const sessionId = started.value.sessionId!;
  const dir = svc.sessionDir(sessionId);
  if (!dir.ok) throw new Error(dir.message);
  return { svc, sessionId, sessionDir: dir.value, manifest: stopped.value, truth, startMs, simStartMs: FAKE_EPOCH_MS };
}

/** Parse a CSV written by the exports (no quoted fields in these tests) into header and rows. */
export function parseCsv(text: string): { header: string[]; rows: string[][] } {
  const lines = text.trimEnd().split('\n');
  return { header: lines[0]!.split(','), rows: lines.slice(1).map((l) => l.split(',')) };
}
