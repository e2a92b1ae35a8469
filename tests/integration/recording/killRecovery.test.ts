/**
 * Crash safety with a real process kill: a child records a generated stream through the
 * RecordingService; the test SIGKILLs it mid-recording and recovers the session like the next
 * host start would. Guards against: sessions lost or unreadable after a crash, torn last records,
 * and losing more than the last second.
 */
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readRecords } from '../../../src/main/recording/reader';
import { RecordingService } from '../../../src/main/recording/service';
import { killAndConfirmGone, spawnNode, stopChild } from '../../support/processes';
import { FakeHub, tempDataDir } from '../../unit/main/recording/fakes';

const children: ChildProcess[] = [];
afterEach(async () => {
  for (const c of children.splice(0)) await stopChild(c, 0);
});

interface Pushed {
  index: number;
  tMs: number;
}

/**
 * Run the child (one Node process: `node --import tsx recordChild.ts`) until it has recorded for
 * `recordMs` of its own clock, then SIGKILL it and prove it is gone; returns the last pushed sample seen.
 */
async function recordThenKill(dataDir: string, recordMs: number): Promise<{ sessionId: string; last: Pushed }> {
  const child = spawnNode(join(import.meta.dirname, 'fixtures', 'recordChild.ts'), [dataDir]);
  children.push(child);
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const seen = await new Promise<{ sessionId: string; last: Pushed }>((resolve, reject) => {
    let sessionId = '';
    let first: Pushed | null = null;
    let carry = '';
    const onData = (d: Buffer): void => {
      const lines = (carry + d.toString()).split('\n');
      carry = lines.pop()!;
      for (const line of lines) {
        const [kind, a, b] = line.split(' ');
        if (kind === 'started') sessionId = a!;
        if (kind !== 'pushed') continue;
        const last = { index: Number(a), tMs: Number(b) };
        first ??= last;
        if (last.tMs - first.tMs >= recordMs) {
          // Stop reading: `last` is the newest sample known to be handed to the service before the kill.
          child.stdout!.off('data', onData);
          child.stdout!.resume();
          resolve({ sessionId, last });
          return;
        }
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code, signal) => reject(new Error(`child ended with ${code ?? signal} before the kill: ${stderr}`)));
  });
  await killAndConfirmGone(child, dataDir);
  return seen;
}

describe('kill -9 mid-recording', () => {
  it('recovers the session on the next start: valid file, recovered flag, at most the last second lost', async () => {
    const dataDir = tempDataDir('kill9');
    const { sessionId, last } = await recordThenKill(dataDir, 2500);

    const svc = new RecordingService({ dataDir, hub: new FakeHub() });
    const recovered = await svc.recoverUnfinished();
    expect(recovered).toHaveLength(1);
    const manifest = recovered[0]!;
    expect(manifest).toMatchObject({ state: 'complete', recovered: true, base: sessionId });
    expect(svc.status().recoveredSessionIds).toEqual([sessionId]);
    expect(svc.list()[0]).toMatchObject({ id: sessionId, recovered: true });

    const power: { t: number; v: number }[] = [];
    const rrValues: number[] = [];
    let endReason = '';
    const summary = await readRecords(join(dataDir, 'sessions', sessionId, manifest.files.records), (r) => {
      if (r.k === 's' && r.m === 'power') power.push({ t: r.t, v: r.v });
      if (r.k === 's' && r.m === 'rrInterval') rrValues.push(r.v);
      if (r.k === 'end') endReason = r.reason;
    });
    expect(summary).toMatchObject({ badLines: 0, tailBytes: 0 });
    expect(endReason).toBe('recovered');
    // Every sample up to the loss point, in order, none repeated or missing.
    expect(power.map((p) => p.v)).toEqual(power.map((_, i) => i));
    expect(rrValues).toEqual(rrValues.map((_, k) => 600 + ((k * 4) % 97) / 1024));
    // The child pushed sample `last` before it was killed; at most one second before it is lost.
    const lastRecorded = power.at(-1)!;
    expect(last.tMs - lastRecorded.t).toBeLessThanOrEqual(1000);
    expect(manifest.counts.samples).toBe(power.length + rrValues.length);
    expect(manifest.counts.raw).toBeGreaterThan(0);

    // A second start does not recover it again, and recording works as usual.
    expect(await svc.recoverUnfinished()).toEqual([]);
    expect((await svc.start({ subjectId: 'kill', sessionId: '10' })).ok).toBe(true);
    svc.close();
  });
});
