/**
 * RR exactness and replay on the real BLE path: a byte-exact simulated strap → simulated Web
 * Bluetooth → connection manager (shared GATT decoder) → RecordingService (samples + raw bytes) →
 * CSV and FIT exports; then the raw log replayed (src/main/replay, through the shared measurement mapping the
 * manager uses) into a second session. Guards against RR intervals lost, duplicated or rounded anywhere between strap and file.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Decoder, Stream } from '@garmin/fitsdk';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readRecords } from '../../../src/main/recording/reader';
import { readManifestIn } from '../../../src/main/recording/recovery';
import { createReplay } from '../../../src/main/replay/startReplay';
import { RecordingService } from '../../../src/main/recording/service';
import type { SampleRecord } from '../../../src/shared/recording/records';
import type { Result } from '../../../src/shared/errors';
import type { Sample } from '../../../src/shared/sample';
import { rrTicksToMs, type ScenarioDeviceInput } from '../../../src/shared/scenario';
import { FakeHub, tempDataDir } from '../../unit/main/recording/fakes';
import { parseCsv } from './simSession';

/*
 * The BLE modules live in src/renderer and are type-checked by the web tsconfig; this Node test
 * loads them at run time through the shapes below, so the node tsconfig does not pull the
 * renderer (and its DOM types) into its program.
 */
interface BleHarness {
  bluetooth: { addPeripheral(device: unknown): { model: unknown } };
  manager: { addSensor(kind: 'hr'): Promise<Result<string>>; remove(deviceId: string): boolean };
  advance(ms: number): Promise<void>;
}
interface BleModules {
  createHarness(options: {
    manager: { sink: { push(s: Sample): void }; onRaw(deviceId: string, uuid: string, bytes: Uint8Array, tMs: number): void };
  }): BleHarness;
  simDevice(input: ScenarioDeviceInput): unknown;
}
async function loadBle(): Promise<BleModules> {
  const at = (p: string): string => ['..', '..', ...p.split('/')].join('/');
  const harness = (await import(/* @vite-ignore */ at('unit/renderer/ble/harness'))) as Pick<BleModules, 'createHarness' | 'simDevice'>;
  return harness;
}

afterEach(() => {
  vi.useRealTimers();
});

async function samplesOf(dir: string): Promise<SampleRecord[]> {
  const m = readManifestIn(dir);
  if (!m.ok) throw new Error(m.message);
  const out: SampleRecord[] = [];
  await readRecords(join(dir, m.value.files.records), (r) => {
    if (r.k === 's') out.push(r);
  });
  return out;
}

describe('BLE strap → recording → exports → replay', () => {
  it('strap RR = recorded RR = CSV RR = FIT HRV RR, and the raw log replays to the same samples', async () => {
    const { createHarness, simDevice } = await loadBle();
    vi.useFakeTimers({ now: 1_790_000_000_000 });
    const hub = new FakeHub();
    const svc = new RecordingService({ dataDir: tempDataDir('ble'), hub, now: () => Date.now() });
    const h = createHarness({
      manager: {
        sink: { push: (s) => hub.release([s]) },
        onRaw: (deviceId, uuid, bytes, tMs) => svc.recordRaw({ tMs, deviceId, transport: 'ble', characteristic: uuid, bytes }),
      },
    });
    const strap = h.bluetooth.addPeripheral(
      simDevice({ id: 'strap', name: 'Sim strap', kind: 'hr', metrics: { heartRate: { type: 'sine', mean: 115, amplitude: 60, periodS: 60 } } }),
    );
    const started = await svc.start({ subjectId: 'ble', sessionId: 'rr' });
    if (!started.ok) throw new Error(started.message);
    const added = await h.manager.addSensor('hr');
    if (!added.ok) throw new Error(added.message);
    await h.advance(120_000);
    svc.stop();
    h.manager.remove(added.value);
    vi.useRealTimers();

    const strapRrMs = (strap.model as { sentRrTicks: number[] }).sentRrTicks.map(rrTicksToMs);
    expect(strapRrMs.length).toBeGreaterThan(150);
    const dir1 = svc.sessionDir(started.value.sessionId!);
    if (!dir1.ok) throw new Error(dir1.message);
    const recorded = await samplesOf(dir1.value);
    const recordedRr = recorded.filter((r) => r.m === 'rrInterval');
    expect(recordedRr.map((r) => r.v)).toEqual(strapRrMs);
    expect(recordedRr.map((r) => r.ti?.eventTicks)).toEqual((strap.model as { sentRrTicks: number[] }).sentRrTicks);

    const exported = await svc.export(started.value.sessionId!);
    if (!exported.ok) throw new Error(exported.message);
    const file = (suffix: string): string => exported.value.files.find((f) => f.endsWith(suffix))!;
    const long = parseCsv(readFileSync(file('_samples-long.csv'), 'utf8'));
    const col = (n: string): number => long.header.indexOf(n);
    expect(long.rows.filter((r) => r[col('metric')] === 'rrInterval').map((r) => Number(r[col('value')]))).toEqual(strapRrMs);
    const decoder = new Decoder(Stream.fromBuffer(readFileSync(file('_part-ble_activity.fit'))));
    expect(decoder.checkIntegrity()).toBe(true);
    const fit = decoder.read();
    expect(fit.errors).toEqual([]);
    expect((fit.messages.hrvMesgs ?? []).flatMap((m) => (m.time ?? []) as number[])).toEqual(strapRrMs.map((rr) => Math.round(rr) / 1000));

    // Replay the raw log through the same mapper the connection manager uses, into a second session.
    const second = await svc.start({ subjectId: 'ble', sessionId: 'replay' });
    if (!second.ok) throw new Error(second.message);
    // the replay's own path: the raw log through the shared measurement mapping the connection manager uses
    const replay = await createReplay({
      sessionDir: dir1.value,
      speed: Infinity,
      sink: { push: (s) => hub.release([s]) },
      registry: { upsert: () => undefined, setStatus: () => undefined },
    });
    if (!replay.ok) throw new Error(replay.message);
    expect(await replay.value.done).toMatchObject({ bleUndecoded: 0, badRecords: 0 });
    svc.stop();
    const dir2 = svc.sessionDir(second.value.sessionId!);
    if (!dir2.ok) throw new Error(dir2.message);
    const replayed = await samplesOf(dir2.value);
    const strip = (rs: SampleRecord[]): unknown[] => rs.map((r) => ({ d: r.d, m: r.m, v: r.v, ti: r.ti }));
    expect(strip(replayed)).toEqual(strip(recorded));
  });
});
