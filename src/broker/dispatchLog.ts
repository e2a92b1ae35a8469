/**
 * Per-developer dispatch log of the local broker: assigns the monotonic `seq` (§6.2) and keeps the
 * replay store (§7). With a data dir it is persisted append-only, so a restarted (even killed)
 * broker keeps `seq` monotonic and can still replay: every line is `<receivedAtMs> <DISPATCH JSON>`,
 * written before the event loop turns; seq numbers are reserved on disk in blocks ahead of use, so a
 * torn tail can never make a restarted broker reuse a seq.
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { dispatch, encodeFrame, type Payload } from '../shared/terra';

/** Retention and numbering options of a log. */
export interface DispatchLogOptions {
  readonly seqMode: 'sparse' | 'dense';
  readonly maxCount: number;
  readonly maxAgeMs: number;
  readonly lagMs: number;
  readonly dataDir?: string;
  readonly random: () => number;
  readonly nowMs: () => number;
}

const SEQ_RESERVE_BLOCK = 1000;

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
  private reservedUpTo = 0;
  private fd: number | null = null;
  private pending: string[] = [];
  private isFlushScheduled = false;
  private linesOnDisk = 0;
  private readonly logPath: string | null;
  private readonly seqPath: string | null;

  constructor(
    devId: string,
    private readonly options: DispatchLogOptions,
  ) {
    if (options.dataDir) {
      mkdirSync(options.dataDir, { recursive: true });
      const key = devFileKey(devId);
      this.logPath = join(options.dataDir, `${key}.dispatches.log`);
      this.seqPath = join(options.dataDir, `${key}.seq`);
      this.load();
      if (this.fd === null) this.fd = openSync(this.logPath, 'a');
    } else {
      this.logPath = null;
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

  /** Assign the next seq to a SUBMIT, store it, and return the DISPATCH text to fan out. */
  append(uid: string, t: string, d: Payload, synthetic = false): { readonly seq: number; readonly text: string } {
    const step = this.options.seqMode === 'dense' ? 1 : 1 + Math.floor(this.options.random() * 3);
    const seq = this.lastSeqValue === 0 ? 1 : this.lastSeqValue + step; // §6.2: starts at 1
    if (seq > this.reservedUpTo) this.reserve(seq + SEQ_RESERVE_BLOCK);
    this.lastSeqValue = seq;
    const frame = dispatch(t, d, uid, seq);
    const text = encodeFrame(synthetic ? { ...frame, synthetic: true } : frame);
    const now = this.options.nowMs();
    this.seqs.push(seq);
    this.atMs.push(now);
    this.texts.push(text);
    if (this.fd !== null) {
      this.pending.push(`${now} ${text}\n`);
      if (!this.isFlushScheduled) {
        this.isFlushScheduled = true;
        queueMicrotask(() => this.flush());
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

  /** Write pending lines to disk now. */
  flush(): void {
    this.isFlushScheduled = false;
    if (this.fd === null || this.pending.length === 0) return;
    const chunk = this.pending.join('');
    this.linesOnDisk += this.pending.length;
    this.pending = [];
    writeSync(this.fd, chunk);
    if (this.linesOnDisk > 2 * this.options.maxCount + 1000) this.compact();
  }

  /** Flush and close the file. */
  close(): void {
    this.flush();
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  /** Close the file without flushing (hard stop in tests: what a killed process leaves behind). */
  abandon(): void {
    this.pending = [];
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  private reserve(upTo: number): void {
    this.reservedUpTo = upTo;
    if (!this.seqPath) return;
    writeFileSync(`${this.seqPath}.tmp`, String(upTo));
    renameSync(`${this.seqPath}.tmp`, this.seqPath);
  }

  private prune(nowMs: number): void {
    const oldest = nowMs - this.options.maxAgeMs;
    const maxCount = this.options.maxCount;
    while (this.seqs.length - this.head > maxCount || (this.head < this.seqs.length && this.atMs[this.head]! < oldest)) {
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
    if (!this.logPath || !existsSync(this.logPath)) {
      this.reservedUpTo = this.lastSeqValue;
      return;
    }
    let text = readFileSync(this.logPath, 'utf8');
    const end = text.lastIndexOf('\n') + 1;
    if (end < text.length) {
      truncateSync(this.logPath, Buffer.byteLength(text.slice(0, end)));
      text = text.slice(0, end);
    }
    let maxSeq = 0;
    for (const line of text.split('\n')) {
      const space = line.indexOf(' ');
      if (space <= 0) continue;
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
    }
    this.linesOnDisk = this.seqs.length;
    // Everything issued before the restart is ≤ the reservation; continue strictly above it.
    this.lastSeqValue = Math.max(this.lastSeqValue, maxSeq);
    this.reservedUpTo = this.lastSeqValue;
    this.prune(this.options.nowMs());
    if (this.linesOnDisk > this.options.maxCount + 1000) this.compact();
  }

  private compact(): void {
    if (!this.logPath) return;
    const lines: string[] = [];
    for (let i = this.head; i < this.seqs.length; i++) lines.push(`${this.atMs[i]} ${this.texts[i]}\n`);
    const tmp = `${this.logPath}.tmp`;
    writeFileSync(tmp, lines.join(''));
    if (this.fd !== null) closeSync(this.fd);
    renameSync(tmp, this.logPath);
    this.fd = openSync(this.logPath, 'a');
    this.linesOnDisk = lines.length;
  }
}
