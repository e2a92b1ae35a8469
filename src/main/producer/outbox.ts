/**
 * Durable outbox of one uplink (docs/broker-protocol.md §5.6, §13).
 *
 * Every reading is appended to disk before anything is sent: `<dir>/seg-<firstSeq>.log` files of
 * lines `<crc32 hex> {"seq":N,"t":"HEART_RATE","d":{"ts":"…","val":72}}`, one `writeSync` per hub
 * batch (a killed process loses nothing the kernel accepted; fsync at most once a second for power
 * loss). The delivery watermark (`state.json`, written tmp+rename) only moves on HEARTBEAT_ACK: an
 * ACK proves that every frame sent before its HEARTBEAT reached the broker. Entries past the
 * watermark are re-sent in order, with their original `ts`, after a reconnect or a restart.
 * Segments wholly at or below the watermark are deleted. The outbox is bounded: at 80 % a warning,
 * at the limit the OLDEST undelivered entries are dropped and counted in `dropped` (never silent).
 * Files are 0600 in a 0700 folder. A write that fails (disk full, I/O error) cuts the segment back
 * to its last whole line, keeps nothing of that batch, and counts its readings in `unstored`
 * (docs/security.md "A full disk"); the next batch tries again, so writing resumes once there is
 * space.
 */
import {
  fsync,
  rename,
  unlink,
  writeFile,
  closeSync,
  existsSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  readdirSync,
  readFileSync,
  renameSync,
  truncateSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { makePrivateDir, openPrivate, writePrivateFileAtomic } from '../../broker/privateFiles';
import { join } from 'node:path';
import * as zlib from 'node:zlib';
import { z } from 'zod';
import { fail, ok, type Result } from '../../shared/errors';
import { crc32Hex, crc32Utf8 } from '../../shared/recording/crc32';

/** Default bound on undelivered entries. */
export const DEFAULT_OUTBOX_MAX_ENTRIES = 500_000;
/** Fraction of the bound at which the outbox warns. */
export const OUTBOX_WARN_FRACTION = 0.8;

/**
 * One reading to append: Terra label and sample payload (`{ts, val}` or `{ts, d}`), either as an
 * object or already as its JSON text (`dJson`, the hot path: no object and no stringify per reading).
 */
export type OutboxInput = {
  readonly t: string;
  /** Capture time (epoch ms), for the lag metric. */
  readonly tMs: number;
} & ({ readonly d: Readonly<Record<string, unknown>>; readonly dJson?: undefined } | { readonly dJson: string; readonly d?: undefined });

/** One stored entry with its SUBMIT frame text, ready to send. */
export interface OutboxEntry {
  readonly seq: number;
  readonly tMs: number;
  /** `{"op":6,"t":…,"d":…}` */
  readonly frame: string;
}

/** Counters shown in the UI. */
export interface OutboxMetrics {
  /** Stored, not yet written to a socket in this connection. */
  readonly queued: number;
  /** Written to the socket, not yet proven by a HEARTBEAT_ACK. */
  readonly inFlight: number;
  /** Proven delivered (total, persisted across restarts). */
  readonly delivered: number;
  /** Dropped at the size limit, oldest first (total, persisted). */
  readonly dropped: number;
  /** Age of the oldest undelivered reading (ms), 0 when empty. */
  readonly lagMs: number;
  readonly maxEntries: number;
  /** At or above 80 % of `maxEntries`. */
  readonly isNearLimit: boolean;
  /** Lines skipped on open because their CRC did not match (torn tails are repaired, not counted). */
  readonly corruptLines: number;
  /** Readings that could not be stored (disk full, I/O error): never sent (total since open). */
  readonly unstored: number;
}

/** Options of {@link Outbox.open}. */
export interface OutboxOptions {
  readonly dir: string;
  readonly maxEntries?: number;
  /** New segment after this many entries (default 50 000). */
  readonly segmentEntries?: number;
  /** fsync at most this often (default 1000 ms). */
  readonly fsyncEveryMs?: number;
  /** Move delivered segments to `<dir>/delivered/` instead of deleting them (audits and tests). */
  readonly isDeliveredKept?: boolean;
  readonly now?: () => number;
  /** Called once each time the outbox crosses 80 % of its bound, and when it drops entries. */
  readonly onWarning?: (message: string) => void;
}

const stateSchema = z.object({ watermark: z.number().int().min(0), delivered: z.number().int().min(0), dropped: z.number().int().min(0) });
const lineSchema = z.object({ seq: z.number().int().positive(), t: z.string(), d: z.record(z.string(), z.unknown()) });

interface Segment {
  readonly name: string;
  readonly firstSeq: number;
  lastSeq: number;
}

/** CRC-32 of a line's UTF-8 text: zlib's native one (Node ≥ 20.15; the same IEEE CRC) on the append path, else ours. */
const lineCrc: (text: string) => number = typeof (zlib as { crc32?: unknown }).crc32 === 'function' ? (text) => (zlib as unknown as { crc32(t: string): number }).crc32(text) : crc32Utf8;

/** Segment file name for its first seq. */
function segmentName(firstSeq: number): string {
  return `seg-${String(firstSeq).padStart(12, '0')}.log`;
}

/** Parse one stored line; null when its CRC or JSON is bad. */
export function parseOutboxLine(line: string): { seq: number; t: string; d: Record<string, unknown> } | null {
  if (line.length < 10 || line[8] !== ' ') return null;
  const json = line.slice(9);
  if (crc32Hex(crc32Utf8(json)) !== line.slice(0, 8)) return null;
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (err) {
    void err; // the CRC matched but the JSON did not parse: treat as corrupt
    return null;
  }
  const parsed = lineSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/** Read every valid line of a segment file (the reader tests and audits use too); `goodEnd` is the byte length up to the last good line. */
export function readSegment(path: string): { entries: { seq: number; t: string; d: Record<string, unknown> }[]; goodEnd: number; size: number; corrupt: number } {
  const buf = readFileSync(path);
  const entries: { seq: number; t: string; d: Record<string, unknown> }[] = [];
  let start = 0;
  let goodEnd = 0;
  let corrupt = 0;
  while (start < buf.length) {
    const nl = buf.indexOf(0x0a, start);
    if (nl < 0) break; // no newline: torn tail
    const entry = parseOutboxLine(buf.toString('utf8', start, nl));
    if (entry) {
      entries.push(entry);
      goodEnd = nl + 1;
    } else corrupt++;
    start = nl + 1;
  }
  return { entries, goodEnd, size: buf.length, corrupt };
}

/** A durable, bounded, append-only outbox. */
export class Outbox {
  private readonly entries: OutboxEntry[] = [];
  private head = 0;
  private sentCount = 0;
  private nextSeq = 1;
  private watermark = 0;
  private delivered = 0;
  private dropped = 0;
  private corrupt = 0;
  private unstored = 0;
  /** Bytes of whole lines in the open segment. */
  private currentBytes = 0;
  private segments: Segment[] = [];
  private fd: number | null = null;
  private current: Segment | null = null;
  private currentCount = 0;
  private isDirty = false;
  private isStateDirty = false;
  private isStateWriting = false;
  private isStateQueued = false;
  private isFsyncing = false;
  private isClosed = false;
  /** Set once `load` is done: from then on delivered segments are removed in the background. */
  private isLoaded = false;
  /** Delivered segments being removed in the background (path → `delivered/` path when kept); close() finishes them. */
  private readonly retiring = new Map<string, string | null>();
  private wasNearLimit = false;
  private readonly timer: ReturnType<typeof setInterval>;
  private readonly now: () => number;
  /** The last label and its JSON text (a batch is mostly one label). */
  private lastT = '';
  private lastTJson = '""';
  readonly maxEntries: number;

  private constructor(private readonly options: OutboxOptions) {
    this.now = options.now ?? Date.now;
    this.maxEntries = options.maxEntries ?? DEFAULT_OUTBOX_MAX_ENTRIES;
    this.timer = setInterval(() => this.flush(), options.fsyncEveryMs ?? 1000);
    this.timer.unref?.();
  }

  /** Open (or create) the outbox in `options.dir`, repairing torn tails and loading undelivered entries. */
  static open(options: OutboxOptions): Result<Outbox> {
    const box = new Outbox(options);
    try {
      box.load();
    } catch (err) {
      box.close();
      return fail('BROKER_OUTBOX_IO', `outbox ${options.dir} could not be opened: ${(err as Error).message}`);
    }
    return ok(box);
  }

  private load(): void {
    const dir = this.options.dir;
    makePrivateDir(dir);
    const statePath = join(dir, 'state.json');
    if (existsSync(statePath)) {
      const parsed = stateSchema.safeParse(JSON.parse(readFileSync(statePath, 'utf8')));
      if (!parsed.success) throw new Error(`${statePath} is invalid`);
      ({ watermark: this.watermark, delivered: this.delivered, dropped: this.dropped } = parsed.data);
    }
    let maxSeq = this.watermark;
    const names = readdirSync(dir).filter((n) => /^seg-\d{12}\.log$/.test(n)).sort();
    for (const name of names) {
      const path = join(dir, name);
      const seg = readSegment(path);
      if (seg.goodEnd < seg.size) truncateSync(path, seg.goodEnd); // torn tail after a crash
      this.corrupt += seg.corrupt;
      let lastSeq = 0;
      for (const e of seg.entries) {
        lastSeq = Math.max(lastSeq, e.seq);
        maxSeq = Math.max(maxSeq, e.seq);
        if (e.seq <= this.watermark) continue;
        const ts = typeof e.d.ts === 'string' ? Date.parse(e.d.ts) : NaN;
        this.entries.push({ seq: e.seq, tMs: Number.isFinite(ts) ? ts : this.now(), frame: submitText(JSON.stringify(e.t), JSON.stringify(e.d)) });
      }
      this.segments.push({ name, firstSeq: Number(name.slice(4, 16)), lastSeq });
    }
    this.nextSeq = maxSeq + 1;
    this.removeDeliveredSegments();
    this.isLoaded = true;
  }

  /** Append one hub batch with a single write; returns the number stored. Entries past the bound drop the oldest undelivered ones. */
  append(batch: readonly OutboxInput[]): Result<number> {
    if (batch.length === 0) return ok(0);
    let text = '';
    const firstSeq = this.nextSeq;
    const added: OutboxEntry[] = [];
    for (const input of batch) {
      const seq = this.nextSeq++;
      if (input.t !== this.lastT) {
        this.lastT = input.t;
        this.lastTJson = JSON.stringify(input.t);
      }
      const tJson = this.lastTJson;
      const dJson = input.dJson ?? JSON.stringify(input.d);
      const json = `{"seq":${seq},"t":${tJson},"d":${dJson}}`;
      text += `${crc32Hex(lineCrc(json))} ${json}\n`;
      added.push({ seq, tMs: input.tMs, frame: submitText(tJson, dJson) });
    }
    const data = Buffer.from(text, 'utf8');
    let written = 0;
    try {
      if (this.fd === null || this.currentCount >= (this.options.segmentEntries ?? 50_000)) this.rotate(firstSeq);
      while (written < data.length) written += writeSync(this.fd!, data, written, data.length - written);
      this.currentBytes += data.length;
      this.current!.lastSeq = this.nextSeq - 1;
      this.currentCount += batch.length;
      this.isDirty = true;
    } catch (err) {
      this.nextSeq = firstSeq;
      this.unstored += batch.length;
      if (written > 0 && this.fd !== null) {
        try {
          ftruncateSync(this.fd, this.currentBytes); // no torn line for the next batch to follow
        } catch (truncErr) {
          void truncErr; // a torn tail is skipped by its CRC on the next open
        }
      }
      return fail('BROKER_OUTBOX_IO', `outbox ${this.options.dir}: write failed (${(err as Error).message}); ${batch.length} readings not stored, ${this.unstored} in total`);
    }
    for (const e of added) this.entries.push(e);
    this.enforceBound();
    return ok(batch.length);
  }

  private rotate(firstSeq: number): void {
    if (this.fd !== null) {
      fsyncSync(this.fd);
      closeSync(this.fd);
    }
    const seg: Segment = { name: segmentName(firstSeq), firstSeq, lastSeq: firstSeq - 1 };
    this.fd = openPrivate(join(this.options.dir, seg.name), 'a');
    this.currentBytes = fstatSync(this.fd).size;
    this.current = seg;
    this.currentCount = 0;
    this.segments.push(seg);
  }

  private enforceBound(): void {
    const size = this.entries.length - this.head;
    const isNear = size >= this.maxEntries * OUTBOX_WARN_FRACTION;
    if (isNear && !this.wasNearLimit) {
      this.options.onWarning?.(`outbox ${this.options.dir} is ${Math.round((size / this.maxEntries) * 100)} % full (${size} of ${this.maxEntries} readings undelivered); at the limit the oldest readings are dropped`);
    }
    this.wasNearLimit = isNear;
    const excess = size - this.maxEntries;
    if (excess <= 0) return;
    const last = this.entries[this.head + excess - 1]!;
    this.head += excess;
    this.sentCount = Math.max(0, this.sentCount - excess);
    this.dropped += excess;
    this.watermark = Math.max(this.watermark, last.seq);
    this.isStateDirty = true;
    this.options.onWarning?.(`outbox ${this.options.dir} is full: dropped the ${excess} oldest undelivered readings (${this.dropped} dropped in total)`);
    this.compact();
  }

  /** Up to `max` entries not yet written to the current connection, oldest first. */
  pending(max: number): readonly OutboxEntry[] {
    const from = this.head + this.sentCount;
    return this.entries.slice(from, Math.min(from + max, this.entries.length));
  }

  /** The next `n` pending entries were written to the socket. */
  markSent(n: number): void {
    this.sentCount = Math.min(this.sentCount + n, this.entries.length - this.head);
  }

  /** Seq of the last entry written to the socket (the watermark when none): what a HEARTBEAT sent now will prove. */
  get sentSeq(): number {
    return this.sentCount === 0 ? this.watermark : this.entries[this.head + this.sentCount - 1]!.seq;
  }

  /** Highest delivered seq. */
  get deliveredSeq(): number {
    return this.watermark;
  }

  /** A HEARTBEAT_ACK arrived for a HEARTBEAT sent when `sentSeq` was `seq`: everything up to `seq` is delivered. */
  ack(seq: number): void {
    if (seq <= this.watermark) return;
    let n = 0;
    while (this.head + n < this.entries.length && this.entries[this.head + n]!.seq <= seq) n++;
    this.head += n;
    this.sentCount = Math.max(0, this.sentCount - n);
    this.delivered += n;
    this.watermark = seq;
    this.isStateDirty = true;
    this.persistState();
    try {
      this.removeDeliveredSegments();
    } catch (err) {
      this.options.onWarning?.(`outbox ${this.options.dir}: a delivered segment could not be removed (${(err as Error).message})`);
    }
    this.compact();
  }

  /** The connection ended: everything not proven delivered is pending again (re-sent in order with its original ts). */
  rewind(): void {
    this.sentCount = 0;
  }

  /** Capture time (epoch ms) of the oldest reading not yet proven delivered, or null when none. */
  get oldestUndeliveredTMs(): number | null {
    return this.entries[this.head]?.tMs ?? null;
  }

  /** Entries stored but not yet written to the current connection (cheap; the pump checks it every turn). */
  get queuedCount(): number {
    return this.entries.length - this.head - this.sentCount;
  }

  /** Current counters. */
  metrics(): OutboxMetrics {
    const size = this.entries.length - this.head;
    const oldest = this.entries[this.head];
    return {
      queued: size - this.sentCount,
      inFlight: this.sentCount,
      delivered: this.delivered,
      dropped: this.dropped,
      lagMs: oldest ? Math.max(0, this.now() - oldest.tMs) : 0,
      maxEntries: this.maxEntries,
      isNearLimit: size >= this.maxEntries * OUTBOX_WARN_FRACTION,
      corruptLines: this.corrupt,
      unstored: this.unstored,
    };
  }

  /**
   * fsync the open segment and persist a changed state (the timer, at most once a second). Both run
   * in the background (libuv's thread pool), so the event loop that forwards readings never waits
   * for the disk; a kill loses nothing the kernel accepted, a power cut at most the last second.
   */
  flush(): void {
    if (this.isDirty && this.fd !== null && !this.isFsyncing) {
      this.isDirty = false;
      this.isFsyncing = true;
      fsync(this.fd, (err) => {
        this.isFsyncing = false;
        if (err && !this.isClosed) this.options.onWarning?.(`outbox ${this.options.dir}: flush failed (${err.message})`);
      });
    }
    this.persistState();
  }

  /** Flush and close the open segment (synchronously: the state on disk is final when this returns). */
  close(): void {
    clearInterval(this.timer);
    this.isClosed = true;
    try {
      if (this.fd !== null) fsyncSync(this.fd);
      if (this.isStateDirty || this.isStateWriting) this.writeStateSync();
    } catch (err) {
      this.options.onWarning?.(`outbox ${this.options.dir}: flush failed (${(err as Error).message})`);
    }
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    // the files on disk are final when close returns: finish removals still running in the background
    for (const [path, to] of this.retiring) {
      try {
        retireSync(path, to);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') this.options.onWarning?.(`outbox ${this.options.dir}: a delivered segment could not be removed (${(err as Error).message})`);
      }
    }
    this.retiring.clear();
  }

  /**
   * Write `state.json` (tmp + rename) in the background, one write at a time; a change during a
   * write is written after it. It starts on the next turn, so a close() in the same turn (shutdown
   * right after an ACK) writes the state itself and nothing is left in flight behind it.
   */
  private persistState(): void {
    if (this.isStateQueued || this.isStateWriting || !this.isStateDirty || this.isClosed) return;
    this.isStateQueued = true;
    setImmediate(() => {
      this.isStateQueued = false;
      this.startStateWrite();
    });
  }

  private startStateWrite(): void {
    if (this.isStateWriting || !this.isStateDirty || this.isClosed) return;
    this.isStateWriting = true;
    this.isStateDirty = false;
    const path = join(this.options.dir, 'state.json');
    const tmp = `${path}.tmp`;
    const fail = (err: Error): void => {
      this.isStateWriting = false;
      this.isStateDirty = true;
      this.options.onWarning?.(`outbox ${this.options.dir}: the delivery watermark could not be saved (${err.message}); retrying`);
    };
    writeFile(tmp, this.stateText(), { mode: 0o600 }, (err) => {
      if (err) return fail(err);
      if (this.isClosed) {
        // close() wrote the final state itself; this copy is stale
        unlink(tmp, (e) => void e);
        return;
      }
      rename(tmp, path, (err2) => {
        if (err2) return fail(err2);
        this.isStateWriting = false;
        this.persistState();
      });
    });
  }

  private stateText(): string {
    return JSON.stringify({ watermark: this.watermark, delivered: this.delivered, dropped: this.dropped });
  }

  private writeStateSync(): void {
    const path = join(this.options.dir, 'state.json');
    writePrivateFileAtomic(path, this.stateText());
    this.isStateDirty = false;
  }

  private removeDeliveredSegments(): void {
    const current = this.current;
    if (current && this.fd !== null && !this.isFsyncing && current.lastSeq >= current.firstSeq && current.lastSeq <= this.watermark) {
      // everything written is delivered: retire the open segment too, so a drained outbox is empty on disk
      closeSync(this.fd);
      this.fd = null;
      this.current = null;
      this.isDirty = false;
    }
    const keep: Segment[] = [];
    for (const seg of this.segments) {
      const isCurrent = seg === this.current;
      if (!isCurrent && seg.lastSeq <= this.watermark) this.retire(seg);
      else keep.push(seg);
    }
    this.segments = keep;
  }

  /**
   * Remove (or keep aside) a wholly delivered segment. While running this happens in the background:
   * an unlink can wait on the file system for milliseconds, and 50 uplinks each retire a segment per
   * heartbeat. A segment a crash leaves behind holds only lines at or below the watermark, which the
   * next open skips and removes.
   */
  private retire(seg: Segment): void {
    const path = join(this.options.dir, seg.name);
    let to: string | null = null;
    if (this.options.isDeliveredKept) {
      makePrivateDir(join(this.options.dir, 'delivered'));
      to = join(this.options.dir, 'delivered', seg.name);
    }
    if (!this.isLoaded || this.isClosed) return retireSync(path, to);
    this.retiring.set(path, to);
    const done = (err: NodeJS.ErrnoException | null): void => {
      this.retiring.delete(path);
      if (err && !this.isClosed) this.options.onWarning?.(`outbox ${this.options.dir}: a delivered segment could not be removed (${err.message})`);
    };
    if (to === null) unlink(path, done);
    else rename(path, to, done);
  }

  private compact(): void {
    if (this.head > 4096 && this.head * 2 > this.entries.length) {
      this.entries.splice(0, this.head);
      this.head = 0;
    }
  }
}

/** Remove a delivered segment now, or move it to `to` (the `delivered/` folder) when kept. */
function retireSync(path: string, to: string | null): void {
  if (to === null) unlinkSync(path);
  else renameSync(path, to);
}

/** SUBMIT frame text from pre-encoded `t` and `d` (§6.1). */
function submitText(tJson: string, dJson: string): string {
  return `{"op":6,"t":${tJson},"d":${dJson}}`;
}
