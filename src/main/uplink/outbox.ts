/**
 * The durable outbox of one uplink (DESIGN.md "Delivery to the broker"). Every reading is written
 * to disk before it is sent; it stays until a HEARTBEAT_ACK proves the broker received it.
 *
 * On disk: `<dir>/seg-<first index>.log` append-only segments of CRC-checked lines (see
 * outboxRecord.ts) and `<dir>/state.json` holding the watermark (every index ≤ `acked` is delivered
 * or dropped) and the counters. Open repairs a torn tail (cut at the last good line), skips and
 * counts corrupt lines, and re-queues everything past the watermark with its original frame (and so
 * its original `ts`).
 *
 * Durability policy: each `append` is one `write(2)` before it returns, so a killed process loses
 * nothing already appended (the data is in the OS page cache). `fdatasync` runs every
 * `syncEveryMs` (default 1000 ms) or after every append with `syncPolicy: 'always'`; only a power
 * loss or kernel crash can lose the unsynced last second. The watermark file is replaced
 * atomically (write + rename); if it is lost, readings are re-sent (at-least-once, never lost).
 *
 * At the limit (`maxBytes` of undelivered records, default 256 MiB): the oldest undelivered
 * readings are dropped to make room, counted in `dropped`, and `onWarning` reports it; from
 * `warnRatio` (default 0.8) of the limit on, `isNearLimit` is set and `onWarning` fires once per
 * crossing. New readings are never refused: the most recent data is the most valuable live.
 */
import { closeSync, existsSync, fdatasyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { encodeRecordLine, scanSegment, type OutboxRecord } from './outboxRecord';

/** Options of an outbox. */
export interface OutboxOptions {
  readonly dir: string;
  /** Limit on undelivered bytes (default 256 MiB). */
  readonly maxBytes?: number;
  /** Fraction of `maxBytes` from which `isNearLimit` is set (default 0.8). */
  readonly warnRatio?: number;
  /** Segment size before a new file is started (default 4 MiB). */
  readonly segmentBytes?: number;
  /** `interval` (default): fdatasync every `syncEveryMs`; `always`: after each append; `never`: leave it to the OS. */
  readonly syncPolicy?: 'interval' | 'always' | 'never';
  readonly syncEveryMs?: number;
  readonly now?: () => number;
  /** Near-limit, drops and repaired files: things a person should see. */
  readonly onWarning?: (message: string) => void;
}

/** Outbox metrics shown in the UI. */
export interface OutboxMetrics {
  /** Readings waiting to be sent on the current connection. */
  readonly queued: number;
  /** Sent on the current connection, not yet confirmed by a HEARTBEAT_ACK. */
  readonly inFlight: number;
  /** Confirmed delivered (total over the outbox's life). */
  readonly delivered: number;
  /** Dropped at the size limit (total over the outbox's life). */
  readonly dropped: number;
  /** Age of the oldest undelivered reading (ms; 0 when empty). */
  readonly lagMs: number;
  /** Bytes of undelivered readings. */
  readonly bytes: number;
  readonly maxBytes: number;
  readonly isNearLimit: boolean;
  /** Corrupt lines skipped when the outbox was opened. */
  readonly corruptRecords: number;
}

const stateSchema = z.object({
  acked: z.number().int().min(0),
  delivered: z.number().int().min(0),
  dropped: z.number().int().min(0),
});

interface Segment {
  readonly path: string;
  readonly firstIndex: number;
  lastIndex: number;
  bytes: number;
}

const SEGMENT_RE = /^seg-(\d{16})\.log$/;

function segmentName(firstIndex: number): string {
  return `seg-${String(firstIndex).padStart(16, '0')}.log`;
}

/** A durable, bounded, ordered outbox with a delivery watermark. */
export class Outbox {
  private readonly maxBytes: number;
  private readonly warnRatio: number;
  private readonly segmentBytes: number;
  private readonly now: () => number;
  private readonly statePath: string;
  /** Undelivered records in index order; live ones are `pending[head..]`. */
  private pending: OutboxRecord[] = [];
  private head = 0;
  /** Absolute position in `pending` of the next record to send on this connection. */
  private sendPos = 0;
  private acked = 0;
  private delivered = 0;
  private dropped = 0;
  private bytes = 0;
  private nextIndex = 1;
  private corrupt = 0;
  private segments: Segment[] = [];
  private fd: number | null = null;
  private syncTimer: ReturnType<typeof setInterval> | null = null;
  private isDirtyForSync = false;
  private isStateDirty = false;
  private wasNearLimit = false;
  private isClosed = false;

  private constructor(private readonly options: OutboxOptions) {
    this.maxBytes = options.maxBytes ?? 256 * 1024 * 1024;
    this.warnRatio = options.warnRatio ?? 0.8;
    this.segmentBytes = options.segmentBytes ?? 4 * 1024 * 1024;
    this.now = options.now ?? Date.now;
    this.statePath = join(options.dir, 'state.json');
  }

  /** Open (or create) the outbox in `options.dir`, repairing a torn tail and re-queuing undelivered readings. */
  static open(options: OutboxOptions): Outbox {
    const box = new Outbox(options);
    box.load();
    return box;
  }

  private warn(message: string): void {
    this.options.onWarning?.(message);
  }

  private load(): void {
    const dir = this.options.dir;
    mkdirSync(dir, { recursive: true });
    if (existsSync(this.statePath)) {
      let json: unknown = null;
      try {
        json = JSON.parse(readFileSync(this.statePath, 'utf8'));
      } catch (err) {
        this.warn(`outbox ${dir}: state file unreadable (${(err as Error).message}); undelivered readings will be re-sent`);
      }
      const parsed = stateSchema.safeParse(json);
      if (parsed.success) ({ acked: this.acked, delivered: this.delivered, dropped: this.dropped } = parsed.data);
    }
    const names = readdirSync(dir).filter((n) => SEGMENT_RE.test(n)).sort();
    let maxIndex = this.acked;
    names.forEach((name, k) => {
      const path = join(dir, name);
      const scan = scanSegment(readFileSync(path, 'utf8'));
      if (scan.hasTornTail) {
        truncateSync(path, scan.goodBytes);
        if (k !== names.length - 1) this.warn(`outbox ${dir}: ${name} had a damaged end; cut at the last good reading`);
      }
      this.corrupt += scan.badLines;
      const live = scan.records.filter((r) => r.index > this.acked);
      const last = scan.records[scan.records.length - 1];
      if (last) maxIndex = Math.max(maxIndex, last.index);
      if (live.length === 0) {
        rmSync(path, { force: true });
        return;
      }
      for (const r of live) {
        this.pending.push(r);
        this.bytes += r.bytes;
      }
      this.segments.push({ path, firstIndex: Number(SEGMENT_RE.exec(name)![1]), lastIndex: last!.index, bytes: scan.goodBytes });
    });
    if (this.corrupt > 0) this.warn(`outbox ${dir}: ${this.corrupt} damaged reading(s) skipped`);
    this.pending.sort((a, b) => a.index - b.index);
    this.nextIndex = maxIndex + 1;
    this.enforceLimit();
    this.openSegment();
    if ((this.options.syncPolicy ?? 'interval') === 'interval') {
      this.syncTimer = setInterval(() => this.sync(), this.options.syncEveryMs ?? 1000);
      this.syncTimer.unref?.();
    }
  }

  private openSegment(): void {
    if (this.fd !== null) closeSync(this.fd);
    const path = join(this.options.dir, segmentName(this.nextIndex));
    this.fd = openSync(path, 'a');
    this.segments.push({ path, firstIndex: this.nextIndex, lastIndex: this.nextIndex - 1, bytes: 0 });
  }

  /** Append readings (SUBMIT frame texts) durably, in order; returns the index of the last one. */
  append(frames: readonly string[]): number {
    if (this.isClosed || frames.length === 0) return this.nextIndex - 1;
    const at = this.now();
    let text = '';
    for (const frame of frames) {
      const index = this.nextIndex++;
      const line = encodeRecordLine(index, at, frame);
      const bytes = Buffer.byteLength(line);
      text += line;
      this.pending.push({ index, appendedMs: at, frame, bytes });
      this.bytes += bytes;
    }
    const seg = this.segments[this.segments.length - 1]!;
    const written = writeSync(this.fd!, text);
    seg.bytes += written;
    seg.lastIndex = this.nextIndex - 1;
    if (this.options.syncPolicy === 'always') fdatasyncSync(this.fd!);
    else this.isDirtyForSync = true;
    if (seg.bytes >= this.segmentBytes) this.openSegment();
    this.enforceLimit();
    return this.nextIndex - 1;
  }

  /** Up to `max` readings not yet sent on the current connection, oldest first. */
  unsent(max: number): readonly OutboxRecord[] {
    return this.pending.slice(this.sendPos, this.sendPos + max);
  }

  /** Whether there is anything to send on the current connection. */
  get hasUnsent(): boolean {
    return this.sendPos < this.pending.length;
  }

  /** Record that the next `count` unsent readings were written to the socket. */
  markSent(count: number): void {
    this.sendPos = Math.min(this.pending.length, this.sendPos + count);
  }

  /** Index of the last reading written to the socket on this connection (the heartbeat mark). */
  get lastSentIndex(): number {
    return this.sendPos > this.head ? this.pending[this.sendPos - 1]!.index : this.acked;
  }

  /** A HEARTBEAT_ACK arrived for a heartbeat sent after reading `index`: everything up to it is delivered. */
  acknowledge(index: number): void {
    if (index <= this.acked) return;
    while (this.head < this.pending.length && this.pending[this.head]!.index <= index) {
      this.bytes -= this.pending[this.head]!.bytes;
      this.head++;
      this.delivered++;
    }
    this.sendPos = Math.max(this.sendPos, this.head);
    this.acked = index;
    this.afterWatermarkMove();
    this.writeState();
  }

  /** A new connection: everything past the watermark is sent again, oldest first. */
  rewind(): void {
    this.sendPos = this.head;
  }

  private enforceLimit(): void {
    const before = this.dropped;
    while (this.bytes > this.maxBytes && this.head < this.pending.length) {
      const r = this.pending[this.head++]!;
      this.bytes -= r.bytes;
      this.dropped++;
      this.acked = Math.max(this.acked, r.index);
    }
    if (this.dropped > before) {
      this.sendPos = Math.max(this.sendPos, this.head);
      this.isStateDirty = true;
      this.afterWatermarkMove();
      this.warn(`outbox full (${this.maxBytes} bytes): dropped the ${this.dropped - before} oldest undelivered reading(s), ${this.dropped} in total`);
    }
    const isNear = this.bytes >= this.maxBytes * this.warnRatio;
    if (isNear && !this.wasNearLimit) {
      this.warn(`outbox at ${Math.round((this.bytes / this.maxBytes) * 100)} % of its ${this.maxBytes}-byte limit: the broker is not taking readings; the oldest will be dropped at 100 %`);
    }
    this.wasNearLimit = isNear;
  }

  private afterWatermarkMove(): void {
    if (this.head > 4096 && this.head * 2 > this.pending.length) {
      this.pending = this.pending.slice(this.head);
      this.sendPos -= this.head;
      this.head = 0;
    }
    // Delete whole segments that hold only delivered/dropped readings (never the one being written).
    while (this.segments.length > 1 && this.segments[0]!.lastIndex <= this.acked) {
      rmSync(this.segments.shift()!.path, { force: true });
    }
  }

  private writeState(): void {
    const tmp = `${this.statePath}.tmp`;
    writeFileSync(tmp, JSON.stringify({ acked: this.acked, delivered: this.delivered, dropped: this.dropped }));
    renameSync(tmp, this.statePath);
    this.isStateDirty = false;
  }

  /** fdatasync pending appends and persist the counters. */
  sync(): void {
    if (this.fd !== null && this.isDirtyForSync) {
      fdatasyncSync(this.fd);
      this.isDirtyForSync = false;
    }
    if (this.isStateDirty) this.writeState();
  }

  /** Current metrics. */
  metrics(): OutboxMetrics {
    const oldest = this.pending[this.head];
    return {
      queued: this.pending.length - this.sendPos,
      inFlight: this.sendPos - this.head,
      delivered: this.delivered,
      dropped: this.dropped,
      lagMs: oldest ? Math.max(0, this.now() - oldest.appendedMs) : 0,
      bytes: this.bytes,
      maxBytes: this.maxBytes,
      isNearLimit: this.bytes >= this.maxBytes * this.warnRatio,
      corruptRecords: this.corrupt,
    };
  }

  /** Flush and close the files. */
  close(): void {
    if (this.isClosed) return;
    if (this.syncTimer) clearInterval(this.syncTimer);
    this.sync();
    this.isClosed = true;
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}
