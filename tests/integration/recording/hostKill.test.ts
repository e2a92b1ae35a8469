/**
 * Crash safety of the real headless host: start `npm run headless -- --simulate demo`, start a
 * recording over the contract (WebSocket), SIGKILL the host mid-recording, start a new host on the
 * same data dir: it finds and recovers the session. Runs once the recording section is wired into
 * the host contract (skipped before that).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { readRecords } from '../../../src/main/recording/reader';
import { COMMANDS } from '../../../src/shared/contract';
import { tempDataDir } from '../../unit/main/recording/fakes';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const isWired = Object.prototype.hasOwnProperty.call(COMMANDS, 'recording.start');
const children: ChildProcess[] = [];

afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

/** Start a headless host; resolves with the process and its port once it prints its URL. */
function startHost(dataDir: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(
    join(ROOT, 'node_modules', '.bin', 'tsx'),
    [join(ROOT, 'src', 'main', 'webMain.ts'), '--headless', '--simulate', 'demo', '--port', '0', '--data-dir', dataDir],
    { stdio: ['ignore', 'pipe', 'pipe'], cwd: ROOT },
  );
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

/** A minimal contract client over the host's WebSocket. */
async function contract(port: number): Promise<{ call(name: string, args?: object): Promise<{ ok: boolean; value?: unknown; message?: string }>; close(): void }> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/contract`, { headers: { Origin: `http://127.0.0.1:${port}` } });
  await new Promise<void>((resolve, reject) => {
    ws.on('open', () => resolve());
    ws.on('error', reject);
  });
  let nextId = 1;
  const pending = new Map<number, (reply: { ok: boolean; value?: unknown; message?: string }) => void>();
  ws.on('message', (d) => {
    const msg = JSON.parse(String(d)) as { kind: string; id?: number; reply?: { ok: boolean } };
    if (msg.kind === 'reply' && msg.id !== undefined) pending.get(msg.id)?.(msg.reply!);
  });
  return {
    call(name, args = {}) {
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, resolve);
        ws.send(JSON.stringify({ kind: 'call', id, name, args }));
      });
    },
    close: () => ws.close(),
  };
}

describe('kill -9 of the real headless host', () => {
  it.skipIf(!isWired)('the next host start recovers the session; the file is valid and loses at most the last second', async () => {
    const dataDir = tempDataDir('hostkill');
    const first = await startHost(dataDir);
    const c1 = await contract(first.port);
    const started = await c1.call('recording.start', { subjectId: 'host', sessionId: 'kill' });
    expect(started).toMatchObject({ ok: true });
    const sessionId = (started.value as { sessionId: string }).sessionId;
    await new Promise((r) => setTimeout(r, 1500));
    expect(await c1.call('recording.marker', { label: 'before kill' })).toMatchObject({ ok: true });
    await new Promise((r) => setTimeout(r, 1500));
    const killedAtMs = Date.now();
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
    c1.close();

    const second = await startHost(dataDir);
    const c2 = await contract(second.port);
    const list = await c2.call('recording.list');
    const summary = (list.value as { id: string; recovered: boolean; state: string; markerCount: number }[]).find((s) => s.id === sessionId);
    expect(summary).toMatchObject({ recovered: true, state: 'complete', markerCount: 1 });
    c2.close();
    second.child.kill('SIGTERM');

    let lastSampleMs = 0;
    let samples = 0;
    const files = readdirSync(join(dataDir, 'sessions', sessionId));
    const records = files.find((f) => f.endsWith('_recording.jsonl'))!;
    const read = await readRecords(join(dataDir, 'sessions', sessionId, records), (r) => {
      if (r.k === 's') {
        samples++;
        lastSampleMs = Math.max(lastSampleMs, r.t);
      }
    });
    expect(read).toMatchObject({ badLines: 0, tailBytes: 0 });
    expect(samples).toBeGreaterThan(20);
    // The demo devices send every 250 ms at most; anything received more than 1 s before the kill is in the file.
    expect(killedAtMs - lastSampleMs).toBeLessThanOrEqual(1000 + 250);
  });
});
