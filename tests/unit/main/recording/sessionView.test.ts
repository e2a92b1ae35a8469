/**
 * `recording.view`: a recorded session read back through the recording reader for the session
 * view — dropouts as gaps, missed beats, markers, link events, per-device summary, live sessions
 * read on incrementally, and names checked at the boundary.
 */
import { appendFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { recordingHandlers } from '../../../../src/main/recording/handlers';
import { RecordingService } from '../../../../src/main/recording/service';
import { recordingCommands } from '../../../../src/shared/contract/recording';
import type { Sample } from '../../../../src/shared/sample';
import { FakeDevices, FakeHub, fakeClock, tempDataDir } from './fakes';

const ctx = { clientId: 'ui-1' };

function setup(): { svc: RecordingService; hub: FakeHub; devices: FakeDevices; clock: ReturnType<typeof fakeClock>; handlers: ReturnType<typeof recordingHandlers> } {
  const clock = fakeClock();
  const hub = new FakeHub();
  const devices = new FakeDevices(clock.now);
  const svc = new RecordingService({ dataDir: tempDataDir('view'), hub, devices, now: clock.now });
  return { svc, hub, devices, clock, handlers: recordingHandlers(svc) };
}

/** One second of a strap: HR and one RR with the strap's beat counter. */
function strapSecond(t: number, beat: number): Sample[] {
  return [
    { tMs: t, deviceId: 'ant:120:7', metric: 'heartRate', value: 75 },
    { tMs: t + 1, deviceId: 'ant:120:7', metric: 'rrInterval', value: 800, timing: { eventTicks: 0, ticksPerSecond: 1024, eventCount: beat % 256 } },
  ];
}

const view = (args: unknown): ReturnType<typeof recordingCommands['recording.view']['args']['parse']> => recordingCommands['recording.view'].args.parse(args);

describe('recording.view', () => {
  it('draws a recorded session: the dropout as a gap, missed beats, the marker, link events and the per-device summary', async () => {
    const { hub, devices, clock, handlers } = setup();
    devices.set('ant:120:7', 'live');
    const status = await handlers['recording.start']({ subjectId: 'P01', sessionId: '01' }, ctx);
    const t0 = status.startMs!;
    let beat = 0;
    for (let s = 0; s < 20; s++) hub.release(strapSecond(t0 + s * 1000 + 100, beat++));
    clock.advance(20_000);
    devices.set('ant:120:7', 'stale', 'no data for heartRate');
    beat += 12; // twelve beats during a 12 s dropout never arrive
    for (let s = 32; s < 40; s++) hub.release(strapSecond(t0 + s * 1000 + 100, beat++));
    clock.advance(12_000);
    devices.set('ant:120:7', 'live', 'reconnected');
    await handlers['recording.marker']({ label: 'back on the bike' }, ctx);
    clock.advance(8_000);
    const stopped = await handlers['recording.stop']({}, ctx);

    const v = await handlers['recording.view'](view({ sessionId: stopped.id }), ctx);
    expect(recordingCommands['recording.view'].result.parse(v)).toBeTruthy();
    expect(v).toMatchObject({ subjectId: 'P01', sessionLabel: '01', state: 'complete', recovered: false, isLive: false, badLines: 0 });
    const hr = v.series.find((s) => s.metric === 'heartRate')!;
    expect(hr.isDecimated).toBe(false);
    const gapAt = hr.values.indexOf(null);
    expect(gapAt).toBeGreaterThan(0);
    expect(hr.tMs[gapAt]).toBeGreaterThan(19_100);
    expect(hr.tMs[gapAt]).toBeLessThan(32_100);
    expect(hr.values.filter((x) => x !== null)).toHaveLength(28);
    expect(v.missedBeats).toEqual([{ deviceId: 'ant:120:7', tMs: [32_101], rrMs: [800], missedBeats: [12] }]);
    expect(v.markers).toEqual([{ n: 1, tMs: 32_000, label: 'back on the bike', source: 'ui' }]);
    expect(v.links.map((l) => [l.event, l.tMs])).toEqual([
      ['connected', 0],
      ['stale', 20_000],
      ['reconnected', 32_000],
    ]);
    expect(v.devices).toEqual([
      expect.objectContaining({ deviceId: 'ant:120:7', participantId: 'P01', samples: 56, rrIntervals: 28, missedBeats: 12, dropouts: 1, linkEvents: 3 }),
    ]);
    expect(v.devices[0]!.dropoutMs).toBeCloseTo(12_999, 3); // last RR at 19.101 s, next HR at 32.1 s
  });

  it('a live session is read on incrementally: each call returns what was recorded since', async () => {
    const { hub, clock, handlers } = setup();
    const status = await handlers['recording.start']({ subjectId: 'P02', sessionId: '03' }, ctx);
    const t0 = status.startMs!;
    for (let s = 0; s < 5; s++) hub.release(strapSecond(t0 + s * 1000, s));
    clock.advance(5000);
    const first = await handlers['recording.view'](view({ sessionId: status.sessionId }), ctx);
    expect(first.isLive).toBe(true);
    expect(first.devices[0]!.samples).toBe(10);
    for (let s = 5; s < 9; s++) hub.release(strapSecond(t0 + s * 1000, s));
    const second = await handlers['recording.view'](view({ sessionId: status.sessionId }), ctx);
    expect(second.devices[0]!.samples).toBe(18);
    expect(second.durationMs).toBeGreaterThan(first.durationMs);
    await handlers['recording.stop']({}, ctx);
  });

  it('whole hour decimated, a zoomed minute exact; damaged lines counted; bad names refused', async () => {
    const { svc, hub, clock, handlers } = setup();
    const status = await handlers['recording.start']({ subjectId: 'P03', sessionId: '01' }, ctx);
    const t0 = status.startMs!;
    const batch: Sample[] = [];
    for (let i = 0; i < 4 * 3600; i++) batch.push({ tMs: t0 + i * 250, deviceId: 'ble:power', metric: 'power', value: 200 + (i % 50) });
    hub.release(batch);
    clock.advance(3600_000);
    const stopped = await handlers['recording.stop']({}, ctx);
    const dir = svc.sessionDir(stopped.id);
    if (!dir.ok) throw new Error(dir.message);
    const file = readdirSync(dir.value).find((f) => f.endsWith('_recording.jsonl'))!;
    appendFileSync(join(dir.value, file), '{"k":"s","t":1}\t00000000\n');

    const whole = await handlers['recording.view'](view({ sessionId: stopped.id, buckets: 800 }), ctx);
    const power = whole.series.find((s) => s.metric === 'power')!;
    expect(power.isDecimated).toBe(true);
    expect(power.tMs.length).toBeLessThanOrEqual(2 * 802);
    expect(whole.badLines).toBe(1);
    const zoomed = await handlers['recording.view'](view({ sessionId: stopped.id, fromMs: 600_000, toMs: 660_000, buckets: 800 }), ctx);
    const exact = zoomed.series.find((s) => s.metric === 'power')!;
    expect(exact.isDecimated).toBe(false);
    expect(exact.values).toHaveLength(241 + 2);
    expect(zoomed).toMatchObject({ fromMs: 600_000, toMs: 660_000 });

    expect(recordingCommands['recording.view'].args.safeParse({ sessionId: '../../etc' }).success).toBe(false);
    await expect(handlers['recording.view'](view({ sessionId: 'sub-x_ses-y_20260101T000000' }), ctx)).rejects.toMatchObject({ code: 'REC_UNKNOWN_SESSION' });
  });

  it('opening the folder is refused with a sentence in web mode and uses the desktop opener when there is one', async () => {
    const { svc, handlers } = setup();
    await handlers['recording.start']({ subjectId: 'P04', sessionId: '01' }, ctx);
    const stopped = await handlers['recording.stop']({}, ctx);
    await expect(handlers['recording.openFolder']({ sessionId: stopped.id }, ctx)).rejects.toMatchObject({
      code: 'REC_OPEN_FOLDER_UNAVAILABLE',
      message: expect.stringContaining(stopped.id),
    });
    const opened: string[] = [];
    svc.setFolderOpener(async (d) => {
      opened.push(d);
      return '';
    });
    const r = await handlers['recording.openFolder']({ sessionId: stopped.id }, ctx);
    expect(opened).toEqual([r.path]);
    svc.setFolderOpener(async () => 'no file manager');
    await expect(handlers['recording.openFolder']({ sessionId: stopped.id }, ctx)).rejects.toMatchObject({ code: 'REC_OPEN_FOLDER_FAILED' });
  });

  it('a session recovered after a crash opens with its data and the recovered flag', async () => {
    const clock = fakeClock();
    const dataDir = tempDataDir('view-recovered');
    const hub = new FakeHub();
    const crashed = new RecordingService({ dataDir, hub, now: clock.now });
    const started = await crashed.start({ subjectId: 'P05', sessionId: '02' });
    if (!started.ok) throw new Error(started.message);
    for (let s = 0; s < 6; s++) hub.release(strapSecond(started.value.startMs! + s * 1000, s));
    crashed.sessionForReading(started.value.sessionId!); // flushes, as the recorder does every 0.5 s; then the host dies
    const next = new RecordingService({ dataDir, hub: new FakeHub(), now: clock.now });
    await next.recoverUnfinished();
    const v = await recordingHandlers(next)['recording.view'](view({ sessionId: started.value.sessionId }), ctx);
    expect(v).toMatchObject({ recovered: true, state: 'complete', isLive: false });
    expect(v.devices[0]).toMatchObject({ deviceId: 'ant:120:7', samples: 12 });
  });
});
