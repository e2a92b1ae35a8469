/**
 * The output file of an XDF export: chunks are buffered and written in 1 MiB writes, and a
 * Boundary chunk follows whenever {@link BOUNDARY_EVERY_BYTES} were written since the last one,
 * so a reader of a damaged file finds a place to resume within that distance (docs/xdf.md).
 * The file is created with mode 0600, like every health-data file of the app.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { boundaryChunk } from './xdfChunks';

/** A Boundary chunk follows as soon as this many bytes were written since the last one. */
export const BOUNDARY_EVERY_BYTES = 1 << 20;
/** File bytes buffered before one write. */
const WRITE_BUFFER_BYTES = 1 << 20;

/** Buffered binary output with Boundary chunks. */
export class ChunkFile {
  private readonly fd: number;
  private parts: Buffer[] = [];
  private buffered = 0;
  private sinceBoundary = 0;
  bytes = 0;

  constructor(
    path: string,
    private readonly boundaryEvery: number,
  ) {
    this.fd = openSync(path, 'w', 0o600);
  }

  /** Append a chunk (or the magic code); a Boundary follows when one is due. */
  chunk(buf: Buffer): void {
    this.put(buf);
    this.sinceBoundary += buf.length;
    if (this.sinceBoundary >= this.boundaryEvery) {
      this.put(boundaryChunk());
      this.sinceBoundary = 0;
    }
  }

  /** Write what is buffered and close the file. */
  close(): void {
    this.flush();
    closeSync(this.fd);
  }

  private put(buf: Buffer): void {
    this.parts.push(buf);
    this.buffered += buf.length;
    this.bytes += buf.length;
    if (this.buffered >= WRITE_BUFFER_BYTES) this.flush();
  }

  private flush(): void {
    if (this.parts.length === 0) return;
    writeSync(this.fd, this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts, this.buffered));
    this.parts = [];
    this.buffered = 0;
  }
}

