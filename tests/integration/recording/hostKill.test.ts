/**
 * Crash safety of the real headless host: start `webMain.ts --headless --simulate demo` as one Node
 * process (`node --import tsx`, never the tsx wrapper, whose kill leaves the host running), start a
 * recording over the contract (WebSocket), SIGKILL the host mid-recording once the file on disk holds
 * samples and the marker, prove the process is gone, then start a new host on the same data dir: it
 * finds and recovers the session, and everything that was on disk at the kill is still there.
 * Guards against: recovery tested beside a still-running writer (issue 12), sessions lost after a crash.
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readRecords } from '../../../src/main/recording/reader';
import { connectContract } from '../../support/contractClient';
import { killAndConfirmGone, spawnNode, stopChild } from '../../support/processes';
import { waitFor } from '../../support/wait';
import { tempDataDir } from '../../unit/main/recording/fakes';

const children: ChildProcess[] = [];

afterEach(async () => {
  for (const c of children.splice(0)) await stopChild(c, 0);
});

/** Start a headless host; resolves with the process and its port once it prints its URL. */
function startHost(dataDir: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawnNode('src/main/webMain.ts', ['--headless', '--simulate', 'demo', '--port', '0', '--data-dir', dataDir]);
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (m) resolve({ child, port: Number(m[1]) });
    });
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => reject(new Error(`host exited (${code}) before listening: ${out}`)));
  });
}

/** The lines of the session's records file as they are on disk now. */
function linesOnDisk(dataDir: string, sessionId: string): string[] {
  const dir = join(dataDir, 'sessions', sessionId);
  if (!existsSync(dir)) return [];
  const file = readdirSync(dir).find((f) => f.endsWith('_recording.jsonl'));
  if (!file) return [];
  const text = readFileSync(join(dir, file), 'utf8');
  return text.slice(0, text.lastIndexOf('\n') + 1).split('\n').filter(Boolean);
}

describe('kill -9 of the real headless host', () => {
  it('the next host start recovers the session; everything on disk at the kill survives, with the marker', async () => {
    const dataDir = tempDataDir('hostkill');
    const first = await startHost(dataDir);
    const c1 = await connectContract(first.port);
    const started = await c1.call('recording.start', { subjectId: 'host', sessionId: 'kill' });
    if (!started.ok) throw new Error(started.message);
    const sessionId = started.value.sessionId;
    if (!sessionId) throw new Error('recording.start answered without a session id');
    const sampleLines = (): number => linesOnDisk(dataDir, sessionId).filter((l) => l.includes('"k":"s"')).length;
    await waitFor(() => sampleLines() > 20, 'the host to write 20 samples to disk', 20_000);
    expect(await c1.call('recording.marker', { label: 'before kill' })).toMatchObject({ ok: true });
    await waitFor(() => linesOnDisk(dataDir, sessionId).some((l) => l.includes('before kill')), 'the marker on disk', 20_000);

    const onDiskAtKill = linesOnDisk(dataDir, sessionId);
    await killAndConfirmGone(first.child, dataDir);
    c1.close();

    const second = await startHost(dataDir);
    const c2 = await connectContract(second.port);
    const list = await c2.call('recording.list', {});
    if (!list.ok) throw new Error(list.message);
    expect(list.value.find((s) => s.id === sessionId)).toMatchObject({ recovered: true, state: 'complete', markerCount: 1 });
    c2.close();
    await stopChild(second.child);

    const dir = join(dataDir, 'sessions', sessionId);
    const records = readdirSync(dir).find((f) => f.endsWith('_recording.jsonl'))!;
    const times: number[] = [];
    let endReason = '';
    const read = await readRecords(join(dir, records), (r) => {
      if (r.k === 's') times.push(r.t);
      if (r.k === 'end') endReason = r.reason;
    });
    expect(read).toMatchObject({ badLines: 0, tailBytes: 0 });
    expect(endReason).toBe('recovered');
    // Nothing the dead host had written is lost or altered by recovery.
    expect(linesOnDisk(dataDir, sessionId).slice(0, onDiskAtKill.length)).toEqual(onDiskAtKill);
    expect(times.length).toBeGreaterThan(20);
  });
});
