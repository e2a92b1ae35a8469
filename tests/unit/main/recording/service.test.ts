import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRecords } from '../../../../src/main/recording/reader';
import { readManifestIn } from '../../../../src/main/recording/recovery';
import { RecordingService, type RecordingStatus } from '../../../../src/main/recording/service';
import type { SessionRecord } from '../../../../src/shared/recording/records';
import { FakeDevices, FakeHub, fakeClock, tempDataDir } from './fakes';
import { waitFor } from '../../../support/wait';

function setup(): {
  hub: FakeHub;
  devices: FakeDevices;
  clock: ReturnType<typeof fakeClock>;
  svc: RecordingService;
  statuses: RecordingStatus[];
} {
  const clock = fakeClock();
  const hub = new FakeHub();
  const devices = new FakeDevices(clock.now);
  const statuses: RecordingStatus[] = [];
  const svc = new RecordingService({
    dataDir: tempDataDir('svc'),
    hub,
    devices,
    now: clock.now,
    writer: { flushEveryMs: 60_000 },
    onStatus: (s) => statuses.push(s),
  });
  return { hub, devices, clock, svc, statuses };
}

async function recordsOf(svc: RecordingService, sessionId: string): Promise<SessionRecord[]> {
  const dir = svc.sessionDir(sessionId);
  if (!dir.ok) throw new Error(dir.message);
  const manifest = readManifestIn(dir.value);
  if (!manifest.ok) throw new Error(manifest.message);
  const out: SessionRecord[] = [];
  await readRecords(join(dir.value, manifest.value.files.records), (r) => out.push(r));
  return out;
}

describe('RecordingService', () => {
  it('records samples, connection events, markers and clock offsets between start and stop only', async () => {
    const { hub, devices, clock, svc } = setup();
    hub.release([{ tMs: clock.now(), deviceId: 'sim:hr1', metric: 'heartRate', value: 70 }]); // before start: not recorded
    const started = await svc.start({ subjectId: 'P01', sessionId: 'rest' });
    if (!started.ok) throw new Error(started.message);
    const id = started.value.sessionId!;
    expect(id).toMatch(/^sub-P01_ses-rest_\d{8}T\d{6}$/);
    devices.set('sim:hr1', 'live', 'connected');
    hub.release([{ tMs: clock.advance(500), deviceId: 'sim:hr1', metric: 'heartRate', value: 71 }]);
    const marker = svc.marker('eyes closed', 'keyboard');
    expect(marker.ok && marker.value).toMatchObject({ n: 1, label: 'eyes closed', source: 'keyboard' });
    svc.recordClockOffset({ clientId: 'ui-1', offsetMs: 1834.5, rttMs: 12, tMs: clock.advance(100) });
    devices.set('sim:hr1', 'stale', 'no data for heartRate');
    const status = svc.status();
    expect(status).toMatchObject({ isRecording: true, sessionId: id, elapsedMs: 600, sampleCount: 1 });
    expect(status.sizeBytes).toBeGreaterThan(0);
    const stopped = svc.stop();
    expect(stopped.ok && stopped.value).toMatchObject({ state: 'complete', recovered: false, durationMs: 600 });
    hub.release([{ tMs: clock.advance(100), deviceId: 'sim:hr1', metric: 'heartRate', value: 72 }]); // after stop

    const records = await recordsOf(svc, id);
    // `sync` pairs the clocks (for XDF exports): after the header and before the end.
    expect(records.map((r) => r.k)).toEqual(['header', 'sync', 'link', 's', 'marker', 'clock', 'link', 'sync', 'end']);
    expect(records.filter((r) => r.k === 'link').map((r) => r.k === 'link' && r.e)).toEqual(['connected', 'stale']);
    expect(records.find((r) => r.k === 'clock')).toMatchObject({ client: 'ui-1', offsetMs: 1834.5, rttMs: 12 });
    expect(records[0]).toMatchObject({ k: 'header', subjectId: 'P01', participants: [{ id: 'P01', deviceIds: [] }] });
  });

  it('refuses a second start and markers while idle, with codes', async () => {
    const { svc } = setup();
    expect(svc.marker('x')).toMatchObject({ ok: false, code: 'REC_NOT_RECORDING' });
    expect(svc.stop()).toMatchObject({ ok: false, code: 'REC_NOT_RECORDING' });
    await svc.start({ subjectId: 'a', sessionId: 'b' });
    expect(await svc.start({ subjectId: 'a', sessionId: 'c' })).toMatchObject({ ok: false, code: 'REC_ALREADY_RECORDING' });
  });

  it('lists missing required sensors and starts only when told to start anyway', async () => {
    const { devices, svc } = setup();
    devices.set('ant:120:1', 'live');
    devices.set('ble:strap', 'stale');
    expect(svc.checklist(['ant:120:1', 'ble:strap', 'ant:11:9'])).toEqual({
      required: ['ant:120:1', 'ble:strap', 'ant:11:9'],
      missing: ['ble:strap', 'ant:11:9'],
      isReady: false,
    });
    const refused = await svc.start({ subjectId: 'a', sessionId: 'b', requiredDeviceIds: ['ble:strap'] });
    expect(refused).toMatchObject({ ok: false, code: 'REC_MISSING_SENSORS' });
    expect(!refused.ok && refused.message).toContain('ble:strap');
    const anyway = await svc.start({ subjectId: 'a', sessionId: 'b', requiredDeviceIds: ['ble:strap'], isStartAnyway: true });
    expect(anyway.ok).toBe(true);
    const [summary] = svc.list();
    const dir = svc.sessionDir(summary!.id);
    expect(dir.ok).toBe(true);
    svc.stop();
    const records = await recordsOf(svc, summary!.id);
    expect(records[0]).toMatchObject({ requiredDeviceIds: ['ble:strap'], missingAtStart: ['ble:strap'] });
  });

  it('auto-starts when the last required sensor goes live', async () => {
    const { devices, svc, statuses } = setup();
    const armed = await svc.armAutoStart({ subjectId: 'a', sessionId: 'b', requiredDeviceIds: ['ant:120:1', 'ble:x'] });
    expect(armed.ok && armed.value).toMatchObject({ isRecording: false, autoStartWaitingFor: ['ant:120:1', 'ble:x'] });
    devices.set('ant:120:1', 'live');
    await Promise.resolve();
    expect(svc.status().isRecording).toBe(false);
    devices.set('ble:x', 'live');
    await waitFor(() => svc.status().isRecording, 'the armed session to start');
    expect(svc.status()).toMatchObject({ isRecording: true, autoStartWaitingFor: null });
    expect(statuses.some((s) => s.isRecording)).toBe(true);
  });

  it('logs raw transport messages to the separate raw file', async () => {
    const { svc, clock } = setup();
    const started = await svc.start({ subjectId: 'a', sessionId: 'b' });
    svc.recordRaw({ tMs: clock.now(), deviceId: 'ble:x', transport: 'ble', characteristic: '2a37', bytes: new Uint8Array([0x10, 0x48]) });
    svc.recordRaw({ tMs: clock.now(), deviceId: 'ant:120:1', transport: 'ant', channel: 0, bytes: new Uint8Array([0xa4, 0x09]) });
    const manifest = svc.stop();
    expect(manifest.ok && manifest.value.counts.raw).toBe(2);
    const dir = svc.sessionDir(started.ok ? started.value.sessionId! : '');
    if (!dir.ok || !manifest.ok) throw new Error('no session');
    const raw = readFileSync(join(dir.value, manifest.value.files.raw), 'utf8');
    expect(raw).toContain('"tr":"ble","b":"1048","ch":"2a37"');
    expect(raw).toContain('"tr":"ant","b":"a409","chan":0');
  });

  it('lists sessions newest first with participants, duration, size and the recovered flag', async () => {
    const { svc, clock } = setup();
    await svc.start({ subjectId: 'a', sessionId: '1', participants: [{ id: 'anna', deviceIds: ['x'] }, { id: 'ben', deviceIds: [] }] });
    clock.advance(3000);
    svc.stop();
    clock.advance(60_000);
    await svc.start({ subjectId: 'a', sessionId: '2' });
    clock.advance(1000);
    const list = svc.list();
    expect(list.map((s) => s.sessionId)).toEqual(['2', '1']);
    expect(list[1]).toMatchObject({ participants: ['anna', 'ben'], durationMs: 3000, recovered: false, state: 'complete' });
    expect(list[0]).toMatchObject({ state: 'recording', durationMs: 1000 });
    expect(list[1]!.sizeBytes).toBeGreaterThan(0);
  });

  it('writes the state of every known device at start, so a session opens with who was connected', async () => {
    const { devices, svc } = setup();
    devices.set('ant:120:1', 'live');
    devices.set('ble:x', 'reconnecting');
    const started = await svc.start({ subjectId: 'a', sessionId: 'b' });
    svc.stop();
    const records = await recordsOf(svc, started.ok ? started.value.sessionId! : '');
    expect(records.filter((r) => r.k === 'link')).toMatchObject([
      { d: 'ant:120:1', e: 'connected', reason: 'state at start' },
      { d: 'ble:x', e: 'reconnecting', reason: 'state at start' },
    ]);
  });

  it('keeps device timing as received: unknown timing fields survive, NaN fields are left out', async () => {
    const { hub, clock, svc } = setup();
    const started = await svc.start({ subjectId: 'a', sessionId: 'b' });
    const timing = { eventTicks: 1234, ticksPerSecond: 2048, eventCount: NaN, wheelRevs: 77 } as unknown as { eventTicks: number };
    hub.release([{ tMs: clock.advance(10), deviceId: 'ble:cp', metric: 'power', value: 250, timing }]);
    svc.stop();
    const records = await recordsOf(svc, started.ok ? started.value.sessionId! : '');
    expect(records.find((r) => r.k === 's')).toMatchObject({ ti: { eventTicks: 1234, ticksPerSecond: 2048, wheelRevs: 77 } });
    expect(JSON.stringify(records.find((r) => r.k === 's'))).not.toContain('eventCount');
  });

  it('rejects session ids that could escape the sessions folder', () => {
    const { svc } = setup();
    expect(svc.sessionDir('../../etc')).toMatchObject({ ok: false, code: 'REC_UNKNOWN_SESSION' });
  });
});
