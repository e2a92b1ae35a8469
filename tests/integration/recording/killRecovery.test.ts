/**
 * Crash safety with a real process kill: a child records a generated stream through the
 * RecordingService; the test SIGKILLs it mid-recording and recovers the session like the next
 * host start would. Guards against: sessions lost or unreadable after a crash, torn last records,
 * and losing more than the last second.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRecords } from '../../../src/main/recording/reader';
import { RecordingService } from '../../../src/main/recording/service';
import { FakeHub, tempDataDir } from '../../unit/main/recording/fakes';

const ROOT = join(import.meta.dirname, '..', '..', '..');

interface Pushed {
  index: number;
  tMs: number;
}

/** Run the child until it has recorded for `recordMs`, then SIGKILL it; returns the last pushed sample seen. */
async function recordThenKill(dataDir: string, recordMs: number): Promise<{ sessionId: string; last: Pushed }> {
  const child = spawn(join(ROOT, 'node_modules', '.bin', 'tsx'), [join(import.meta.dirname, 'fixtures', 'recordChild.ts'), dataDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    let sessionId = '';
    let first: Pushed | null = null;
    let last: Pushed | null = null;
    let carry = '';
    let isKilled = false;
    child.stdout.on('data', (d: Buffer) => {
      const text = carry + d.toString();
      const lines = text.split('\n');
      carry = lines.pop()!;
      for (const line of lines) {
        const [kind, a, b] = line.split(' ');
        if (kind === 'started') sessionId = a!;
        if (kind === 'pushed') {
          last = { index: Number(a), tMs: Number(b) };
          first ??= last;
        }
      }
      if (!isKilled && first && last && last.tMs - first.tMs >= recordMs) {
        isKilled = true;
        child.kill('SIGKILL');
      }
    });
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL' || !last) reject(new Error(`child ended with ${code ?? signal} before the kill: ${stderr}`));
      else resolve({ sessionId, last });
    });
  });
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
