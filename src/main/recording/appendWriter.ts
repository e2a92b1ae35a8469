/**
 * Append-only line writer with the recording's flush policy: lines are buffered in memory and
 * written with one `write` call at least every `flushEveryMs` (a timer), when the buffer passes
 * `maxBufferBytes`, and on close. After a kill -9 the file holds everything up to the last flush,
 * so at most `flushEveryMs` of data is lost. `fdatasync` after each flush is optional (it protects
 * against power loss, not process death, and costs throughput).
 */
import { closeSync, fdatasyncSync, fstatSync, openSync, writeSync } from 'node:fs';

/** Writer options. */
export interface AppendWriterOptions {
  /** Flush period (ms); default 500, so a crash loses well under one second. */
  readonly flushEveryMs?: number;
  /** Flush early when this many bytes are buffered; default 1 MiB. */
  readonly maxBufferBytes?: number;
  /** Call fdatasync after each flush. */
  readonly isSyncing?: boolean;
  /** Called when a write fails (disk full, file removed); the buffer is kept for a retry. */
  readonly onError?: (err: Error) => void;
}

/** An append-only line file. */
export class AppendWriter {
  private readonly fd: number;
  private buffer: string[] = [];
  private bufferedChars = 0;
  private timer: ReturnType<typeof setInterval> | null = null;
  private writtenBytes: number;
  private isClosed = false;
  private readonly maxBufferBytes: number;

  constructor(
    readonly path: string,
    private readonly options: AppendWriterOptions = {},
  ) {
    this.fd = openSync(path, 'a');
    this.writtenBytes = fstatSync(this.fd).size;
    this.maxBufferBytes = options.maxBufferBytes ?? 1 << 20;
    this.timer = setInterval(() => this.flush(), options.flushEveryMs ?? 500);
    this.timer.unref?.();
  }

  /** Bytes on disk plus bytes buffered (approximate for non-ASCII text). */
  get sizeBytes(): number {
    return this.writtenBytes + this.bufferedChars;
  }

  /** Queue one complete line (must end with `\n`). */
  append(line: string): void {
    if (this.isClosed) return;
    this.buffer.push(line);
    this.bufferedChars += line.length;
    if (this.bufferedChars >= this.maxBufferBytes) this.flush();
  }

  /** Write everything buffered now; returns false when the write failed (the unwritten rest stays buffered). */
  flush(): boolean {
    if (this.buffer.length === 0) return true;
    const data = Buffer.from(this.buffer.join(''), 'utf8');
    let offset = 0;
    try {
      while (offset < data.length) offset += writeSync(this.fd, data, offset, data.length - offset);
      if (this.options.isSyncing) fdatasyncSync(this.fd);
    } catch (err) {
      this.writtenBytes += offset;
      const rest = data.subarray(offset).toString('utf8');
      this.buffer = [rest];
      this.bufferedChars = rest.length;
      this.options.onError?.(err as Error);
      return false;
    }
    this.writtenBytes += data.length;
    this.buffer = [];
    this.bufferedChars = 0;
    return true;
  }

  /** Flush and close the file. */
  close(): void {
    if (this.isClosed) return;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.flush();
    this.isClosed = true;
    closeSync(this.fd);
  }
}
