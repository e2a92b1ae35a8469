/**
 * Append-only line writer with the recording's durability policy (docs/security.md
 * "Durability"): lines are buffered in memory and written with one `write` call at least every
 * `flushEveryMs` (500 ms), when the buffer passes `maxBufferBytes`, and on close; the file is
 * `fdatasync`ed at least every `syncEveryMs` (1000 ms) and on close. A killed process loses at most
 * the last flush period, a power loss at most the last second.
 *
 * The file is created 0600. A write that fails (disk full, I/O error, read-only) ends the writer:
 * the file is cut back to its last whole line (so every line on disk passes its CRC), nothing more
 * is written, and every line not kept is counted in {@link AppendWriter.droppedLines}. It never
 * retries in a loop and never throws from `append`.
 */
import { closeSync, fdatasyncSync, fstatSync, ftruncateSync, writeSync } from 'node:fs';
import { openPrivate } from '../../broker/privateFiles';

/** Writer options. */
export interface AppendWriterOptions {
  /** Write period (ms); default 500, so a killed process loses well under one second. */
  readonly flushEveryMs?: number;
  /** `fdatasync` period (ms); default 1000 (power loss loses at most a second); 0 = never (benchmark baseline only). */
  readonly syncEveryMs?: number;
  /** Flush early when this many bytes are buffered; default 1 MiB. */
  readonly maxBufferBytes?: number;
  /** Called once when a write or sync fails; the writer has then stopped. */
  readonly onError?: (err: Error) => void;
}

/** An append-only line file. */
export class AppendWriter {
  private readonly fd: number;
  private buffer: string[] = [];
  private bufferedChars = 0;
  private timer: ReturnType<typeof setInterval> | null = null;
  private syncTimer: ReturnType<typeof setInterval> | null = null;
  private writtenBytes: number;
  private isClosed = false;
  private isDirty = false;
  private failure: Error | null = null;
  private dropped = 0;
  private readonly maxBufferBytes: number;

  constructor(
    readonly path: string,
    private readonly options: AppendWriterOptions = {},
  ) {
    this.fd = openPrivate(path, 'a');
    this.writtenBytes = fstatSync(this.fd).size;
    this.maxBufferBytes = options.maxBufferBytes ?? 1 << 20;
    this.timer = setInterval(() => this.flush(), options.flushEveryMs ?? 500);
    this.timer.unref?.();
    const syncEveryMs = options.syncEveryMs ?? 1000;
    if (syncEveryMs > 0) {
      this.syncTimer = setInterval(() => this.sync(), syncEveryMs);
      this.syncTimer.unref?.();
    }
  }

  /** Bytes on disk plus bytes buffered (approximate for non-ASCII text). */
  get sizeBytes(): number {
    return this.writtenBytes + this.bufferedChars;
  }

  /** Bytes known to be on disk (whole lines only). */
  get bytesOnDisk(): number {
    return this.writtenBytes;
  }

  /** The error that stopped the writer, or null. */
  get error(): Error | null {
    return this.failure;
  }

  /** Lines that were given to the writer but are not in the file (after a failure). */
  get droppedLines(): number {
    return this.dropped;
  }

  /** Queue one complete line (must end with `\n`). After a failure the line is counted as dropped. */
  append(line: string): void {
    if (this.isClosed) return;
    if (this.failure) {
      this.dropped += 1;
      return;
    }
    this.buffer.push(line);
    this.bufferedChars += line.length;
    if (this.bufferedChars >= this.maxBufferBytes) this.flush();
  }

  /** Write everything buffered now; returns false when the writer has failed. */
  flush(): boolean {
    if (this.failure) return false;
    if (this.buffer.length === 0) return true;
    const data = Buffer.from(this.buffer.join(''), 'utf8');
    const lineCount = this.buffer.length;
    this.buffer = [];
    this.bufferedChars = 0;
    let offset = 0;
    try {
      while (offset < data.length) offset += writeSync(this.fd, data, offset, data.length - offset);
    } catch (err) {
      this.fail(err as Error, data, offset, lineCount);
      return false;
    }
    this.writtenBytes += data.length;
    this.isDirty = true;
    return true;
  }

  /** Flush and `fdatasync` now (the timer does this every `syncEveryMs`). */
  sync(): boolean {
    if (!this.flush()) return false;
    if (!this.isDirty) return true;
    try {
      fdatasyncSync(this.fd);
      this.isDirty = false;
      return true;
    } catch (err) {
      this.fail(err as Error, Buffer.alloc(0), 0, 0);
      return false;
    }
  }

  /** Flush, sync (unless syncing is off) and close the file. */
  close(): void {
    if (this.isClosed) return;
    if (this.timer) clearInterval(this.timer);
    if (this.syncTimer) clearInterval(this.syncTimer);
    this.timer = null;
    this.syncTimer = null;
    if ((this.options.syncEveryMs ?? 1000) > 0) this.sync();
    else this.flush();
    this.isClosed = true;
    closeSync(this.fd);
  }

  /** Stop writing: cut the file back to its last whole line and count what is lost. */
  private fail(err: Error, data: Buffer, offset: number, lineCount: number): void {
    this.failure = err;
    if (this.timer) clearInterval(this.timer);
    if (this.syncTimer) clearInterval(this.syncTimer);
    this.timer = null;
    this.syncTimer = null;
    // whole lines of this write that reached the file stay; a torn one is cut off
    const written = data.subarray(0, offset);
    const lastNewline = written.lastIndexOf(0x0a);
    const keptBytes = lastNewline + 1;
    let keptLines = 0;
    for (let i = written.indexOf(0x0a); i >= 0 && i < keptBytes; i = written.indexOf(0x0a, i + 1)) keptLines += 1;
    if (keptBytes < offset) {
      try {
        ftruncateSync(this.fd, this.writtenBytes + keptBytes);
      } catch (truncErr) {
        // recovery at the next start cuts a torn tail by CRC; note it for whoever reads the log
        console.error(`Sensor Relay: could not cut ${this.path} back to its last whole line: ${(truncErr as Error).message}`);
      }
    }
    this.writtenBytes += keptBytes;
    this.dropped += lineCount - keptLines;
    this.options.onError?.(err);
  }
}
