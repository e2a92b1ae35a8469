/**
 * The durable outbox: readings survive restarts until a HEARTBEAT_ACK watermark covers them, torn
 * tails and damaged lines are repaired on open, and the size limit drops the oldest with a count.
 */
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Outbox, type OutboxOptions } from '../../../../src/main/uplink/outbox';
import { decodeRecordLine, encodeRecordLine } from '../../../../src/main/uplink/outboxRecord';

const dirs: string[] = [];
const boxes: Outbox[] = [];
afterEach(() => {
  for (const b of boxes.splice(0)) b.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'outbox-'));
  dirs.push(d);
  return d;
}

function open(dir: string, over: Partial<OutboxOptions> = {}): Outbox {
  const b = Outbox.open({ dir, syncPolicy: 'never', ...over });
  boxes.push(b);
  return b;
}

const frame = (i: number) => `{"op":6,"d":{"ts":"2025-01-01T12:00:${String(i % 60).padStart(2, '0')}.${String(i).padStart(3, '0').slice(-3)}Z","val":${i}},"t":"HEART_RATE"}`;
const frames = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => frame(from + k));

/** Send everything unsent, as the uplink does, returning the frames. */
function sendAll(b: Outbox): string[] {
  const out: string[] = [];
  while (b.hasUnsent) {
    const batch = b.unsent(7);
    out.push(...batch.map((r) => r.frame));
    b.markSent(batch.length);
  }
  return out;
}

describe('outbox record lines', () => {
  it('round-trips and rejects a flipped byte', () => {
    const line = encodeRecordLine(42, 1_700_000_000_123, frame(1)).slice(0, -1);
    expect(decodeRecordLine(line)).toMatchObject({ index: 42, appendedMs: 1_700_000_000_123, frame: frame(1) });
    expect(decodeRecordLine(line.replace('"val":1', '"val":2'))).toBe('bad-crc');
    expect(decodeRecordLine('garbage')).toBe('bad-shape');
  });
});

describe('outbox', () => {
  it('sends in order and re-queues everything after a restart when nothing was acknowledged', () => {
    const dir = tempDir();
    const a = open(dir);
    a.append(frames(0, 10));
    a.append(frames(10, 25));
    expect(sendAll(a)).toEqual(frames(0, 25));
    expect(a.metrics()).toMatchObject({ queued: 0, inFlight: 25, delivered: 0 });
    a.close();
    const b = open(dir);
    expect(b.metrics()).toMatchObject({ queued: 25, inFlight: 0 });
    expect(sendAll(b)).toEqual(frames(0, 25));
  });

  it('an ACK moves the watermark: after a restart only later readings come back, with the original frames', () => {
    const dir = tempDir();
    const a = open(dir);
    a.append(frames(0, 10));
    sendAll(a);
    const mark = a.lastSentIndex;
    a.append(frames(10, 15));
    sendAll(a);
    a.acknowledge(mark);
    expect(a.metrics()).toMatchObject({ delivered: 10, inFlight: 5, queued: 0 });
    a.close();
    const b = open(dir);
    expect(sendAll(b)).toEqual(frames(10, 15));
    expect(b.metrics().delivered).toBe(10);
  });

  it('rewind re-sends everything past the watermark on a new connection', () => {
    const a = open(tempDir());
    a.append(frames(0, 6));
    sendAll(a);
    a.acknowledge(a.lastSentIndex - 2);
    a.rewind();
    expect(sendAll(a)).toEqual(frames(4, 6));
  });

  it('repairs a torn tail (a reading cut mid-line by a crash) and keeps appending after it', () => {
    const dir = tempDir();
    const a = open(dir);
    a.append(frames(0, 3));
    a.close();
    const seg = readdirSync(dir).find((n) => n.startsWith('seg-'))!;
    const goodSize = statSync(join(dir, seg)).size;
    appendFileSync(join(dir, seg), encodeRecordLine(4, 0, frame(3)).slice(0, 30));
    const b = open(dir);
    expect(statSync(join(dir, seg)).size).toBe(goodSize);
    b.append(frames(3, 5));
    expect(sendAll(b)).toEqual(frames(0, 5));
    b.close();
    expect(sendAll(open(dir))).toEqual(frames(0, 5));
  });

  it('skips and counts a damaged line in the middle, with a warning', () => {
    const dir = tempDir();
    const a = open(dir);
    a.append(frames(0, 3));
    a.close();
    const seg = join(dir, readdirSync(dir).find((n) => n.startsWith('seg-'))!);
    writeFileSync(seg, readFileSync(seg, 'utf8').replace('"val":1', '"val":9'));
    const warnings: string[] = [];
    const b = open(dir, { onWarning: (m) => warnings.push(m) });
    expect(sendAll(b)).toEqual([frame(0), frame(2)]);
    expect(b.metrics().corruptRecords).toBe(1);
    expect(warnings.join('\n')).toMatch(/1 damaged reading/);
  });

  it('deletes segments once everything in them is delivered', () => {
    const dir = tempDir();
    const a = open(dir, { segmentBytes: 500 });
    for (let i = 0; i < 20; i++) a.append(frames(i * 5, i * 5 + 5));
    expect(readdirSync(dir).filter((n) => n.startsWith('seg-')).length).toBeGreaterThan(5);
    sendAll(a);
    a.acknowledge(a.lastSentIndex);
    expect(readdirSync(dir).filter((n) => n.startsWith('seg-')).length).toBe(1);
    expect(a.metrics()).toMatchObject({ delivered: 100, queued: 0, inFlight: 0, bytes: 0, lagMs: 0 });
  });

  it('warns near the limit and, at the limit, drops the oldest undelivered readings with a visible count', () => {
    const dir = tempDir();
    const lineBytes = Buffer.byteLength(encodeRecordLine(1, 1_700_000_000_000, frame(1)));
    const warnings: string[] = [];
    const a = open(dir, { maxBytes: lineBytes * 10 + 10, warnRatio: 0.75, now: () => 1_700_000_000_000, onWarning: (m) => warnings.push(m) });
    a.append(frames(0, 8));
    expect(a.metrics().isNearLimit).toBe(true);
    expect(warnings.some((w) => /% of its .*limit/.test(w))).toBe(true);
    expect(a.metrics().dropped).toBe(0);
    a.append(frames(8, 14));
    expect(a.metrics()).toMatchObject({ dropped: 4, queued: 10 });
    expect(warnings.some((w) => /dropped the 4 oldest/.test(w))).toBe(true);
    expect(sendAll(a)).toEqual(frames(4, 14));
    a.close();
    const b = open(dir, { maxBytes: lineBytes * 10 + 10 });
    expect(b.metrics().dropped).toBe(4);
    expect(sendAll(b)).toEqual(frames(4, 14));
  });

  it('reports lag as the age of the oldest undelivered reading', () => {
    let t = 1000;
    const a = open(tempDir(), { now: () => t });
    a.append(frames(0, 1));
    t = 1500;
    a.append(frames(1, 2));
    t = 4000;
    expect(a.metrics().lagMs).toBe(3000);
    sendAll(a);
    a.acknowledge(a.lastSentIndex - 1);
    expect(a.metrics().lagMs).toBe(2500);
  });
});
