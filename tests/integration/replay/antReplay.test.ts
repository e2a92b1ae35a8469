/**
 * `--replay`: a session recorded from a simulated ANT+ strap (real driver, library and adapter on a
 * byte-level simulated stick) is replayed from its raw transport log into a second host; the
 * replayed heart rate and RR intervals equal the recorded ones, device timing included.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createHost } from '../../../src/main/host';
import { startReplay } from '../../../src/main/replay/replaySession';
import type { Sample } from '../../../src/shared/sample';
import { parseScenario } from '../../../src/shared/scenario';
import { waitFor } from '../../support/wait';

const scenario = parseScenario({
  name: 'ant-one',
  devices: [
    { id: 'hr', name: 'Strap', kind: 'hr', transport: 'ant', antDeviceNumber: 4321, metrics: { heartRate: { type: 'sine', mean: 130, amplitude: 20, periodS: 6 } } },
  ],
});

function pick(samples: readonly Sample[], metric: string): { value: number; ticks?: number; count?: number }[] {
  return samples
    .filter((s) => s.deviceId === 'ant:120:4321' && s.metric === metric)
    .map((s) => ({ value: s.value, ticks: s.timing?.eventTicks, count: s.timing?.eventCount }));
}

describe('replay of a recorded ANT+ session', () => {
  it('replays the raw log into the same heart rate and RR intervals', async () => {
    if (!scenario.ok) throw new Error(scenario.message);
    const recorder = createHost({ mode: 'headless', dataDir: mkdtempSync(join(tmpdir(), 'sr-rec-')), scenario: scenario.value, isAntUsbEnabled: false });
    const recorded: Sample[] = [];
    let beatsBeforeRecording = 0;
    const countBeats = recorder.hub.subscribe((b) => {
      for (const s of b) if (s.deviceId === 'ant:120:4321' && s.metric === 'rrInterval') beatsBeforeRecording++;
    });
    await recorder.start();
    await waitFor(() => beatsBeforeRecording > 0, 'the stick to start and the first beat', 20_000); // conditions, not durations
    countBeats();
    const started = await recorder.recording.start({ subjectId: '01', sessionId: 'replay' });
    expect(started.ok).toBe(true);
    const unsubscribe = recorder.hub.subscribe((b) => recorded.push(...b));
    await waitFor(() => pick(recorded, 'rrInterval').length >= 8 && pick(recorded, 'heartRate').length >= 8, 'eight recorded beats', 30_000);
    unsubscribe();
    const stopped = recorder.recording.stop();
    expect(stopped.ok).toBe(true);
    await recorder.stop();
    const base = stopped.ok ? stopped.value.base : '';

    const player = createHost({ mode: 'headless', dataDir: mkdtempSync(join(tmpdir(), 'sr-play-')), isAntUsbEnabled: false });
    await player.start();
    const replayed: Sample[] = [];
    player.hub.subscribe((b) => replayed.push(...b));
    const replay = await startReplay(player, join(recorder.options.dataDir, 'sessions', base), Infinity);
    if (!replay.ok) throw new Error(replay.message);
    await replay.value.done;
    await player.stop();

    const rrRecorded = pick(recorded, 'rrInterval');
    const rrReplayed = pick(replayed, 'rrInterval');
    expect(rrRecorded.length).toBeGreaterThan(5);
    // the replay needs the session's first frame to prime its beat state, so it may have one interval less
    expect(rrReplayed.length).toBeGreaterThanOrEqual(rrRecorded.length - 1);
    expect(rrReplayed).toEqual(rrRecorded.slice(rrRecorded.length - rrReplayed.length));
    const hrRecorded = pick(recorded, 'heartRate');
    const hrReplayed = pick(replayed, 'heartRate');
    expect(hrReplayed.length).toBeGreaterThanOrEqual(hrRecorded.length - 1);
    const k = Math.min(hrRecorded.length, hrReplayed.length);
    expect(hrReplayed.slice(hrReplayed.length - k)).toEqual(hrRecorded.slice(hrRecorded.length - k));
    expect(player.devices.get('ant:120:4321')).toMatchObject({ kind: 'hr', source: 'ant', isSimulated: true });
  }, 60_000);
});
