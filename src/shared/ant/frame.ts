/**
 * ANT serial message framing — docs/ant-plus.md §1.1 ("ANT Message Protocol and Usage", D00000652):
 * `A4 | LEN | ID | payload[LEN] | CHK`, CHK = XOR of every preceding byte, sync 0xA4 included.
 * A checksum of 0xFF is legal (ant-plus-next's `% 0xff` turned it into 0x00 — docs/ant-plus.md §9 B3).
 */
import { fail, ok, type Result } from '../errors';

/** The sync byte that starts every ANT message. */
export const ANT_SYNC = 0xa4;
/** Bytes of a frame besides the payload: sync, length, id, checksum. */
export const FRAME_OVERHEAD = 4;
/** Largest payload length a USB stick sends (data + every extended block is 19; bursts and long replies stay below this). */
export const MAX_PAYLOAD_LENGTH = 60;

/** A decoded frame: message id and payload (a view into the frame). */
export interface AntFrame {
  readonly id: number;
  readonly payload: Uint8Array;
}

/** XOR checksum over `bytes[start, end)`; the sync byte must be included by the caller. */
function xorChecksum(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let x = 0;
  for (let i = start; i < end; i++) x ^= bytes[i]!;
  return x;
}

/** Build a frame with its own buffer (no view into a larger one). */
export function encodeFrame(id: number, payload: ArrayLike<number>): Uint8Array {
  const frame = new Uint8Array(payload.length + FRAME_OVERHEAD);
  frame[0] = ANT_SYNC;
  frame[1] = payload.length;
  frame[2] = id;
  for (let i = 0; i < payload.length; i++) frame[3 + i] = payload[i]!;
  frame[frame.length - 1] = xorChecksum(frame, 0, frame.length - 1);
  return frame;
}

/** Recompute the checksum of a frame in place (tests build frames by hand); returns the frame. */
export function repairChecksum(frame: Uint8Array): Uint8Array {
  if (frame.length >= FRAME_OVERHEAD) frame[frame.length - 1] = xorChecksum(frame, 0, frame.length - 1);
  return frame;
}

/** Whether the frame's last byte is the XOR of the others. */
export function isChecksumValid(frame: Uint8Array): boolean {
  return frame.length >= FRAME_OVERHEAD && xorChecksum(frame, 0, frame.length - 1) === frame[frame.length - 1];
}

/** Decode one complete frame; errors: ANT_BAD_SYNC, ANT_SHORT_FRAME, ANT_BAD_CHECKSUM. */
export function decodeFrame(frame: Uint8Array): Result<AntFrame> {
  if (frame.length < FRAME_OVERHEAD) return fail('ANT_SHORT_FRAME', `ANT frame of ${frame.length} bytes is shorter than 4`);
  if (frame[0] !== ANT_SYNC) return fail('ANT_BAD_SYNC', `ANT frame starts with 0x${hex2(frame[0]!)}, not 0xA4`);
  const len = frame[1]!;
  if (frame.length !== len + FRAME_OVERHEAD) {
    return fail('ANT_SHORT_FRAME', `ANT frame length byte says ${len} payload bytes but the frame has ${frame.length - FRAME_OVERHEAD}`);
  }
  if (!isChecksumValid(frame)) {
    return fail('ANT_BAD_CHECKSUM', `ANT frame 0x${hex2(frame[2]!)} has checksum 0x${hex2(frame[frame.length - 1]!)}, expected 0x${hex2(xorChecksum(frame, 0, frame.length - 1))}`);
  }
  return ok({ id: frame[2]!, payload: frame.subarray(3, 3 + len) });
}

/** Bytes as space-separated upper-case hex (for messages and tests). */
export function toHex(bytes: ArrayLike<number>): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += (i ? ' ' : '') + hex2(bytes[i]!);
  return s;
}

/** Parse space-separated hex into bytes. */
export function fromHex(hex: string): Uint8Array {
  const parts = hex.trim().split(/\s+/).filter(Boolean);
  return Uint8Array.from(parts.map((p) => parseInt(p, 16)));
}

function hex2(n: number): string {
  return n.toString(16).toUpperCase().padStart(2, '0');
}
