/**
 * Regression (issue 13, "The last ~50 ms before Stop is not recorded"): with 40 straps the raw log
 * had 4–7 beats per stop that the samples file did not, because they were still in the hub's
 * reorder window when the session closed. Stop now drains the window into the session first.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SampleHub } from '../../../../src/main/hub';
import { readRecords } from '../../../../src/main/recording/reader';
import { readManifestIn } from '../../../../src/main/recording/recovery';
import { RecordingService } from '../../../../src/main/recording/service';
import type { SessionRecord } from '../../../../src/shared/recording/records';
import { fakeClock, tempDataDir } from './fakes';

describe('Stop of a recording', () => {
  it('keeps every beat received before Stop, including those still in the reorder window', async () => {
    const clock = fakeClock();
    const hub = new SampleHub({ now: clock.now, reorderWindowMs: 50 });
    const svc = new RecordingService({ dataDir: tempDataDir('stop'), hub, now: clock.now, writer: { flushEveryMs: 60_000 } });
    const started = await svc.start({ subjectId: 'P01', sessionId: 'stop' });
    if (!started.ok) throw new Error(started.message);
    const sent: number[] = [];
    // 40 straps, one beat each every 250 ms; the hub is driven by the fake clock
    for (let round = 0; round < 8; round++) {
      for (let strap = 0; strap < 40; strap++) {
        const tMs = clock.advance(round === 7 ? 1 : 6);
        hub.push({ tMs, deviceId: `ant:120:${strap + 1}`, metric: 'rrInterval', value: 800 + strap });
        sent.push(tMs);
      }
      hub.tick(clock.now());
    }
    const stopped = svc.stop(); // the last beats arrived less than the reorder window ago
    if (!stopped.ok) throw new Error(stopped.message);
    const dir = svc.sessionDir(started.value.sessionId!);
    if (!dir.ok) throw new Error(dir.message);
    const manifest = readManifestIn(dir.value);
    if (!manifest.ok) throw new Error(manifest.message);
    const records: SessionRecord[] = [];
    await readRecords(join(dir.value, manifest.value.files.records), (r) => records.push(r));
    const beats = records.filter((r) => r.k === 's');
    expect(beats).toHaveLength(sent.length);
  });
});
