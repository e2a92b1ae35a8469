/**
 * Streaming splitter for USB IN transfers — docs/ant-plus.md §1.2, §10.1: one transfer may carry several
 * messages, a message may straddle two transfers, and garbage must not stall the stream. Each emitted
 * frame is a fresh `Uint8Array` that owns its buffer (docs/ant-plus.md §9 B1).
 * Garbage is skipped byte by byte to the next 0xA4 and counted (ANT_BAD_SYNC); a frame whose checksum does
 * not match is dropped, counted (ANT_BAD_CHECKSUM), and the search resumes one byte after its sync.
 */
import { ANT_SYNC, FRAME_OVERHEAD, MAX_PAYLOAD_LENGTH } from './frame';

/** Error counters of a splitter. */
export interface SplitterStats {
  frames: number;
  /** Bytes skipped while looking for a sync byte (ANT_BAD_SYNC). */
  badSyncBytes: number;
  /** Frames dropped because of a wrong checksum or an impossible length (ANT_BAD_CHECKSUM). */
  badChecksums: number;
}

/** Splits a byte stream into ANT frames. */
export class FrameSplitter {
  private buf = new Uint8Array(256);
  private len = 0;
  readonly stats: SplitterStats = { frames: 0, badSyncBytes: 0, badChecksums: 0 };

  /** Feed one transfer; calls `onFrame` once per complete valid frame, in order. */
  push(transfer: Uint8Array, onFrame: (frame: Uint8Array) => void): void {
    this.append(transfer);
    const buf = this.buf;
    let pos = 0;
    while (pos < this.len) {
      if (buf[pos] !== ANT_SYNC) {
        this.stats.badSyncBytes++;
        pos++;
        continue;
      }
      if (pos + 1 >= this.len) break;
      const payloadLen = buf[pos + 1]!;
      if (payloadLen > MAX_PAYLOAD_LENGTH) {
        this.stats.badChecksums++;
        pos++;
        continue;
      }
      const end = pos + payloadLen + FRAME_OVERHEAD;
      if (end > this.len) break;
      let x = 0;
      for (let i = pos; i < end - 1; i++) x ^= buf[i]!;
      if (x !== buf[end - 1]) {
        this.stats.badChecksums++;
        pos++;
        continue;
      }
      const frame = buf.slice(pos, end);
      this.stats.frames++;
      pos = end;
      onFrame(frame);
    }
    if (pos > 0) {
      buf.copyWithin(0, pos, this.len);
      this.len -= pos;
    }
  }

  /** Drop any partial frame (after a reset or an unplug). */
  clear(): void {
    this.len = 0;
  }

  /** Bytes held back waiting for the rest of a frame. */
  get pendingBytes(): number {
    return this.len;
  }

  private append(bytes: Uint8Array): void {
    if (this.len + bytes.length > this.buf.length) {
      const bigger = new Uint8Array(Math.max(this.buf.length * 2, this.len + bytes.length));
      bigger.set(this.buf.subarray(0, this.len));
      this.buf = bigger;
    }
    this.buf.set(bytes, this.len);
    this.len += bytes.length;
  }
}
