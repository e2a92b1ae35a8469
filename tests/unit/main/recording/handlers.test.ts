import { describe, expect, it } from 'vitest';
import { recordingCommands, recordingEvents } from '../../../../src/shared/contract/recording';
import { CommandError } from '../../../../src/main/contract/server';
import { recordingHandlers } from '../../../../src/main/recording/handlers';
import { RecordingService } from '../../../../src/main/recording/service';
import { FakeDevices, FakeHub, fakeClock, tempDataDir } from './fakes';

function setup(): { handlers: ReturnType<typeof recordingHandlers>; devices: FakeDevices; progress: { sessionId: string; fraction: number }[] } {
  const clock = fakeClock();
  const devices = new FakeDevices(clock.now);
  const svc = new RecordingService({ dataDir: tempDataDir('handlers'), hub: new FakeHub(), devices, now: clock.now });
  const progress: { sessionId: string; fraction: number }[] = [];
  return { handlers: recordingHandlers(svc, (sessionId, fraction) => progress.push({ sessionId, fraction })), devices, progress };
}

const ctx = { clientId: 'ui-1' };

describe('recording contract handlers', () => {
  it('start → marker → stop → export, with results that pass the contract schemas', async () => {
    const { handlers, progress } = setup();
    const args = recordingCommands['recording.start'].args.parse({ subjectId: ' P01 ', sessionId: 'ride' });
    const status = await handlers['recording.start'](args, ctx);
    expect(recordingCommands['recording.start'].result.parse(status)).toMatchObject({ isRecording: true });
    const marker = await handlers['recording.marker']({ label: 'interval 1' }, ctx);
    expect(marker).toMatchObject({ n: 1, label: 'interval 1', source: 'ui' });
    const stopped = await handlers['recording.stop']({}, ctx);
    expect(recordingCommands['recording.stop'].result.parse(stopped)).toMatchObject({ subjectId: 'P01', markerCount: 1 });
    const list = await handlers['recording.list']({}, ctx);
    expect(list.map((s) => s.id)).toEqual([status.sessionId]);
    const exported = await handlers['recording.export']({ sessionId: stopped.id, formats: ['csv-long', 'manifest'] }, ctx);
    expect(recordingCommands['recording.export'].result.parse(exported).files).toHaveLength(3);
    // The progress the handler reported (not a literal built here) is valid event payload, for this
    // session, rising to 1.
    expect(progress.length).toBeGreaterThan(0);
    for (const p of progress) expect(recordingEvents.recordingExportProgress.safeParse(p).success).toBe(true);
    expect(new Set(progress.map((p) => p.sessionId))).toEqual(new Set([stopped.id]));
    const fractions = progress.map((p) => p.fraction);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
    expect(fractions.at(-1)).toBe(1);
  });

  it('fails with REC_MISSING_SENSORS naming the sensor, and arms auto-start when asked', async () => {
    const { handlers } = setup();
    const call = handlers['recording.start']({ subjectId: 'a', sessionId: 'b', requiredDeviceIds: ['ant:120:9'] }, ctx);
    await expect(call).rejects.toBeInstanceOf(CommandError);
    await expect(call).rejects.toMatchObject({ code: 'REC_MISSING_SENSORS', message: expect.stringContaining('ant:120:9') });
    const armed = await handlers['recording.start'](
      { subjectId: 'a', sessionId: 'b', requiredDeviceIds: ['ant:120:9'], isAutoStart: true },
      ctx,
    );
    expect(armed).toMatchObject({ isRecording: false, autoStartWaitingFor: ['ant:120:9'] });
  });

  it('rejects bad arguments at the boundary: empty marker labels and path-like session ids', () => {
    expect(recordingCommands['recording.marker'].args.safeParse({ label: '   ' }).success).toBe(false);
    expect(recordingCommands['recording.export'].args.safeParse({ sessionId: '../x' }).success).toBe(false);
  });

  it('a long export keeps reporting progress while it writes each participant’s files (it sat at 90 % for seconds)', async () => {
    const { handlers, progress } = setup();
    const participants = ['a', 'b', 'c', 'd'].map((id) => ({ id, deviceIds: [`ant:120:${id.charCodeAt(0)}`] }));
    await handlers['recording.start']({ subjectId: 'gym', sessionId: '01', participants }, ctx);
    const stopped = await handlers['recording.stop']({}, ctx);
    await handlers['recording.export']({ sessionId: stopped.id, formats: ['csv-wide', 'fit'] }, ctx);
    const fractions = progress.map((p) => p.fraction);
    const writing = fractions.filter((f) => f >= 0.9 && f < 1).map((f) => Math.round(f * 1000) / 1000);
    expect([...new Set(writing)]).toEqual([0.9, 0.925, 0.95, 0.975]);
    expect(fractions.at(-1)).toBe(1);
  });
});
