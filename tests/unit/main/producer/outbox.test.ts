/** Durable outbox: what survives a restart, a torn write, an ACK, and a full disk budget. */
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Outbox, readSegment, type OutboxOptions } from '../../../../src/main/producer/outbox';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'outbox-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function open(options: OutboxOptions): Outbox {
  const r = Outbox.open(options);
  if (!r.ok) throw new Error(r.message);
  return r.value;
}
function readings(n: number, from = 0): { t: string; d: { ts: string; val: number }; tMs: number }[] {
  return Array.from({ length: n }, (_, i) => {
    const tMs = Date.UTC(2025, 0, 1, 12) + (from + i) * 250;
    return { t: 'HEART_RATE', d: { ts: new Date(tMs).toISOString(), val: 60 + ((from + i) % 100) }, tMs };
  });
}
function vals(box: Outbox): number[] {
  return box.pending(1e9).map((e) => (JSON.parse(e.frame) as { d: { val: number } }).d.val);
}

describe('outbox', () => {
  it('keeps every undelivered reading across a restart, in order, with the original ts', () => {
    const dir = tempDir();
    const a = open({ dir });
    a.append(readings(3));
    a.append(readings(2, 3));
    a.close();
    const b = open({ dir });
    const frames = b.pending(100).map((e) => JSON.parse(e.frame) as { op: number; t: string; d: { ts: string; val: number } });
    expect(frames.map((f) => f.d.val)).toEqual([60, 61, 62, 63, 64]);
    expect(frames[0]).toEqual({ op: 6, t: 'HEART_RATE', d: { ts: '2025-01-01T12:00:00.000Z', val: 60 } });
    expect(b.metrics().queued).toBe(5);
    b.close();
  });

  it('repairs a torn tail written by a killed process and keeps the whole lines before it', () => {
    const dir = tempDir();
    const a = open({ dir });
    a.append(readings(4));
    a.close();
    const seg = readdirSync(dir).find((n) => n.startsWith('seg-'))!;
    appendFileSync(join(dir, seg), '1234abcd {"seq":5,"t":"HEART_RA');
    const b = open({ dir });
    expect(vals(b)).toEqual([60, 61, 62, 63]);
    expect(readFileSync(join(dir, seg), 'utf8').endsWith('\n')).toBe(true);
    b.append(readings(1, 4));
    b.close();
    const c = open({ dir });
    expect(vals(c)).toEqual([60, 61, 62, 63, 64]);
    c.close();
  });

  it('skips and counts a line whose CRC does not match', () => {
    const dir = tempDir();
    const a = open({ dir });
    a.append(readings(3));
    a.close();
    const seg = join(dir, readdirSync(dir).find((n) => n.startsWith('seg-'))!);
    const lines = readFileSync(seg, 'utf8').split('\n');
    lines[1] = lines[1]!.replace('"val":61', '"val":99');
    writeFileSync(seg, lines.join('\n'));
    const b = open({ dir });
    expect(vals(b)).toEqual([60, 62]);
    expect(b.metrics().corruptLines).toBe(1);
    b.close();
  });

  it('moves the watermark only on ACK; unacknowledged readings are re-sent after a reconnect and after a restart', () => {
    const dir = tempDir();
    const a = open({ dir });
    a.append(readings(5));
    a.markSent(3);
    const proven = a.sentSeq; // a HEARTBEAT sent now proves the first 3
    a.markSent(2);
    expect(a.metrics()).toMatchObject({ queued: 0, inFlight: 5, delivered: 0 });
    a.ack(proven);
    expect(a.metrics()).toMatchObject({ queued: 0, inFlight: 2, delivered: 3 });
    a.rewind(); // connection lost
    expect(vals(a)).toEqual([63, 64]);
    a.close();
    const b = open({ dir });
    expect(vals(b)).toEqual([63, 64]);
    expect(b.metrics().delivered).toBe(3);
    b.close();
  });

  it('deletes segments once everything in them is delivered (in the background)', async () => {
    const dir = tempDir();
    const a = open({ dir, segmentEntries: 2 });
    for (let i = 0; i < 3; i++) a.append(readings(2, i * 2));
    expect(readdirSync(dir).filter((n) => n.startsWith('seg-'))).toHaveLength(3);
    a.markSent(4);
    a.ack(a.sentSeq);
    await expect.poll(() => readdirSync(dir).filter((n) => n.startsWith('seg-'))).toHaveLength(1);
    a.close();
  });

  it('keeps delivered segments in delivered/ when asked (audit), readable with the same parser', () => {
    const dir = tempDir();
    const a = open({ dir, segmentEntries: 2, isDeliveredKept: true });
    a.append(readings(2));
    a.append(readings(2, 2));
    a.markSent(2);
    a.ack(a.sentSeq);
    a.close();
    const kept = readdirSync(join(dir, 'delivered'));
    expect(kept).toHaveLength(1);
    expect(readSegment(join(dir, 'delivered', kept[0]!)).entries.map((e) => e.seq)).toEqual([1, 2]);
  });

  it('at the limit drops the oldest undelivered readings, counts them, warns, and remembers the count', () => {
    const dir = tempDir();
    const warnings: string[] = [];
    const a = open({ dir, maxEntries: 10, onWarning: (m) => warnings.push(m) });
    a.append(readings(8));
    expect(a.metrics().isNearLimit).toBe(true);
    expect(warnings.some((w) => w.includes('80 %'))).toBe(true);
    a.append(readings(5, 8));
    expect(a.metrics()).toMatchObject({ queued: 10, dropped: 3 });
    expect(vals(a)[0]).toBe(63);
    expect(warnings.some((w) => w.includes('dropped the 3 oldest'))).toBe(true);
    a.close();
    const b = open({ dir, maxEntries: 10 });
    expect(b.metrics().dropped).toBe(3);
    expect(vals(b)).toHaveLength(10);
    b.close();
  });

  it('reports an unreadable state file as an error value', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'state.json'), '{"watermark":"x"}');
    const r = Outbox.open({ dir });
    expect(r.ok).toBe(false);
    expect(r.ok ? '' : r.code).toBe('BROKER_OUTBOX_IO');
    expect(existsSync(join(dir, 'state.json'))).toBe(true);
  });

  it('is empty on disk once everything is delivered, and keeps appending after that', async () => {
    // Issue 14 soak: a drained outbox kept its open segment (1.7 MB after a short class) until 50,000 more readings came.
    const dir = tempDir();
    const box = open({ dir });
    box.append(readings(100));
    box.markSent(100);
    box.ack(box.sentSeq);
    await expect.poll(() => readdirSync(dir).filter((n) => n.startsWith('seg-'))).toEqual([]);
    box.append(readings(2, 100));
    box.close();
    const again = open({ dir });
    expect(vals(again)).toEqual([60, 61]); // readings 100 and 101 (values wrap at 100)
    again.close();
  });
});
