/**
 * Outbox append rate with its durability policy (CRC-checked lines, one writeSync per 50-reading
 * hub batch, fsync of the segment at most once a second, the watermark state written through a
 * synced temp file + rename at every ACK) against a bare append of the same JSON lines to the same
 * disk without any sync, measured in the same run.
 */
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Outbox } from '../src/main/producer/outbox';
import { measure, report } from './harness';

const BATCH = 50;

/** Run the benchmark and print readings/s with the ratio to the bare append. */
export function main(): void {
  const dir = mkdtempSync(join(tmpdir(), 'bench-outbox-'));
  try {
    const opened = Outbox.open({ dir: join(dir, 'outbox'), maxEntries: 50_000_000 });
    if (!opened.ok) throw new Error(opened.message);
    const box = opened.value;
    let t = Date.UTC(2025, 0, 1);
    const batch = (): { t: string; d: { ts: string; val: number }; tMs: number }[] =>
      Array.from({ length: BATCH }, (_, i) => {
        t += 4;
        return { t: 'HEART_RATE', d: { ts: new Date(t).toISOString(), val: 60 + (i % 120) }, tMs: t };
      });
    let calls = 0;
    const subject = measure(`outbox append (${BATCH}/batch, fsync ≤1/s)`, BATCH, () => {
      box.append(batch());
      box.markSent(BATCH);
      // an ACK (state file tmp+rename, segment clean-up) every 200 batches, like a heartbeat: memory stays flat
      if (++calls % 200 === 0) box.ack(box.sentSeq);
    }, 2);
    box.close();
    const fd = openSync(join(dir, 'bare.log'), 'a');
    let seq = 0;
    const baseline = measure(`bare appendSync of the same lines`, BATCH, () => {
      let text = '';
      for (const r of batch()) text += `{"seq":${++seq},"t":${JSON.stringify(r.t)},"d":${JSON.stringify(r.d)}}\n`;
      writeSync(fd, text);
    }, 2);
    closeSync(fd);
    report('Outbox append rate with the durability policy (readings/s)', subject, baseline);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main();
