/**
 * Per-developer dispatch log of the local broker: assigns the monotonic `seq` (§6.2) and keeps the
 * replay store (§7). With a data dir it is persisted append-only, so a restarted (even killed)
 * broker keeps `seq` monotonic and can still replay: every line is `<receivedAtMs> <DISPATCH JSON>`,
 * written once per event-loop turn, before any consumer socket is written; seq numbers are reserved
 * on disk in blocks ahead of use, so a torn tail can never make a restarted broker reuse a seq. The
 * store is two files, the current one and the one before it: once the current file holds
 * `maxCount` lines it becomes the previous one (no rewrite of retained lines on the event loop).
 *
 * Retention is by count, age and bytes (docs/security.md "Broker limits"). Files are 0600 in a 0700
 * folder. A write that fails (disk full, I/O error) never throws: the file is cut back to its last
 * whole line, the dispatches stay in memory for replay, and the ones not persisted are counted in
 * {@link DispatchLog.unstored}; writing is tried again after {@link STORAGE_RETRY_MS}.
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, fstatSync, ftruncateSync, readFileSync, renameSync, truncateSync } from 'node:fs';
import { makePrivateDir, openPrivate, storageErrorReason, writeAll, writePrivateFileAtomic, writePrivateFileAtomicInBackground } from './privateFiles';
import { join } from 'node:path';
import type { Payload } from '../shared/terra';

/** Retention and numbering options of a log. */
export interface DispatchLogOptions {
  readonly seqMode: 'sparse' | 'dense';
  readonly maxCount: number;
  readonly maxAgeMs: number;
  /** Bytes of retained DISPATCH text (default {@link DEFAULT_REPLAY_MAX_BYTES}). */
  readonly maxBytes?: number;
  readonly lagMs: number;
  /** Told once per failure period when the store cannot write (with the running count). */
  readonly onProblem?: (message: string) => void;
  readonly dataDir?: string;
  readonly random: () => number;
  readonly nowMs: () => number;
}

/**
 * Seqs reserved on disk per block. The next block is reserved in the background once half of the
 * current one is used, so the event loop waits for the disk only at the first dispatch after a start
 * (or when the background write is slower than half a block of dispatches).
 */
const SEQ_RESERVE_BLOCK = 200_000;
/** Default byte bound of the replay store. */
export const DEFAULT_REPLAY_MAX_BYTES = 64 * 1024 * 1024;
/** After a failed write, the store tries the disk again after this long. */
export const STORAGE_RETRY_MS = 5000;

/** File-name-safe key of a developer id. */
export function devFileKey(devId: string): string {
  const safe = devId.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 40);
  return `${safe}-${createHash('sha256').update(devId).digest('hex').slice(0, 8)}`;
}

/** The dispatch log of one developer stream. */
export class DispatchLog {
  private seqs: number[] = [];
  private atMs: number[] = [];
  private texts: string[] = [];
  private head = 0;
  private lastSeqValue = 0;
  /** Highest seq whose reservation is on disk: no seq above it is ever issued. */
  private reservedUpTo = 0;
  private isReservingAhead = false;
  /** Highest reservation written synchronously (a background write that lands later must not lower the file). */
  private syncReservedUpTo = 0;
  private isClosed = false;
  private fd: number | null = null;
  private pending: string[] = [];
  private isFlushScheduled = false;
  private linesOnDisk = 0;
  private bytesOnDisk = 0;
  private retainedBytes = 0;
  private unstoredCount = 0;
  private storageFailedAtMs: number | null = null;
  /** When turning the store over last failed (tried again after STORAGE_RETRY_MS), else null. */
  private rotateFailedAtMs: number | null = null;
  /** When reserving seqs in the background last failed (tried again after STORAGE_RETRY_MS), else null. */
  private reserveAheadFailedAtMs: number | null = null;
  private readonly logPath: string | null;
  /** The file before the current one (see {@link DispatchLog.rotate}). */
  private readonly prevPath: string | null;
  private readonly seqPath: string | null;

  constructor(
    devId: string,
    private readonly options: DispatchLogOptions,
  ) {
    if (options.dataDir) {
      makePrivateDir(options.dataDir);
      const key = devFileKey(devId);
      this.logPath = join(options.dataDir, `${key}.dispatches.log`);
      this.prevPath = join(options.dataDir, `${key}.dispatches.prev.log`);
      this.seqPath = join(options.dataDir, `${key}.seq`);
      this.load();
      this.openLog();
      if (this.linesOnDisk >= options.maxCount) this.rotate();
    } else {
      this.logPath = null;
      this.prevPath = null;
      this.seqPath = null;
    }
  }

  /** The last seq assigned (0 before the first dispatch). */
  get lastSeq(): number {
    return this.lastSeqValue;
  }

  /** Number of retained dispatches. */
  get size(): number {
    return this.seqs.length - this.head;
  }

  /** Bytes of retained DISPATCH text. */
  get sizeBytes(): number {
    return this.retainedBytes;
  }

  /** Dispatches that could not be written to disk (kept in memory only). */
  get unstored(): number {
    return this.unstoredCount;
  }

  private openLog(): void {
    this.fd = openPrivate(this.logPath!, 'a');
    this.bytesOnDisk = fstatSync(this.fd).size;
  }

  /** Assign the next seq to a SUBMIT, store it, and return the DISPATCH text to fan out. */
  append(uid: string, t: string, d: Payload, synthetic = false): { readonly seq: number; readonly text: string } {
    const step = this.options.seqMode === 'dense' ? 1 : 1 + Math.floor(this.options.random() * 3);
    const seq = this.lastSeqValue === 0 ? 1 : this.lastSeqValue + step; // §6.2: starts at 1
    if (seq > this.reservedUpTo) this.reserve(seq + SEQ_RESERVE_BLOCK);
    else if (this.reservedUpTo - seq < SEQ_RESERVE_BLOCK / 2) this.reserveAhead(this.reservedUpTo + SEQ_RESERVE_BLOCK);
    this.lastSeqValue = seq;
    // the §4 DISPATCH text (keys op, d, uid, seq, t, synthetic), written directly: one JSON.stringify of d per reading
    const text = `{"op":5,"d":${JSON.stringify(d)},"uid":${JSON.stringify(uid)},"seq":${seq},"t":${JSON.stringify(t)}${synthetic ? ',"synthetic":true' : ''}}`;
    const now = this.options.nowMs();
    this.seqs.push(seq);
    this.atMs.push(now);
    this.texts.push(text);
    this.retainedBytes += text.length;
    if (this.fd !== null) {
      this.pending.push(`${now} ${text}\n`);
      if (!this.isFlushScheduled) {
        this.isFlushScheduled = true;
        setImmediate(() => this.flush()); // one write per event-loop turn (consumers' sockets flush it first: beforeWire)
      }
    }
    this.prune(now);
    return { seq, text };
  }

  /** Retained DISPATCH texts with `after < seq < before`, ascending, older than the replay lag. */
  range(after: number, before: number): string[] {
    if (after >= before) return [];
    const limitMs = this.options.nowMs() - this.options.lagMs;
    this.prune(this.options.nowMs());
    let lo = this.head;
    let hi = this.seqs.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.seqs[mid]! <= after) lo = mid + 1;
      else hi = mid;
    }
    const out: string[] = [];
    for (let i = lo; i < this.seqs.length && this.seqs[i]! < before; i++) {
      if (this.atMs[i]! > limitMs) break;
      out.push(this.texts[i]!);
    }
    return out;
  }

  /** Write pending lines to disk now; never throws (a failed write is counted, see the file comment). */
  flush(): void {
    this.isFlushScheduled = false;
    if (this.fd === null || this.pending.length === 0) return;
    const lines = this.pending.length;
    const chunk = Buffer.from(this.pending.join(''), 'utf8');
    this.pending = [];
    if (this.storageFailedAtMs !== null && this.options.nowMs() - this.storageFailedAtMs < STORAGE_RETRY_MS) {
      this.unstoredCount += lines;
      return;
    }
    try {
      writeAll(this.fd, chunk);
    } catch (err) {
      this.onWriteFailure(err, lines);
      return;
    }
    this.storageFailedAtMs = null;
    this.bytesOnDisk += chunk.length;
    this.linesOnDisk += lines;
    if (this.linesOnDisk >= this.options.maxCount) this.rotate();
  }

  private onWriteFailure(err: unknown, lines: number): void {
    this.unstoredCount += lines;
    const isFirst = this.storageFailedAtMs === null;
    this.storageFailedAtMs = this.options.nowMs();
    try {
      if (this.fd !== null) ftruncateSync(this.fd, this.bytesOnDisk); // whole lines only
    } catch (truncErr) {
      void truncErr; // a torn tail is cut at the next load
    }
    if (isFirst) {
      this.options.onProblem?.(
        `the replay store ${this.logPath} cannot write (${storageErrorReason(err)}): ${this.unstoredCount} dispatches kept in memory only so far; they are still delivered live and replayable until this broker stops`,
      );
    }
  }

  /** Flush and close the file. */
  close(): void {
    this.isClosed = true;
    this.flush();
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  /** Close the file without flushing (hard stop in tests: what a killed process leaves behind). */
  abandon(): void {
    this.isClosed = true;
    this.pending = [];
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  private reserve(upTo: number): void {
    this.reservedUpTo = upTo;
    this.syncReservedUpTo = upTo;
    if (!this.seqPath) return;
    try {
      writePrivateFileAtomic(this.seqPath, String(upTo));
    } catch (err) {
      // seq stays monotonic in this process; after a restart the log's last seq bounds it
      this.options.onProblem?.(`the seq reservation ${this.seqPath} could not be saved (${storageErrorReason(err)})`);
    }
  }

  /** Reserve the next block in the background; the reservation counts only once it is on disk. */
  private reserveAhead(upTo: number): void {
    if (!this.seqPath) {
      this.reservedUpTo = upTo;
      return;
    }
    if (this.isReservingAhead || this.isClosed) return;
    const now = this.options.nowMs();
    if (this.reserveAheadFailedAtMs !== null && now - this.reserveAheadFailedAtMs < STORAGE_RETRY_MS) return;
    this.isReservingAhead = true;
    writePrivateFileAtomicInBackground(this.seqPath, String(upTo), (err) => {
      this.isReservingAhead = false;
      if (this.isClosed) return;
      if (err) {
        // tried again after STORAGE_RETRY_MS, not on every dispatch; if the block runs out first it
        // is reserved synchronously (and reported there if that fails too)
        if (this.reserveAheadFailedAtMs === null) {
          this.options.onProblem?.(`the seq reservation ${this.seqPath} could not be saved in the background (${storageErrorReason(err)})`);
        }
        this.reserveAheadFailedAtMs = this.options.nowMs();
        return;
      }
      this.reserveAheadFailedAtMs = null;
      if (upTo > this.reservedUpTo) this.reservedUpTo = upTo;
      // a synchronous reservation overtook this write: put its higher value back on disk
      if (this.syncReservedUpTo > upTo) this.reserve(this.syncReservedUpTo);
    });
  }

  private prune(nowMs: number): void {
    const oldest = nowMs - this.options.maxAgeMs;
    const maxCount = this.options.maxCount;
    const maxBytes = this.options.maxBytes ?? DEFAULT_REPLAY_MAX_BYTES;
    while (
      this.head < this.seqs.length &&
      (this.seqs.length - this.head > maxCount || this.atMs[this.head]! < oldest || this.retainedBytes > maxBytes)
    ) {
      this.retainedBytes -= this.texts[this.head]!.length;
      this.head++;
    }
    if (this.head > 4096 && this.head * 2 > this.seqs.length) {
      this.seqs = this.seqs.slice(this.head);
      this.atMs = this.atMs.slice(this.head);
      this.texts = this.texts.slice(this.head);
      this.head = 0;
    }
  }

  private load(): void {
    if (this.seqPath && existsSync(this.seqPath)) {
      const reserved = Number(readFileSync(this.seqPath, 'utf8').trim());
      if (Number.isSafeInteger(reserved) && reserved > 0) this.lastSeqValue = reserved;
    }
    let maxSeq = 0;
    // the previous file first (older lines), then the current one
    for (const path of [this.prevPath, this.logPath]) {
      if (!path || !existsSync(path)) continue;
      let text = readFileSync(path, 'utf8');
      const end = text.lastIndexOf('\n') + 1;
      if (end < text.length) {
        truncateSync(path, Buffer.byteLength(text.slice(0, end)));
        text = text.slice(0, end);
      }
      let lines = 0;
      for (const line of text.split('\n')) {
        const space = line.indexOf(' ');
        if (space <= 0) continue;
        lines++;
        const at = Number(line.slice(0, space));
        const frameText = line.slice(space + 1);
        let seq: unknown;
        try {
          seq = (JSON.parse(frameText) as { seq?: unknown }).seq;
        } catch {
          continue; // a damaged line is skipped; the rest of the store stays usable
        }
        if (typeof seq !== 'number' || !Number.isFinite(at) || seq <= maxSeq) continue;
        maxSeq = seq;
        this.seqs.push(seq);
        this.atMs.push(at);
        this.texts.push(frameText);
        this.retainedBytes += frameText.length;
      }
      if (path === this.logPath) this.linesOnDisk = lines;
    }
    // Everything issued before the restart is ≤ the reservation; continue strictly above it.
    this.lastSeqValue = Math.max(this.lastSeqValue, maxSeq);
    this.reservedUpTo = this.lastSeqValue;
    this.prune(this.options.nowMs());
  }

  /**
   * The current file holds `maxCount` lines: they include every retained dispatch (retention keeps at
   * most `maxCount`), so the previous file is no longer needed. The current file becomes the previous
   * one (one rename) and a new file starts: the store on disk stays within two files of `maxCount`
   * lines without rewriting anything.
   */
  private rotate(): void {
    if (!this.logPath || !this.prevPath || this.fd === null) return;
    const now = this.options.nowMs();
    if (this.rotateFailedAtMs !== null && now - this.rotateFailedAtMs < STORAGE_RETRY_MS) return;
    let fresh: number;
    try {
      renameSync(this.logPath, this.prevPath); // the open descriptor now appends to the previous file
      try {
        fresh = openPrivate(this.logPath, 'a');
      } catch (err) {
        renameSync(this.prevPath, this.logPath); // undo: keep appending to the one file
        throw err;
      }
    } catch (err) {
      // never thrown out of a flush (the embedded broker runs inside the host): the store keeps
      // appending where it is, and turning over is tried again after STORAGE_RETRY_MS
      if (this.rotateFailedAtMs === null) {
        this.options.onProblem?.(`the replay store ${this.logPath} could not be turned over (${storageErrorReason(err)}); it keeps growing until it can`);
      }
      this.rotateFailedAtMs = now;
      return;
    }
    this.rotateFailedAtMs = null;
    const previous = this.fd;
    this.fd = fresh;
    this.bytesOnDisk = fstatSync(fresh).size;
    this.linesOnDisk = 0;
    try {
      closeSync(previous);
    } catch (err) {
      this.options.onProblem?.(`the previous replay store file could not be closed (${storageErrorReason(err)})`);
    }
  }
}
